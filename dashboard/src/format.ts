// Text helpers. Everything here returns plain strings that the view assigns with textContent.

const hexDigits = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lower-case hex, the way identities are written in logs, the CLI and the dashboard. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += hexDigits[b];
  return out;
}

/** The first 8 hex digits of a key, for tables; never an id. */
export function abbreviate(hex: string): string {
  return hex.slice(0, 8);
}

/** Unpadded standard base64, as in OpenSSH fingerprints. */
export function toBase64Unpadded(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, "");
}

const integer = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1, minimumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

/** A packets-per-second figure: one decimal below 10, grouped integers above, compact past a million. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return "—";
  if (value < 10) return oneDecimal.format(value);
  if (value < 1_000_000) return integer.format(value);
  return compact.format(value);
}

export function formatCount(value: number): string {
  return integer.format(value);
}

/** A duration in seconds as "3 min", "45 s". */
export function formatSpan(seconds: number): string {
  if (seconds >= 120) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds)} s`;
}

/** A wall-clock time as HH:MM:SS in the viewer's zone. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => n.toString().padStart(2, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
