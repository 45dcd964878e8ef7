// The page's state: the verified topology and the latest traffic. Plain data, no DOM.

import { NodeRole, type NodeDescriptor } from "./gen/mixnet/directory/v1/node_pb.js";
import type { TopologyDelta, TopologySnapshot } from "./gen/mixnet/directory/v1/topology_pb.js";
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
  readonly searchText: string;
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
    searchText: `${id}\n${d.host}:${d.mixPort}\n${d.version}\n${d.location}`.toLowerCase(),
  };
}

/** The verified topology; only ever fed data whose signature checked out. */
export class TopologyModel {
  readonly nodes = new Map<string, NodeInfo>();
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
    this.version = s.version;
    this.issuedAtMs = s.issuedAt ? timestampMs(s.issuedAt) : Date.now();
    this.revision++;
  }

  /** Applies a delta that follows the current version; returns false (and changes nothing) on a gap. */
  applyDelta(d: TopologyDelta): boolean {
    if (this.version === undefined || d.fromVersion !== this.version) return false;
    for (const key of d.removed) this.nodes.delete(toHex(key));
    for (const desc of d.upserted) {
      const n = toNodeInfo(desc);
      if (n) {
        this.nodes.set(n.id, n);
      } else if (desc.identityKey.length === 32) {
        this.nodes.delete(toHex(desc.identityKey));
      }
    }
    this.version = d.toVersion;
    this.issuedAtMs = d.issuedAt ? timestampMs(d.issuedAt) : Date.now();
    this.revision++;
    return true;
  }
}

/** Traffic: the latest window per node and the network-wide history for the chart. */
export class MetricsModel {
  readonly rates = new Map<string, Rate>();
  history: HistoryPoint[] = [];
  windowSeconds = 1;
  liveNodes = 0;
  droppedFrames = 0n;
  lastFrameAt = 0; // performance.now() of the last frame, for the stall watchdog
  latest: HistoryPoint | undefined;
  revision = 0;

  constructor(readonly capacity: number) {}

  /** Forget history before a new stream replays it. */
  reset(): void {
    this.history = [];
    this.latest = undefined;
    this.rates.clear();
    this.revision++;
  }

  apply(f: StreamMetricsResponse): void {
    const w = f.window ? Number(f.window.seconds) + f.window.nanos / 1e9 : 0;
    this.windowSeconds = w > 0 ? w : 1;
    const per = 1 / this.windowSeconds;
    this.rates.clear();
    for (const n of f.nodes) {
      this.rates.set(toHex(n.identityKey), { sent: Number(n.sent) * per, received: Number(n.received) * per });
    }
    const point: HistoryPoint = {
      endMs: f.windowEnd ? timestampMs(f.windowEnd) : Date.now(),
      sent: Number(f.networkSent) * per,
      received: Number(f.networkReceived) * per,
    };
    this.history.push(point);
    if (this.history.length > this.capacity) this.history.splice(0, this.history.length - this.capacity);
    this.latest = point;
    this.liveNodes = f.liveNodes;
    this.droppedFrames = f.droppedFrames;
    this.lastFrameAt = performance.now();
    this.revision++;
  }
}
