// One connection to the directory over gRPC-Web: directory info, the topology watch and the
// metrics stream, restarted together with backoff whenever any of them fails.

import { createClient, ConnectError, Code, type Client, type Transport } from "@connectrpc/connect";
import { fromBinary } from "@bufbuild/protobuf";
import { TopologyService } from "./gen/mixnet/directory/v1/topology_service_pb.js";
import { MetricsService } from "./gen/mixnet/directory/v1/metrics_service_pb.js";
import { TopologySnapshotSchema, TopologyDeltaSchema } from "./gen/mixnet/directory/v1/topology_pb.js";
import type { StreamMetricsResponse } from "./gen/mixnet/directory/v1/metrics_service_pb.js";
import {
  DirectoryVerifier, SignatureError, type KeyPin, topologyDeltaPrefix, topologyPrefix,
} from "./signatures.js";
import type { MetricsModel, TopologyModel } from "./model.js";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "unreachable";

export interface ConnectionStatus {
  state: ConnectionState;
  /** leader: this tab holds the streams; follower: another tab relays what it verified. */
  role: "leader" | "follower";
  /** A signature or key problem: data was refused. Cleared by the next verified snapshot. */
  trustError?: string;
  /** Why the last attempt failed, for the detail line. */
  lastError?: string;
  nextRetryAt?: number; // Date.now() based
  fingerprint?: string;
  serverVersion?: string;
  verifier?: string;
}

export interface ConnectionOptions {
  replayFrames: number;
  /** After this long without a working connection, say "directory unreachable" (still retrying). */
  unreachableAfterMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
}

/** What a leader tab passes on to the other tabs, each after it was verified and applied here. */
export interface ConnectionEvents {
  info(directoryKey: Uint8Array, serverVersion: string): void;
  snapshot(topology: Uint8Array, signature: Uint8Array): void;
  delta(delta: Uint8Array, signature: Uint8Array): void;
  metricsReset(): void;
  frame(frame: StreamMetricsResponse): void;
}

/** A stream that ended or went silent: the session is over and is retried after a backoff. */
class Disconnected extends Error {}

/** Deltas kept beside the last snapshot for tabs that join; past this a fresh snapshot is cheaper. */
export const maxKeptDeltas = 500;

export class DirectoryConnection {
  private readonly topologyClient: Client<typeof TopologyService>;
  private readonly metricsClient: Client<typeof MetricsService>;
  private readonly stopping = new AbortController();
  /** Deltas applied since the last snapshot, for tabs that join. */
  private keptDeltas = 0;

  constructor(
    private readonly options: ConnectionOptions,
    transport: Transport,
    readonly status: ConnectionStatus,
    private readonly pin: KeyPin,
    private readonly topology: TopologyModel,
    private readonly metrics: MetricsModel,
    private readonly events: ConnectionEvents,
    private readonly changed: () => void,
  ) {
    this.topologyClient = createClient(TopologyService, transport);
    this.metricsClient = createClient(MetricsService, transport);
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  async run(): Promise<void> {
    let attempt = 0;
    let lostSince = Date.now();
    while (!this.stopped) {
      const session = new AbortController();
      const stop = () => session.abort();
      this.stopping.signal.addEventListener("abort", stop);
      let wentLive = false;
      try {
        await this.session(session.signal, () => {
          wentLive = true;
          attempt = 0;
          this.status.state = "live";
          this.status.lastError = undefined;
          this.status.nextRetryAt = undefined;
          this.changed();
        });
      } catch (e) {
        this.status.lastError = describe(e);
        if (e instanceof SignatureError) this.status.trustError = e.message;
      } finally {
        this.stopping.signal.removeEventListener("abort", stop);
        session.abort();
      }
      if (this.stopped) return;
      const now = Date.now();
      if (wentLive) lostSince = now;
      this.status.state = now - lostSince >= this.options.unreachableAfterMs ? "unreachable" : "reconnecting";
      const delay = this.backoff(attempt++);
      this.status.nextRetryAt = now + delay;
      this.changed();
      await sleep(delay, this.stopping.signal);
    }
  }

  /** Ends the streams at once (another tab leads now); the models keep what they have. */
  stop(): void {
    this.stopping.abort();
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.options.backoffMaxMs, this.options.backoffInitialMs * 2 ** attempt);
    return base * (0.8 + Math.random() * 0.4);
  }

