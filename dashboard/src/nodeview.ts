// One node in detail: its verified descriptor, what the directory says of its lease, and its
// traffic while this page has been open. Every value is text (textContent), never markup.

import { ConnectError, Code } from "@connectrpc/connect";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { GetNodeResponse } from "./gen/mixnet/directory/v1/registry_service_pb.js";
import { TrafficChart } from "./chart.js";
import { ReliabilityChart, type ReliabilityPoint } from "./reliability-chart.js";
import { showScore } from "./rows.js";
import { formatAgo, formatCount, formatRate, formatSpan, formatUtc, fromHex } from "./format.js";
import type { MetricsModel, NodeInfo, Quality, TopologyModel } from "./model.js";

export type GetNode = (identityKey: Uint8Array, signal: AbortSignal) => Promise<GetNodeResponse>;

/** How often the lease times are asked for again while the view is open. */
const refreshMs = 10_000;

const columnNames = { "layer-1": "Layer 1 mixnode", "layer-2": "Layer 2 mixnode", "layer-3": "Layer 3 mixnode", gateways: "Gateway" } as const;

export class NodeView {
  private readonly dialog: HTMLDialogElement;
  private readonly chart: TrafficChart;
  private readonly reliabilityChart: ReliabilityChart;
  /** The node's reliability per quality period, from GetNode; undefined until the first answer. */
  private history: ReliabilityPoint[] | undefined;
  private historyDrawn = false;
  private shownQuality: Quality | undefined | null = null;
  private readonly field: Record<string, HTMLElement> = {};
  private id: string | undefined;
  private lease: { registeredMs?: number; lastSeenMs?: number } | undefined;
  private leaseError = "";
  private fetching: AbortController | undefined;
  private fetchedAt = 0;
  private shownInfo: NodeInfo | undefined;
  private seenMetrics = -1;

  constructor(
    private readonly topology: TopologyModel,
    private readonly metrics: MetricsModel,
    private readonly getNode: GetNode,
    private readonly changed: () => void,
  ) {
    this.dialog = document.querySelector<HTMLDialogElement>("dialog.node-view")!;
    for (const el of this.dialog.querySelectorAll<HTMLElement>("[data-testid^='nv-']")) {
      this.field[el.dataset.testid!.slice(3)] = el;
    }
    this.chart = new TrafficChart(this.field.chart as HTMLCanvasElement);
    this.reliabilityChart = new ReliabilityChart(this.field["reliability-chart"] as HTMLCanvasElement);
    this.field.close.addEventListener("click", () => this.dialog.close());
    // A click on the backdrop (outside the box) closes it too.
    this.dialog.addEventListener("click", (e) => {
      if (e.target === this.dialog) this.dialog.close();
    });
    this.dialog.addEventListener("close", () => {
      this.id = undefined;
      this.fetching?.abort();
    });
  }

  get isOpen(): boolean {
    return this.id !== undefined;
  }

  open(id: string): void {
    this.id = id;
    this.lease = undefined;
    this.leaseError = "";
    this.shownInfo = undefined;
    this.seenMetrics = -1;
    this.fetchedAt = 0;
    this.history = undefined;
    this.historyDrawn = false;
    this.shownQuality = null;
    if (!this.dialog.open) this.dialog.showModal();
    this.render();
  }

  /** Called on every page render while open. */
  render(): void {
    const id = this.id;
    if (id === undefined) return;
    const info = this.topology.nodes.get(id);
    if (info && info !== this.shownInfo) this.showDescriptor(info);
    set(this.field.gone, info ? "" : "This node is no longer in the topology; what it last published is shown.");
    this.field.gone.hidden = !!info;
    if (!this.shownInfo) set(this.field.identity, id);

    if (performance.now() - this.fetchedAt > refreshMs) void this.fetchLease(id);
    const lease = this.lease;
    set(this.field.registered, lease?.registeredMs ? `${formatUtc(lease.registeredMs)} (${formatAgo(lease.registeredMs)})` : this.leaseError ? "—" : "…");
    set(this.field["last-seen"], lease?.lastSeenMs ? `${formatUtc(lease.lastSeenMs)} (${formatAgo(lease.lastSeenMs)})` : this.leaseError ? "—" : "…");
    set(this.field.error, this.leaseError);
    this.field.error.hidden = !this.leaseError;

    const quality = this.topology.quality.get(id);
    if (quality !== this.shownQuality) this.showQuality(quality);
    if (!this.historyDrawn) this.showHistory();

    if (this.metrics.revision !== this.seenMetrics) {
      this.seenMetrics = this.metrics.revision;
      this.showTraffic(id);
    }
  }

