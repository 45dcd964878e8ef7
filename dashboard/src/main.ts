// Entry point: wires the models, the connection (or the relay from another tab) and the view.

import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { RegistryService } from "./gen/mixnet/directory/v1/registry_service_pb.js";
import { DirectoryConnection, type ConnectionStatus } from "./connection.js";
import { ConsensusModel, ConsensusPoller } from "./consensus.js";
import { ConsensusView } from "./consensus-view.js";
import { elect } from "./election.js";
import { MetricsModel, TopologyModel } from "./model.js";
import { Broadcaster, Follower, Relay } from "./relay.js";
import { KeyPin } from "./signatures.js";
import { DashboardView } from "./view.js";

// About three minutes at the default one-second window; the server keeps at most 300.
const replayFrames = 180;

function start(): void {
  const topology = new TopologyModel();
  const metrics = new MetricsModel(replayFrames);
  const status: ConnectionStatus = { state: "connecting", role: "follower" };
  const pin = new KeyPin();
  const transport = createGrpcWebTransport({ baseUrl: window.location.origin, useBinaryFormat: true });
  const registry = createClient(RegistryService, transport);
  let view: DashboardView | undefined;
  let broadcaster: Broadcaster | undefined;
  const changed = () => {
    broadcaster?.statusChanged();
    view?.invalidate();
  };

  const relay = openRelay();
  let connection: DirectoryConnection | undefined;
  const lead = () => {
    status.role = "leader";
    broadcaster = relay ? new Broadcaster(relay, metrics, status) : undefined;
    connection = new DirectoryConnection(
      { replayFrames, unreachableAfterMs: 15_000, backoffInitialMs: 500, backoffMaxMs: 8_000 },
      transport,
      status,
      pin,
      topology,
      metrics,
      broadcaster ?? ignoreEvents,
      changed,
    );
    changed();
    void connection.run();
  };

  view = new DashboardView(topology, metrics, status, (identityKey, signal) => registry.getNode({ identityKey }, { signal, timeoutMs: 10_000 }));
  // Every tab asks for the consensus itself: a unary call every few seconds holds no connection.
  const consensus = new ConsensusModel();
  view.consensus = new ConsensusView(consensus);
  new ConsensusPoller(transport, consensus, pin, () => view?.invalidate()).start();
  if (!relay) {
    lead(); // no way to share: this tab connects by itself
  } else {
    const follower = new Follower(relay, status, pin, topology, metrics, changed);
    relay.on((m) => {
      if (status.role === "leader") {
        if (m.t === "hello") broadcaster?.sync(m.from);
      } else {
        follower.handle(m);
      }
    });
    view.election = elect(relay, {
      lead,
      follow: () => {
        connection?.stop();
        connection = undefined;
        broadcaster = undefined;
        status.role = "follower";
        follower.hello();
        changed();
      },
    });
    if (status.role === "follower") follower.hello();
  }
  view.invalidate();
  // Relative times ("changed 12 s ago") and the retry countdown move while nothing else happens.
  window.setInterval(() => view?.invalidate(), 1000);
}

/** The channel to this origin's other dashboard tabs, where the browser offers one. */
function openRelay(): Relay | undefined {
  if (typeof BroadcastChannel !== "function") return undefined;
  try {
    return new Relay("mixnet-directory-dashboard");
  } catch {
    return undefined; // e.g. an opaque origin: this tab connects by itself
  }
}

const ignoreEvents = {
  info: () => undefined,
  snapshot: () => undefined,
  delta: () => undefined,
  metricsReset: () => undefined,
  frame: () => undefined,
};

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start, { once: true });
} else {
  start();
}
