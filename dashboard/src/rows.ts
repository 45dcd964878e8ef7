// One node's row. Every value is set with textContent or a DOM property: a node's location
// or host is attacker-controlled text and must never become markup.

import { abbreviate, formatRate } from "./format.js";
import { reliabilityThreshold, type NodeInfo, type Quality, type Rate } from "./model.js";

function span(className: string, testId?: string): HTMLSpanElement {
  const el = document.createElement("span");
  el.className = className;
  if (testId) el.dataset.testid = testId;
  return el;
}

export class NodeRow {
  readonly element: HTMLLIElement;
  private readonly identity: HTMLButtonElement;
  private readonly version = span("version", "version");
  private readonly host = span("host", "host");
  private readonly location = span("location", "location");
  private readonly sent = span("rate sent", "sent");
  private readonly received = span("rate received", "received");
  private readonly score = span("score", "score");
  private readonly excluded = span("excluded", "excluded");
  private info: NodeInfo | undefined;
  private quality: Quality | undefined | null = null; // null: never shown
  private shownSent = "";
  private shownReceived = "";

  constructor(readonly id: string) {
    this.element = document.createElement("li");
    this.element.className = "node";
    this.element.dataset.testid = `node-${id}`;
    this.element.dataset.id = id;
    // The whole row opens the node's details; the identity inside it copies the key.
    this.element.tabIndex = 0;
    this.element.title = "show details";

    this.identity = document.createElement("button");
    this.identity.type = "button";
    this.identity.className = "identity";
    this.identity.dataset.testid = "identity";
    this.identity.dataset.key = id;
    this.identity.title = id;
    this.identity.setAttribute("aria-label", `identity ${id}, click to copy`);
    this.identity.textContent = abbreviate(id);

    const head = document.createElement("div");
    head.className = "row-head";
    this.excluded.textContent = "excluded";
    this.excluded.title = "disputed by too many of its peers last period: clients do not route through it";
    this.excluded.hidden = true;
    head.append(this.identity, this.score, this.excluded, this.version);
    const where = document.createElement("div");
    where.className = "row-where";
    where.append(this.host, this.location);
    const rates = document.createElement("div");
    rates.className = "row-rates";
    rates.append(this.sent, this.received);
    this.element.append(head, where, rates);
  }

  update(info: NodeInfo, rate: Rate | undefined, quality: Quality | undefined): void {
    if (quality !== this.quality) {
      this.quality = quality;
      showScore(this.score, quality);
      this.excluded.hidden = !quality?.excluded;
      this.element.classList.toggle("is-excluded", !!quality?.excluded);
    }
    if (this.info !== info) {
      this.info = info;
      this.version.textContent = info.version ? `v${info.version.replace(/^v/, "")}` : "";
      // IPv6 literals are bracketed so the port cannot be read as part of the address.
      const host = info.host.includes(":") ? `[${info.host}]` : info.host;
      this.host.textContent = `${host}:${info.mixPort}`;
      this.host.title = info.clientPort
        ? `${host}:${info.mixPort} (mix port), client port ${info.clientPort}`
        : `${host}:${info.mixPort} (mix port)`;
      this.location.textContent = info.location;
      this.location.title = info.location;
    }
    const sent = `↑ ${formatRate(rate?.sent ?? 0)}/s`;
    const received = `↓ ${formatRate(rate?.received ?? 0)}/s`;
    if (sent !== this.shownSent) this.sent.textContent = this.shownSent = sent;
    if (received !== this.shownReceived) this.received.textContent = this.shownReceived = received;
  }
}

/**
 * The reliability badge: a whole percentage rounded down (so a node shown at 50 % is at or above
 * the clients' threshold), coloured by that threshold. data-level is what the colour means.
 */
export function showScore(el: HTMLElement, quality: Quality | undefined): void {
  if (!quality) {
    el.textContent = "—";
    el.dataset.level = "none";
    el.title = "not scored yet";
    return;
  }
  el.textContent = `${Math.floor(quality.reliability * 100)} %`;
  el.dataset.level = quality.reliability >= reliabilityThreshold ? "good" : "low";
  el.dataset.reliability = quality.reliability.toFixed(3);
  el.title = `reliability ${quality.reliability.toFixed(3)} over the last hour, ${quality.reliability24h.toFixed(3)} over 24 h, `
    + `uptime ${Math.round(quality.uptime * 100)} %; clients skip nodes below ${reliabilityThreshold}`;
}
