// Sharing one directory connection between the tabs of a browser. Over cleartext HTTP/1.1 a
// browser opens at most six connections to a host, and every tab would hold two streams: the
// fourth tab would stall. So one tab (the leader, see election.ts) holds the streams and passes
// on what it received over a BroadcastChannel, which only pages of the same origin can join.
//
// Every other tab still checks each snapshot and delta signature itself, with the directory key
// it pinned, before showing anything: the relay is a transport, not a source of trust.

import { fromBinary } from "@bufbuild/protobuf";
import type { StreamMetricsResponse } from "./gen/mixnet/directory/v1/metrics_service_pb.js";
import { TopologyDeltaSchema, TopologySnapshotSchema } from "./gen/mixnet/directory/v1/topology_pb.js";
import type { ConnectionEvents, ConnectionState, ConnectionStatus } from "./connection.js";
import type { HistoryPoint, MetricsModel, TopologyModel } from "./model.js";
import { DirectoryVerifier, SignatureError, topologyDeltaPrefix, topologyPrefix, type KeyPin } from "./signatures.js";

export interface Signed {
  bytes: Uint8Array;
  signature: Uint8Array;
}

export interface RelayedStatus {
  state: ConnectionState;
  trustError?: string;
  lastError?: string;
  nextRetryAt?: number;
}

/** Everything a tab that joins needs to show what the leader shows. */
export interface SyncState {
  info?: { directoryKey: Uint8Array; serverVersion: string };
  snapshot?: Signed;
  deltas: Signed[];
  history: HistoryPoint[];
  windowSeconds: number;
  latestFrame?: StreamMetricsResponse;
  status: RelayedStatus;
}

export type RelayMessage =
  | { t: "hello" } // a tab that wants the current state
  | { t: "beat" } // the leader is alive (only needed without Web Locks)
  | { t: "bye" } // the leader's page is closing
  | { t: "sync"; to: string; state: SyncState }
  | { t: "info"; directoryKey: Uint8Array; serverVersion: string }
  | { t: "snapshot"; signed: Signed }
  | { t: "delta"; signed: Signed }
  | { t: "metrics-reset" }
  | { t: "frame"; frame: StreamMetricsResponse }
  | { t: "status"; status: RelayedStatus };

export type Envelope = RelayMessage & { from: string };

/** The channel between this origin's dashboard tabs. */
export class Relay {
  readonly id = crypto.getRandomValues(new Uint32Array(2)).join("-");
  private readonly channel: BroadcastChannel;
  private readonly handlers: ((m: Envelope) => void)[] = [];

  constructor(name: string) {
    this.channel = new BroadcastChannel(name);
    this.channel.onmessage = (e: MessageEvent<Envelope>) => {
      const m = e.data;
      if (m && typeof m === "object" && typeof m.t === "string" && typeof m.from === "string") {
        for (const h of this.handlers) h(m);
      }
    };
  }

  post(m: RelayMessage): void {
    this.channel.postMessage({ ...m, from: this.id });
  }

  on(handler: (m: Envelope) => void): void {
    this.handlers.push(handler);
  }
}

export function relayedStatus(s: ConnectionStatus): RelayedStatus {
  return { state: s.state, trustError: s.trustError, lastError: s.lastError, nextRetryAt: s.nextRetryAt };
}

/** The leader's side: passes on every verified update and keeps what a joining tab needs. */
export class Broadcaster implements ConnectionEvents {
  private infoKept: SyncState["info"];
  private snapshotKept: Signed | undefined;
  private deltas: Signed[] = [];
  private lastStatus = "";

  constructor(
    private readonly relay: Relay,
    private readonly metrics: MetricsModel,
    private readonly status: ConnectionStatus,
  ) {}

  info(directoryKey: Uint8Array, serverVersion: string): void {
    this.infoKept = { directoryKey, serverVersion };
    this.relay.post({ t: "info", directoryKey, serverVersion });
  }

  snapshot(bytes: Uint8Array, signature: Uint8Array): void {
    this.snapshotKept = { bytes, signature };
    this.deltas = [];
    this.relay.post({ t: "snapshot", signed: this.snapshotKept });
  }

  delta(bytes: Uint8Array, signature: Uint8Array): void {
    const signed = { bytes, signature };
    this.deltas.push(signed);
    this.relay.post({ t: "delta", signed });
  }

  metricsReset(): void {
    this.relay.post({ t: "metrics-reset" });
  }

