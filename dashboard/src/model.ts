// The page's state: the verified topology and the latest traffic. Plain data, no DOM.

import { NodeRole, type NodeDescriptor } from "./gen/mixnet/directory/v1/node_pb.js";
import type { TopologyDelta, TopologySnapshot } from "./gen/mixnet/directory/v1/topology_pb.js";
import type { NodeQuality } from "./gen/mixnet/directory/v1/quality_pb.js";
import type { StreamMetricsResponse } from "./gen/mixnet/directory/v1/metrics_service_pb.js";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { toHex } from "./format.js";

/** Which column a node is shown in: mixnode layers 1..3, or the gateways. */
export type Column = "layer-1" | "layer-2" | "layer-3" | "gateways";
export const columns: readonly Column[] = ["layer-1", "layer-2", "layer-3", "gateways"];

export interface NodeInfo {
  readonly id: string; // lower-case hex of the identity key
  readonly column: Column;
  readonly host: string;
  readonly mixPort: number;
  readonly clientPort: number;
  readonly version: string;
  readonly location: string;
  readonly sphinxKey: string; // lower-case hex
  readonly signedAtMs: number | undefined;
  readonly searchText: string;
}

/** A node's published quality, from the signed topology. */
export interface Quality {
  readonly reliability: number; // 0..1 over the directory's quality window (1 h by default)
  readonly reliability24h: number;
  readonly uptime: number;
  readonly excluded: boolean;
}

/** Nodes below this reliability are skipped by clients (DirectoryClient's default, as Nym's clients do). */
export const reliabilityThreshold = 0.5;

function toQuality(q: NodeQuality): Quality {
  return { reliability: q.reliability, reliability24h: q.reliability24h, uptime: q.uptime, excluded: q.excluded };
}

export interface Rate {
  sent: number; // packets per second
  received: number;
}

export interface HistoryPoint {
  readonly endMs: number;
  readonly sent: number; // packets per second, network-wide
  readonly received: number;
}

function columnOf(d: NodeDescriptor): Column | undefined {
  if (d.role === NodeRole.GATEWAY) return "gateways";
  if (d.role === NodeRole.MIXNODE && d.layer >= 1 && d.layer <= 3) return `layer-${d.layer}` as Column;
  return undefined;
}

function toNodeInfo(d: NodeDescriptor): NodeInfo | undefined {
  const column = columnOf(d);
  if (!column || d.identityKey.length !== 32) return undefined;
  const id = toHex(d.identityKey);
  return {
    id,
    column,
    host: d.host,
    mixPort: d.mixPort,
    clientPort: d.clientPort,
    version: d.version,
    location: d.location,
    sphinxKey: toHex(d.sphinxKey),
    signedAtMs: d.signedAt ? timestampMs(d.signedAt) : undefined,
    searchText: `${id}\n${d.host}:${d.mixPort}\n${d.version}\n${d.location}`.toLowerCase(),
  };
}

/** The verified topology; only ever fed data whose signature checked out. */
export class TopologyModel {
  readonly nodes = new Map<string, NodeInfo>();
  /** Published quality by node id; a node the directory has not scored yet has none. */
  readonly quality = new Map<string, Quality>();
  version: bigint | undefined;
  issuedAtMs = 0;
  /** Bumped on every change, so the view knows when to re-sort. */
  revision = 0;

  applySnapshot(s: TopologySnapshot): void {
    this.nodes.clear();
    for (const d of [...s.mixnodes, ...s.gateways]) {
      const n = toNodeInfo(d);
      if (n) this.nodes.set(n.id, n);
    }
    this.quality.clear();
    for (const q of s.quality) if (q.identityKey.length === 32) this.quality.set(toHex(q.identityKey), toQuality(q));
    this.version = s.version;
    this.issuedAtMs = s.issuedAt ? timestampMs(s.issuedAt) : Date.now();
    this.revision++;
  }

  /** Applies a delta that follows the current version; returns false (and changes nothing) on a gap. */
  applyDelta(d: TopologyDelta): boolean {
    if (this.version === undefined || d.fromVersion !== this.version) return false;
    for (const key of d.removed) {
      this.nodes.delete(toHex(key));
      this.quality.delete(toHex(key)); // a removed node's entry goes with it
    }
    for (const desc of d.upserted) {
      const n = toNodeInfo(desc);
      if (n) {
        this.nodes.set(n.id, n);
      } else if (desc.identityKey.length === 32) {
        this.nodes.delete(toHex(desc.identityKey));
      }
    }
    for (const q of d.quality) if (q.identityKey.length === 32) this.quality.set(toHex(q.identityKey), toQuality(q));
    this.version = d.toVersion;
    this.issuedAtMs = d.issuedAt ? timestampMs(d.issuedAt) : Date.now();
    this.revision++;
    return true;
  }
}