  /** The current scores, from the signed topology. */
  private showQuality(q: Quality | undefined): void {
    this.shownQuality = q;
    showScore(this.field.score, q);
    this.field.excluded.hidden = !q?.excluded;
    set(this.field.quality, q
      ? `${pct(q.reliability)} over the last hour · ${pct(q.reliability24h)} over 24 h · uptime ${pct(q.uptime)}`
        + (q.excluded ? " · excluded: disputed by too many of its peers last period, clients do not route through it" : "")
      : "Not scored yet: the directory publishes scores once per quality period.");
  }

  /** The per-period history, the directory's answer to GetNode (not signed). */
  private showHistory(): void {
    const h = this.history;
    this.historyDrawn = true;
    this.reliabilityChart.draw(h ?? [], h ? "no periods scored yet" : "…");
    const el = this.field.history;
    el.dataset.count = h ? String(h.length) : "";
    if (!h) {
      set(el, "…");
    } else if (h.length === 0) {
      set(el, "No reliability history yet (the directory's answer to GetNode).");
    } else {
      let lowest = h[0];
      for (const p of h) if (p.reliability < lowest.reliability) lowest = p;
      const latest = h[h.length - 1];
      set(el, `${h.length} quality period${h.length === 1 ? "" : "s"} since ${formatUtc(h[0].atMs)}: `
        + `lowest ${pct(lowest.reliability)}, latest ${pct(latest.reliability)}. `
        + "The directory's record from GetNode, not signed.");
    }
    el.dataset.values = h ? h.map((p) => p.reliability.toFixed(3)).join(" ") : "";
  }

  private showDescriptor(n: NodeInfo): void {
    this.shownInfo = n;
    set(this.field.title, `${columnNames[n.column]} ${n.id.slice(0, 8)}`);
    set(this.field.identity, n.id);
    set(this.field.sphinx, n.sphinxKey);
    set(this.field.role, n.column === "gateways" ? "gateway" : "mixnode");
    set(this.field.layer, n.column === "gateways" ? "— (gateways have no layer)" : n.column.slice(-1));
    set(this.field.host, n.host);
    set(this.field["mix-port"], String(n.mixPort));
    set(this.field["client-port"], n.clientPort ? String(n.clientPort) : "— (none)");
    set(this.field.version, n.version);
    set(this.field.location, n.location);
    set(this.field["signed-at"], n.signedAtMs ? formatUtc(n.signedAtMs) : "—");
  }

  private showTraffic(id: string): void {
    const history = this.metrics.nodeHistory(id);
    this.chart.draw(history);
    const rate = this.metrics.rates.get(id);
    set(this.field.sent, `↑ ${formatRate(rate?.sent ?? 0)}/s`);
    set(this.field.received, `↓ ${formatRate(rate?.received ?? 0)}/s`);
    const w = this.metrics.windowSeconds;
    let sent = 0;
    let received = 0;
    for (const p of history) {
      sent += p.sent * w;
      received += p.received * w;
    }
    const span = history.length > 0 ? formatSpan(history.length * w) : "";
    set(this.field["chart-span"], span ? `· last ${span}` : "");
    set(this.field.totals, history.length > 0
      ? `${formatCount(sent)} packets sent, ${formatCount(received)} received in the last ${span}`
      : "no traffic reported while this page has been open");
    const latest = this.metrics.latest;
    const share = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : "—");
    set(this.field.share, latest
      ? `${share(rate?.sent ?? 0, latest.sent)} of the network's packets sent and ${share(rate?.received ?? 0, latest.received)} of those received in the last window`
      : "—");
  }

  private async fetchLease(id: string): Promise<void> {
    this.fetchedAt = performance.now();
    this.fetching?.abort();
    const request = new AbortController();
    this.fetching = request;
    try {
      const r = await this.getNode(fromHex(id), request.signal);
      if (this.id !== id) return;
      this.lease = {
        registeredMs: r.registeredAt ? timestampMs(r.registeredAt) : undefined,
        lastSeenMs: r.lastSeen ? timestampMs(r.lastSeen) : undefined,
      };
      this.history = r.reliabilityHistory.map((p) => ({ atMs: p.at ? timestampMs(p.at) : 0, reliability: p.reliability }));
      this.historyDrawn = false;
      this.leaseError = "";
    } catch (e) {
      if (this.id !== id || request.signal.aborted) return;
      this.leaseError = e instanceof ConnectError && e.code === Code.NotFound
        ? "The directory no longer lists this node (it left or its lease expired)."
        : `Could not ask the directory about this node: ${e instanceof ConnectError ? e.rawMessage : String(e)}`;
    }
    this.changed();
  }
}

function pct(v: number): string {
  return `${Math.floor(v * 100)} %`;
}

function set(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
