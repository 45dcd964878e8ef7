// The DOM side: reads the models and updates the page at most once per animation frame.

import { TrafficChart } from "./chart.js";
import { abbreviate, formatAgo, formatClock, formatCount, formatRate, formatSpan, formatUtc } from "./format.js";
import { columns, type Column, type MetricsModel, type NodeInfo, type TopologyModel } from "./model.js";
import { NodeRow } from "./rows.js";
import type { ConnectionStatus } from "./connection.js";
import { NodeView, type GetNode } from "./nodeview.js";
import type { ConsensusView } from "./consensus-view.js";

type SortKey = "traffic" | "reliability" | "identity" | "location" | "host" | "version";

const pageSize = 200;

function $(selector: string, root: ParentNode = document): HTMLElement {
  const el = root.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`missing ${selector}`);
  return el;
}

const byTestId = (id: string, root?: ParentNode) => $(`[data-testid="${id}"]`, root);

class ColumnView {
  readonly list: HTMLOListElement;
  readonly count: HTMLElement;
  readonly empty: HTMLElement;
  readonly more: HTMLButtonElement;
  /** The column's tab, used instead of side-by-side columns on a narrow screen. */
  readonly tab: HTMLButtonElement;
  readonly tabCount: HTMLElement;
  limit = pageSize;
  shown: NodeRow[] = [];

  constructor(readonly root: HTMLElement, column: Column, onMore: () => void) {
    this.tab = byTestId(`tab-${column}`) as HTMLButtonElement;
    this.tabCount = $(".count", this.tab);
    this.list = $("ol.nodes", root) as HTMLOListElement;
    this.count = $(".count", root);
    this.empty = $(".empty", root);
    this.more = $("button.more", root) as HTMLButtonElement;
    this.more.addEventListener("click", () => {
      this.limit += pageSize;
      onMore();
    });
  }
}

export class DashboardView {
  private readonly rows = new Map<string, NodeRow>();
  private readonly columnViews: Record<Column, ColumnView>;
  private readonly chart: TrafficChart;
  private readonly el = {
    conn: byTestId("conn-state"),
    connDetail: byTestId("conn-detail"),
    fingerprint: byTestId("fingerprint"),
    alert: byTestId("verify-error"),
    alertText: $(".alert-text"),
    liveNodes: byTestId("live-nodes"),
    totalSent: byTestId("total-sent"),
    totalReceived: byTestId("total-received"),
    version: byTestId("topology-version"),
    chartSpan: byTestId("chart-span"),
    filter: byTestId("filter") as HTMLInputElement,
    sort: byTestId("sort") as HTMLSelectElement,
    shownCount: byTestId("shown-count"),
    serverVersion: byTestId("server-version"),
    verifier: byTestId("verifier"),
    lastFrame: byTestId("last-frame"),
    toast: byTestId("toast"),
    tabRole: byTestId("tab-role"),
  };
  private readonly nodeView: NodeView;
  /** How the tabs of this browser chose which one holds the connection (shown in the footer). */
  election: "web-locks" | "broadcast" | undefined;
  /** The consensus panel, shown when the directory is an authority. */
  consensus: ConsensusView | undefined;
  private activeColumn: Column = "layer-1";
  private filter = "";
  private sort: SortKey = "traffic";
  private scheduled = false;
  private layoutDirty = true;
  private chartDirty = true;
  private seenTopology = -1;
  private seenMetrics = -1;
  private toastTimer: number | undefined;

  constructor(
    private readonly topology: TopologyModel,
    private readonly metrics: MetricsModel,
    private readonly status: ConnectionStatus,
    getNode: GetNode,
  ) {
    const relayout = () => {
      this.layoutDirty = true;
      this.invalidate();
    };
    this.columnViews = {
      "layer-1": new ColumnView(byTestId("layer-1"), "layer-1", relayout),
      "layer-2": new ColumnView(byTestId("layer-2"), "layer-2", relayout),
      "layer-3": new ColumnView(byTestId("layer-3"), "layer-3", relayout),
      gateways: new ColumnView(byTestId("gateways"), "gateways", relayout),
    };
    for (const c of columns) this.columnViews[c].tab.addEventListener("click", () => this.selectColumn(c));
    this.selectColumn(this.activeColumn);
    this.nodeView = new NodeView(topology, metrics, getNode, () => this.invalidate());
    this.chart = new TrafficChart(byTestId("traffic-chart") as HTMLCanvasElement);

    this.el.filter.addEventListener("input", () => {
      this.filter = this.el.filter.value.trim().toLowerCase();
      for (const c of columns) this.columnViews[c].limit = pageSize;
      relayout();
    });
    this.el.sort.addEventListener("change", () => {
      this.sort = this.el.sort.value as SortKey;
      relayout();
    });
    document.addEventListener("click", (e) => {
      const target = e.target as Element | null;
      const button = target?.closest<HTMLButtonElement>("button.identity");
      if (button?.dataset.key) {
        void this.copy(button.dataset.key);
        return;
      }
      const row = target?.closest<HTMLElement>("li.node");
      if (row?.dataset.id) this.nodeView.open(row.dataset.id);
    });
    document.addEventListener("keydown", (e) => {
      const row = (e.target as Element | null)?.closest?.<HTMLElement>("li.node");
      if (row?.dataset.id && (e.key === "Enter" || e.key === " ") && e.target === row) {
        e.preventDefault();
        this.nodeView.open(row.dataset.id);
      }
    });
    new ResizeObserver(() => {
      this.chartDirty = true;
      this.invalidate();
    }).observe(byTestId("traffic-chart"));
  }