/**
 * One node's recent windows, in a ring aligned with the model's frame count. Two float arrays per
 * node rather than objects per window: thousands of nodes times minutes of windows stay small.
 */
class NodeSeries {
  readonly sent: Float32Array;
  readonly received: Float32Array;
  constructor(capacity: number, readonly first: number, public last = first - 1) {
    this.sent = new Float32Array(capacity);
    this.received = new Float32Array(capacity);
  }
}

/** Traffic: the latest window per node, the network-wide history for the chart, and per-node history. */
export class MetricsModel {
  readonly rates = new Map<string, Rate>();
  history: HistoryPoint[] = [];
  windowSeconds = 1;
  liveNodes = 0;
  droppedFrames = 0n;
  lastFrameAt = 0; // performance.now() of the last frame, for the stall watchdog
  latest: HistoryPoint | undefined;
  /** The last frame applied, as received: what a leader tab hands to a tab that joins. */
  latestFrame: StreamMetricsResponse | undefined;
  revision = 0;
  private readonly series = new Map<string, NodeSeries>();
  private readonly frameEnds: Float64Array;
  private frames = 0; // frames recorded since the last reset

  constructor(readonly capacity: number) {
    this.frameEnds = new Float64Array(capacity);
  }

  /** Forget history before a new stream replays it. */
  reset(): void {
    this.history = [];
    this.latest = undefined;
    this.latestFrame = undefined;
    this.rates.clear();
    this.series.clear();
    this.frames = 0;
    this.revision++;
  }

  /** Takes over another tab's network-wide history (per-node history starts here). */
  restore(history: readonly HistoryPoint[], windowSeconds: number): void {
    this.reset();
    this.history = history.slice(-this.capacity);
    this.windowSeconds = windowSeconds > 0 ? windowSeconds : 1;
    this.latest = this.history[this.history.length - 1];
  }

  /** Applies one window; record=false sets the current rates without adding to the history. */
  apply(f: StreamMetricsResponse, record = true): void {
    const w = f.window ? Number(f.window.seconds) + f.window.nanos / 1e9 : 0;
    this.windowSeconds = w > 0 ? w : 1;
    const per = 1 / this.windowSeconds;
    const endMs = f.windowEnd ? timestampMs(f.windowEnd) : Date.now();
    this.rates.clear();
    const frame = this.frames;
    const slot = frame % this.capacity;
    if (record) this.frameEnds[slot] = endMs;
    for (const n of f.nodes) {
      const id = toHex(n.identityKey);
      const rate = { sent: Number(n.sent) * per, received: Number(n.received) * per };
      this.rates.set(id, rate);
      if (record) this.recordNode(id, frame, slot, rate);
    }
    const point: HistoryPoint = {
      endMs,
      sent: Number(f.networkSent) * per,
      received: Number(f.networkReceived) * per,
    };
    if (record) {
      this.history.push(point);
      if (this.history.length > this.capacity) this.history.splice(0, this.history.length - this.capacity);
      this.frames++;
      if (this.frames % this.capacity === 0) this.forgetSilentNodes();
    }
    this.latest = point;
    this.latestFrame = f;
    this.liveNodes = f.liveNodes;
    this.droppedFrames = f.droppedFrames;
    this.lastFrameAt = performance.now();
    this.revision++;
  }

  /** One node's windows since this page started recording (at most capacity), oldest first. */
  nodeHistory(id: string): HistoryPoint[] {
    const s = this.series.get(id);
    if (!s) return [];
    const out: HistoryPoint[] = [];
    for (let k = Math.max(s.first, this.frames - this.capacity); k < this.frames; k++) {
      const slot = k % this.capacity;
      const seen = k <= s.last;
      out.push({ endMs: this.frameEnds[slot], sent: seen ? s.sent[slot] : 0, received: seen ? s.received[slot] : 0 });
    }
    return out;
  }

  private recordNode(id: string, frame: number, slot: number, rate: Rate): void {
    let s = this.series.get(id);
    if (!s) {
      s = new NodeSeries(this.capacity, frame);
      this.series.set(id, s);
    }
    // Windows the node did not report in count as silence.
    for (let k = Math.max(s.last + 1, frame - this.capacity + 1); k < frame; k++) {
      s.sent[k % this.capacity] = 0;
      s.received[k % this.capacity] = 0;
    }
    s.sent[slot] = rate.sent;
    s.received[slot] = rate.received;
    s.last = frame;
  }

  /** Nodes silent for a whole history length have nothing left to show: memory follows the network. */
  private forgetSilentNodes(): void {
    for (const [id, s] of this.series) if (s.last < this.frames - this.capacity) this.series.delete(id);
  }
}
