// Which tab holds the directory connection. With the Web Locks API the browser itself decides:
// the tab holding the lock leads, and when it closes (or crashes) the lock passes to a waiting
// tab. Browsers offer Web Locks only in secure contexts; a dashboard opened over plain http on a
// LAN address falls back to heartbeats over the BroadcastChannel.

import type { Envelope, Relay } from "./relay.js";

export interface ElectionCallbacks {
  lead(): void;
  follow(): void;
}

/** Leader heartbeat period and the silence after which a follower takes over (fallback only). */
export const beatMs = 1_000;
export const leaderSilenceMs = 3_500;

const lockName = "mixnet-directory-dashboard-leader";

export function elect(relay: Relay, callbacks: ElectionCallbacks): "web-locks" | "broadcast" {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (locks && typeof locks.request === "function") {
    // The callback's promise never settles: the lock is held for the page's lifetime.
    locks.request(lockName, () => new Promise<never>(() => callbacks.lead()))
      // Refused (an opaque origin, say): elect over the channel instead of never connecting.
      .catch(() => new HeartbeatElection(relay, callbacks).start());
    return "web-locks";
  }
  new HeartbeatElection(relay, callbacks).start();
  return "broadcast";
}

/**
 * Without Web Locks: the leader posts a beat every second (any relayed update counts too).
 * A follower that hears nothing for a few seconds, or hears the leader say bye, claims the
 * role after a random delay; if two tabs claim at once, the one with the lower id keeps it.
 */
class HeartbeatElection {
  private leading = false;
  private lastHeard = 0;
  private claim: number | undefined;

  constructor(private readonly relay: Relay, private readonly callbacks: ElectionCallbacks) {}

  start(): void {
    this.lastHeard = performance.now() - leaderSilenceMs + 700; // a leader answers the first hello at once
    this.relay.on((m) => this.heard(m));
    setInterval(() => this.tick(), beatMs / 2);
    window.addEventListener("pagehide", () => {
      if (this.leading) this.relay.post({ t: "bye" });
    });
  }

  private heard(m: Envelope): void {
    if (m.t === "hello") {
      if (this.leading) this.relay.post({ t: "beat" });
      return;
    }
    // Every other message comes from a tab that leads.
    if (m.t === "bye") {
      this.lastHeard = -Infinity;
      this.scheduleClaim(Math.random() * 300);
      return;
    }
    if (this.leading) {
      // Two leaders: the lower id stays, the other steps down and listens.
      if (m.from < this.relay.id) {
        this.leading = false;
        this.lastHeard = performance.now();
        this.callbacks.follow();
      }
      return;
    }
    this.lastHeard = performance.now();
    this.cancelClaim();
  }

  private tick(): void {
    if (this.leading) {
      this.relay.post({ t: "beat" });
    } else if (performance.now() - this.lastHeard > leaderSilenceMs) {
      this.scheduleClaim(Math.random() * 500);
    }
  }

  private scheduleClaim(delayMs: number): void {
    if (this.claim !== undefined || this.leading) return;
    this.claim = window.setTimeout(() => {
      this.claim = undefined;
      if (this.leading || performance.now() - this.lastHeard <= leaderSilenceMs) return;
      this.leading = true;
      this.relay.post({ t: "beat" });
      this.callbacks.lead();
    }, delayMs);
  }

  private cancelClaim(): void {
    window.clearTimeout(this.claim);
    this.claim = undefined;
  }
}
