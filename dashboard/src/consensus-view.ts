// The consensus panel: epoch, validity times, signers and the stale warning. Text only (textContent).

import { abbreviate, formatAgo, formatUtc } from "./format.js";
import type { ConsensusModel } from "./consensus.js";

export class ConsensusView {
  private readonly root: HTMLElement;
  private readonly field: Record<string, HTMLElement> = {};
  private seen = -1;

  constructor(private readonly model: ConsensusModel) {
    this.root = document.querySelector<HTMLElement>("[data-testid='consensus']")!;
    for (const el of this.root.querySelectorAll<HTMLElement>("[data-testid^='cs-']")) {
      this.field[el.dataset.testid!.slice(3)] = el;
    }
  }

  /** Called on every page render (at least once a second, so staleness shows without new data). */
  render(): void {
    const m = this.model;
    this.root.hidden = m.mode !== "authority";
    if (this.root.dataset.mode !== m.mode) this.root.dataset.mode = m.mode;
    if (m.mode !== "authority") return;
    const c = m.current;
    const now = Date.now();

    // The warning: no consensus at all, or one past fresh_until (no consensus for the current epoch).
    let warning = "";
    let level = "";
    if (!c) {
      warning = `No consensus: ${m.missing ?? "none received yet"}.`;
      level = "missing";
    } else if (c.validUntilMs && now >= c.validUntilMs) {
      warning = `Consensus expired: epoch ${c.epoch} was valid until ${formatUtc(c.validUntilMs)} (${formatAgo(c.validUntilMs, now)}); `
        + "clients refuse it. The authorities have not agreed on a newer one.";
      level = "expired";
    } else if (c.freshUntilMs && now >= c.freshUntilMs) {
      warning = `Consensus stale: no consensus for the current epoch. Epoch ${c.epoch} was fresh until ${formatUtc(c.freshUntilMs)} `
        + `(${formatAgo(c.freshUntilMs, now)}) and stays in service until ${formatUtc(c.validUntilMs)}.`
        + (m.missing ? ` The directory says: ${m.missing}.` : "");
      level = "stale";
    }
    if (m.refused) {
      warning = `${warning ? `${warning} ` : ""}Refused the latest document: ${m.refused}.`;
      level ||= "refused";
    }
    if (m.error) warning = `${warning ? `${warning} ` : ""}Could not ask the directory: ${m.error}.`;
    set(this.field.stale, warning);
    this.field.stale.hidden = !warning;
    if (this.field.stale.dataset.level !== level) this.field.stale.dataset.level = level;
    this.root.dataset.state = level || "fresh";

    if (m.revision === this.seen) return;
    this.seen = m.revision;
    set(this.field.epoch, c ? String(c.epoch) : "—");
    this.field.epoch.dataset.epoch = c ? String(c.epoch) : "";
    set(this.field["valid-after"], c ? formatUtc(c.validAfterMs) : "—");
    set(this.field["fresh-until"], c ? formatUtc(c.freshUntilMs) : "—");
    set(this.field["valid-until"], c ? formatUtc(c.validUntilMs) : "—");
    set(this.field.nodes, c ? String(c.nodes) : "—");
    set(this.field.signed, c ? `${c.validSignatures} of ${c.signers.length} authorities (threshold ${c.threshold})` : "—");
    this.field.signed.dataset.valid = c ? String(c.validSignatures) : "";
    this.field.signed.dataset.authorities = c ? String(c.signers.length) : "";
    this.field.signed.dataset.threshold = c ? String(c.threshold) : "";
    set(this.field.summary, c ? `· epoch ${c.epoch}` : "");
    set(this.field.verified, c ? "authority signatures checked in this page" : "");

    const items = (c?.signers ?? []).map((s) => {
      const li = document.createElement("li");
      li.className = "signer";
      li.dataset.testid = "cs-signer";
      li.dataset.key = s.key;
      li.dataset.signed = s.check;
      const mark = s.check === "valid" ? "✓ signed" : s.check === "invalid" ? "✗ invalid signature" : "· not signed";
      const name = m.names.get(s.key);
      li.textContent = `${name ? `${name} ` : ""}${abbreviate(s.key)} ${mark}`;
      li.title = `authority ${name ? `"${name}" ` : ""}key ${s.key}${s.reason ? `: ${s.reason}` : ""}`;
      return li;
    });
    this.field.signers.replaceChildren(...items);
    // One attribute with every signer's check, so a reader (or a test) sees one consistent state.
    this.field.signers.dataset.checks = (c?.signers ?? []).map((s) => `${s.key}:${s.check}`).join(" ");
  }
}

function set(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