  /** Asks for a render on the next animation frame; many calls before it cost one render. */
  invalidate(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  private render(): void {
    const topologyChanged = this.topology.revision !== this.seenTopology;
    const metricsChanged = this.metrics.revision !== this.seenMetrics;
    this.seenTopology = this.topology.revision;
    this.seenMetrics = this.metrics.revision;
    if (topologyChanged || (metricsChanged && this.sort === "traffic")) this.layoutDirty = true;
    if (metricsChanged) this.chartDirty = true;

    this.renderStatus();
    this.renderTotals();
    if (this.layoutDirty) {
      this.layoutDirty = false;
      this.renderColumns();
    } else if (metricsChanged) {
      this.renderRates();
    }
    this.consensus?.render();
    this.nodeView.render();
    if (this.chartDirty) {
      this.chartDirty = false;
      this.chart.draw(this.metrics.history);
      const h = this.metrics.history;
      this.el.chartSpan.textContent = h.length > 1
        ? `· last ${formatSpan((h[h.length - 1].endMs - h[0].endMs) / 1000 + this.metrics.windowSeconds)}`
        : "";
    }
  }

  private renderStatus(): void {
    const s = this.status;
    let state: string = s.state;
    let text: string;
    if (s.trustError) {
      state = "refused";
      text = "signature invalid";
    } else {
      text = { connecting: "connecting", live: "live", reconnecting: "reconnecting", unreachable: "directory unreachable" }[s.state];
    }
    setText(this.el.conn, text);
    if (this.el.conn.dataset.state !== state) this.el.conn.dataset.state = state;
    document.body.classList.toggle("stale", s.state !== "live" || !!s.trustError);

    let detail = "";
    if (s.state !== "live" && s.nextRetryAt !== undefined) {
      const seconds = Math.max(0, Math.ceil((s.nextRetryAt - Date.now()) / 1000));
      detail = seconds > 0 ? `retrying in ${seconds} s` : "retrying…";
      if (s.lastError) detail += ` · ${s.lastError}`;
    } else if (s.state === "live" && this.topology.issuedAtMs) {
      detail = `updated ${formatClock(this.topology.issuedAtMs)}`;
    }
    setText(this.el.connDetail, detail);
    if (this.el.connDetail.title !== detail) this.el.connDetail.title = detail;

    this.el.alert.hidden = !s.trustError;
    setText(this.el.alertText, s.trustError ?? "");
    if (s.fingerprint) {
      setText(this.el.fingerprint, s.fingerprint);
    }
    setText(this.el.serverVersion, s.serverVersion ? `directory ${s.serverVersion}` : "");
    setText(this.el.verifier, s.verifier ? `signatures checked with ${s.verifier}` : "");
    const m = this.metrics;
    const dropped = m.droppedFrames > 0n ? ` · ${m.droppedFrames} frames dropped (slow connection)` : "";
    setText(this.el.lastFrame, m.latest ? `last metrics window ${formatClock(m.latest.endMs)}${dropped}` : "");
    setText(this.el.tabRole, s.role === "leader"
      ? `this tab holds the directory connection${this.election ? " for this browser's dashboard tabs" : ""}`
      : "updates relayed from another dashboard tab, checked here");
    if (this.el.tabRole.dataset.role !== s.role) this.el.tabRole.dataset.role = s.role;
    if (this.election && this.el.tabRole.dataset.election !== this.election) this.el.tabRole.dataset.election = this.election;
  }

  private renderTotals(): void {
    setText(this.el.liveNodes, this.topology.version === undefined ? "—" : formatCount(this.topology.nodes.size));
    // The 16-digit version means little to a reader; when it changed does. The number stays on hover.
    const version = this.topology.version;
    setText(this.el.version, version === undefined ? "—" : `changed ${formatAgo(this.topology.issuedAtMs)}`);
    const title = version === undefined ? "" : `topology version ${version}, published ${formatUtc(this.topology.issuedAtMs)}`;
    if (this.el.version.title !== title) this.el.version.title = title;
    if (this.el.version.dataset.version !== (version?.toString() ?? "")) this.el.version.dataset.version = version?.toString() ?? "";
    const latest = this.metrics.latest;
    setText(this.el.totalSent, latest ? formatRate(latest.sent) : "—");
    setText(this.el.totalReceived, latest ? formatRate(latest.received) : "—");
  }

  private renderColumns(): void {
    const grouped: Record<Column, NodeInfo[]> = { "layer-1": [], "layer-2": [], "layer-3": [], gateways: [] };
    const totals: Record<Column, number> = { "layer-1": 0, "layer-2": 0, "layer-3": 0, gateways: 0 };
    const terms = this.filter.split(/\s+/).filter(Boolean);
    for (const n of this.topology.nodes.values()) {
      totals[n.column]++;
      if (terms.every((t) => n.searchText.includes(t))) grouped[n.column].push(n);
    }

    // Forget rows of nodes that left, so memory follows the topology.
    for (const id of this.rows.keys()) if (!this.topology.nodes.has(id)) this.rows.delete(id);

    const compare = this.comparer();
    let matchedTotal = 0;
    for (const c of columns) {
      const view = this.columnViews[c];
      const nodes = grouped[c].sort(compare);
      const visible = nodes.slice(0, view.limit);
      const rows = visible.map((n) => {
        let row = this.rows.get(n.id);
        if (!row) {
          row = new NodeRow(n.id);
          this.rows.set(n.id, row);
        }
        row.update(n, this.metrics.rates.get(n.id), this.topology.quality.get(n.id));
        return row;
      });
      if (!sameRows(view.shown, rows)) {
        view.list.replaceChildren(...rows.map((r) => r.element));
        view.shown = rows;
      }
      setText(view.count, this.filter ? `${nodes.length} of ${totals[c]}` : `${totals[c]}`);
      setText(view.tabCount, this.filter ? `${nodes.length}/${totals[c]}` : `${totals[c]}`);
      view.empty.hidden = nodes.length > 0;
      const hidden = nodes.length - visible.length;
      view.more.hidden = hidden <= 0;
      if (hidden > 0) setText(view.more, `show ${Math.min(pageSize, hidden)} more (${hidden} not shown)`);
      matchedTotal += nodes.length;
    }
    setText(this.el.shownCount, this.filter ? `${matchedTotal} match` : "");
  }

  private renderRates(): void {
    for (const c of columns) {
      for (const row of this.columnViews[c].shown) {
        const info = this.topology.nodes.get(row.id);
        if (info) row.update(info, this.metrics.rates.get(row.id), this.topology.quality.get(row.id));
      }
    }
  }

  /** On a narrow screen only the selected column shows (CSS); wide screens show all four. */
  private selectColumn(column: Column): void {
    this.activeColumn = column;
    for (const c of columns) {
      const v = this.columnViews[c];
      const active = c === column;
      v.root.classList.toggle("active", active);
      v.tab.setAttribute("aria-selected", String(active));
      v.tab.tabIndex = active ? 0 : -1;
    }
  }

  private comparer(): (a: NodeInfo, b: NodeInfo) => number {
    const byId = (a: NodeInfo, b: NodeInfo) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const text = (f: (n: NodeInfo) => string) => (a: NodeInfo, b: NodeInfo) =>
      f(a).localeCompare(f(b)) || byId(a, b);
    switch (this.sort) {
      case "identity":
        return byId;
      case "location":
        return text((n) => n.location);
      case "host":
        return text((n) => n.host);
      case "version":
        return text((n) => n.version);
      case "reliability": {
        // Most reliable first; then nodes not scored yet; excluded nodes last, whatever their score.
        const quality = this.topology.quality;
        const rank = (n: NodeInfo) => {
          const q = quality.get(n.id);
          return !q ? -1 : q.excluded ? -2 + q.reliability / 2 : q.reliability;
        };
        return (a, b) => rank(b) - rank(a) || byId(a, b);
      }
      default: {
        const rates = this.metrics.rates;
        const traffic = (n: NodeInfo) => {
          const r = rates.get(n.id);
          return r ? r.sent + r.received : 0;
        };
        return (a, b) => traffic(b) - traffic(a) || byId(a, b);
      }
    }
  }

  private async copy(key: string): Promise<void> {
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(key);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok) ok = copyWithSelection(key);
    this.toast(ok ? `copied identity ${abbreviate(key)}…` : `copy failed; the full key is ${key}`);
  }

  private toast(message: string): void {
    setText(this.el.toast, message);
    this.el.toast.hidden = false;
    window.clearTimeout(this.toastTimer);
    this.toastTimer = window.setTimeout(() => (this.el.toast.hidden = true), 2500);
  }
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function sameRows(a: readonly NodeRow[], b: readonly NodeRow[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Clipboard fallback for plain-http pages, where navigator.clipboard is not offered. */
function copyWithSelection(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.readOnly = true;
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