  frame(frame: StreamMetricsResponse): void {
    this.relay.post({ t: "frame", frame });
  }

  /** Posts the connection state when it changed (called on every change of the page). */
  statusChanged(): void {
    const s = relayedStatus(this.status);
    const text = JSON.stringify(s);
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    this.relay.post({ t: "status", status: s });
  }

  /** Answers a tab that said hello. */
  sync(to: string): void {
    this.relay.post({
      t: "sync",
      to,
      state: {
        info: this.infoKept,
        snapshot: this.snapshotKept,
        deltas: this.deltas,
        history: this.metrics.history,
        windowSeconds: this.metrics.windowSeconds,
        latestFrame: this.metrics.latestFrame,
        status: relayedStatus(this.status),
      },
    });
  }
}

/** A follower's side: checks and applies what the leader relays, one message at a time. */
export class Follower {
  private verifier: DirectoryVerifier | undefined;
  private queue: Promise<void> = Promise.resolve();
  private synced = false;

  constructor(
    private readonly relay: Relay,
    private readonly status: ConnectionStatus,
    private readonly pin: KeyPin,
    private readonly topology: TopologyModel,
    private readonly metrics: MetricsModel,
    private readonly changed: () => void,
  ) {}

  /** Asks the leader (if there is one yet) for the current state. */
  hello(): void {
    this.synced = false;
    this.relay.post({ t: "hello" });
  }

  handle(m: Envelope): void {
    // Verification is asynchronous; the queue keeps deltas in the order they were sent.
    this.queue = this.queue
      .then(() => this.process(m))
      .catch((e: unknown) => {
        // The data is dropped either way; the queue must go on with the next message.
        if (e instanceof SignatureError) this.status.trustError = e.message;
        else this.status.lastError = `relayed update refused (${String(e)})`;
      })
      .finally(this.changed);
  }

  private async process(m: Envelope): Promise<void> {
    switch (m.t) {
      case "sync":
        if (m.to === this.relay.id) await this.applySync(m.state);
        return;
      case "info":
        await this.applyInfo(m.directoryKey, m.serverVersion);
        return;
      case "snapshot":
        await this.applySnapshot(m.signed);
        return;
      case "delta":
        await this.applyDelta(m.signed);
        return;
      case "metrics-reset":
        // A stream starting over: everything from here on is complete, whatever came before.
        this.metrics.reset();
        this.synced = true;
        return;
      case "frame":
        if (this.synced) this.metrics.apply(m.frame);
        return;
      case "status":
        this.applyStatus(m.status);
        return;
    }
  }

  private async applySync(state: SyncState): Promise<void> {
    if (state.info) await this.applyInfo(state.info.directoryKey, state.info.serverVersion);
    if (state.snapshot) {
      await this.applySnapshot(state.snapshot);
      for (const d of state.deltas) if (!(await this.applyDelta(d))) break;
    }
    this.metrics.restore(state.history.slice(0, state.latestFrame ? -1 : undefined), state.windowSeconds);
    if (state.latestFrame) this.metrics.apply(state.latestFrame);
    this.applyStatus(state.status);
    this.synced = true;
  }

  private async applyInfo(key: Uint8Array, serverVersion: string): Promise<void> {
    const verifier = await DirectoryVerifier.create(key);
    this.status.fingerprint = await this.pin.accept(key);
    this.verifier = verifier;
    this.status.serverVersion = serverVersion;
    this.status.verifier = verifier.engine;
  }

  private async applySnapshot(s: Signed): Promise<void> {
    if (!this.verifier) return;
    await this.verifier.check("topology snapshot", topologyPrefix, s.bytes, s.signature);
    this.topology.applySnapshot(fromBinary(TopologySnapshotSchema, s.bytes));
    this.status.trustError = undefined;
  }

  private async applyDelta(s: Signed): Promise<boolean> {
    if (!this.verifier || this.topology.version === undefined) return false;
    await this.verifier.check("topology delta", topologyDeltaPrefix, s.bytes, s.signature);
    if (this.topology.applyDelta(fromBinary(TopologyDeltaSchema, s.bytes))) return true;
    // A message this tab missed (it joined mid-way): the leader sends everything again.
    if (this.synced) this.hello();
    return false;
  }

  private applyStatus(s: RelayedStatus): void {
    this.status.state = s.state;
    this.status.lastError = s.lastError;
    this.status.nextRetryAt = s.nextRetryAt;
    if (s.trustError) this.status.trustError = s.trustError;
  }
}