  private async session(signal: AbortSignal, live: () => void): Promise<void> {
    const info = await this.topologyClient.getDirectoryInfo({}, { signal, timeoutMs: 10_000 });
    const key = info.directoryKey;
    const verifier = await DirectoryVerifier.create(key);
    this.status.fingerprint = await this.pin.accept(key);
    this.status.serverVersion = info.serverVersion;
    this.status.verifier = verifier.engine;
    this.events.info(key, info.serverVersion);
    this.changed();

    // Both streams share the session: when one ends, the other is cancelled and both restart.
    const inner = new AbortController();
    const abort = () => inner.abort();
    signal.addEventListener("abort", abort);
    try {
      const topology = this.watchTopology(verifier, inner.signal, live);
      const metrics = this.streamMetrics(inner.signal);
      // The loser of the race fails with "aborted" once cancelled; that is expected, not an error.
      topology.catch(() => undefined);
      metrics.catch(() => undefined);
      await Promise.race([topology, metrics]);
    } finally {
      signal.removeEventListener("abort", abort);
      inner.abort();
    }
  }

  private async watchTopology(verifier: DirectoryVerifier, signal: AbortSignal, live: () => void): Promise<void> {
    let gaps = 0;
    for (;;) {
      // Always from version 0: a restarted directory may reuse version numbers for other content.
      const stream = this.topologyClient.watchTopology({ knownVersion: 0n }, { signal });
      let gap = false;
      for await (const message of stream) {
        const update = message.update;
        if (update.case === "snapshot") {
          await verifier.check("topology snapshot", topologyPrefix, update.value.topology, update.value.signature);
          this.topology.applySnapshot(fromBinary(TopologySnapshotSchema, update.value.topology));
          this.keptDeltas = 0;
          this.events.snapshot(update.value.topology, update.value.signature);
          this.status.trustError = undefined;
          live();
        } else if (update.case === "delta") {
          await verifier.check("topology delta", topologyDeltaPrefix, update.value.delta, update.value.signature);
          if (!this.topology.applyDelta(fromBinary(TopologyDeltaSchema, update.value.delta))) {
            gap = true; // a missed delta: start the watch again for a fresh snapshot
            break;
          }
          this.events.delta(update.value.delta, update.value.signature);
          gaps = 0;
          if (++this.keptDeltas >= maxKeptDeltas) {
            // Tabs that join get the snapshot and every delta since: a fresh snapshot keeps that short.
            this.changed();
            break;
          }
        }
        this.changed();
      }
      if (this.keptDeltas >= maxKeptDeltas) continue; // renewed on purpose, not a failure
      if (!gap) throw new Disconnected("the topology watch ended");
      // A directory that keeps sending deltas that do not follow is broken: back off instead of spinning.
      if (++gaps > 3) throw new Disconnected("the topology deltas keep skipping versions");
    }
  }

  private async streamMetrics(signal: AbortSignal): Promise<void> {
    this.metrics.reset();
    this.events.metricsReset();
    const stalled = new AbortController();
    const onAbort = () => stalled.abort();
    signal.addEventListener("abort", onAbort);
    // A half-open connection delivers nothing and reports no error: give up on a silent stream.
    const watchdog = setInterval(() => {
      const limit = Math.max(30_000, 5_000 * this.metrics.windowSeconds);
      if (this.metrics.lastFrameAt > 0 && performance.now() - this.metrics.lastFrameAt > limit) stalled.abort();
    }, 5_000);
    try {
      this.metrics.lastFrameAt = 0;
      const stream = this.metricsClient.streamMetrics({ replayFrames: this.options.replayFrames }, { signal: stalled.signal });
      for await (const frame of stream) {
        this.metrics.apply(frame);
        this.events.frame(frame);
        this.changed();
      }
      throw new Disconnected("the metrics stream ended");
    } catch (e) {
      if (stalled.signal.aborted && !signal.aborted) throw new Disconnected("no metrics for too long");
      throw e;
    } finally {
      clearInterval(watchdog);
      signal.removeEventListener("abort", onAbort);
    }
  }
}

function describe(e: unknown): string {
  if (e instanceof ConnectError) {
    return e.code === Code.Unavailable || e.code === Code.Unknown ? `directory not reachable (${e.rawMessage})` : `${Code[e.code]}: ${e.rawMessage}`;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
