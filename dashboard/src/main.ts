// Entry point: wires the models, the connection and the view.

import { DirectoryConnection } from "./connection.js";
import { MetricsModel, TopologyModel } from "./model.js";
import { DashboardView } from "./view.js";

// About three minutes at the default one-second window; the server keeps at most 300.
const replayFrames = 180;

function start(): void {
  const topology = new TopologyModel();
  const metrics = new MetricsModel(replayFrames);
  let view: DashboardView | undefined;
  const connection = new DirectoryConnection(
    {
      baseUrl: window.location.origin,
      replayFrames,
      unreachableAfterMs: 15_000,
      backoffInitialMs: 500,
      backoffMaxMs: 8_000,
    },
    topology,
    metrics,
    () => view?.invalidate(),
  );
  view = new DashboardView(topology, metrics, connection.status);
  view.invalidate();
  // The retry countdown moves while nothing else happens.
  window.setInterval(() => {
    if (connection.status.state !== "live") view?.invalidate();
  }, 1000);
  void connection.run();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start, { once: true });
} else {
  start();
}
