// One node's row. Every value is set with textContent or a DOM property: a node's location
// or host is attacker-controlled text and must never become markup.

import { abbreviate, formatRate } from "./format.js";
import type { NodeInfo, Rate } from "./model.js";

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
  private info: NodeInfo | undefined;
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
    head.append(this.identity, this.version);
    const where = document.createElement("div");
    where.className = "row-where";
    where.append(this.host, this.location);
    const rates = document.createElement("div");
    rates.className = "row-rates";
    rates.append(this.sent, this.received);
    this.element.append(head, where, rates);
  }

  update(info: NodeInfo, rate: Rate | undefined): void {
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
