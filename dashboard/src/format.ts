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

/** How long ago, for a line that updates every second: "12 s ago", "3 min ago", "5 h ago", "2 d ago". */
export function formatAgo(ms: number, now = Date.now()): string {
  // A viewer's clock a little ahead of the directory's must not say "in the future".
  const seconds = Math.max(0, Math.floor((now - ms) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** An instant as "2026-01-02 03:04:05 UTC": exact and the same for every viewer. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** The bytes of a lower-case hex string produced by toHex. */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
