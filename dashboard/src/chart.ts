// The traffic chart: sent and received packets per second (network-wide, or one node's), on a canvas.

import type { HistoryPoint } from "./model.js";
import { formatClock, formatRate } from "./format.js";

const colors = {
  sent: "#4fd1c5",
  received: "#f6ad55",
  grid: "rgba(148, 163, 184, 0.16)",
  axis: "#8b98ad",
  empty: "#64748b",
};

export class TrafficChart {
  private readonly context: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2D canvas");
    this.context = context;
  }

  draw(points: readonly HistoryPoint[]): void {
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = this.canvas.clientWidth;
    const cssHeight = this.canvas.clientHeight;
    if (cssWidth === 0 || cssHeight === 0) return;
    const width = Math.round(cssWidth * ratio);
    const height = Math.round(cssHeight * ratio);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const g = this.context;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, cssWidth, cssHeight);
    g.font = "11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";

    const left = 56;
    const right = 12;
    const top = 10;
    const bottom = 22;
    const plotW = Math.max(1, cssWidth - left - right);
    const plotH = Math.max(1, cssHeight - top - bottom);

    let max = 0;
    for (const p of points) max = Math.max(max, p.sent, p.received);
    const scale = niceCeiling(max);

    // Horizontal grid with rate labels.
    g.strokeStyle = colors.grid;
    g.fillStyle = colors.axis;
    g.lineWidth = 1;
    g.textAlign = "right";
    g.textBaseline = "middle";
    const steps = 4;
    for (let i = 0; i <= steps; i++) {
      const y = top + plotH - (plotH * i) / steps;
      g.beginPath();
      g.moveTo(left, Math.round(y) + 0.5);
      g.lineTo(left + plotW, Math.round(y) + 0.5);
      g.stroke();
      g.fillText(formatRate((scale * i) / steps), left - 8, y);
    }

    if (points.length < 2) {
      g.fillStyle = colors.empty;
      g.textAlign = "center";
      g.fillText(points.length === 0 ? "waiting for metrics…" : "collecting…", left + plotW / 2, top + plotH / 2);
      return;
    }

    const t0 = points[0].endMs;
    const t1 = points[points.length - 1].endMs;
    const span = Math.max(1, t1 - t0);
    const x = (t: number) => left + ((t - t0) / span) * plotW;
    const y = (v: number) => top + plotH - (v / scale) * plotH;

    // Time labels at both ends and the middle.
    g.fillStyle = colors.axis;
    g.textBaseline = "top";
    g.textAlign = "left";
    g.fillText(formatClock(t0), left, top + plotH + 6);
    g.textAlign = "center";
    g.fillText(formatClock(t0 + span / 2), left + plotW / 2, top + plotH + 6);
    g.textAlign = "right";
    g.fillText(formatClock(t1), left + plotW, top + plotH + 6);

    // Sent and received are often equal, so the lines must both show when they coincide: sent
    // is wide and solid underneath, received narrow and dashed on top, its gaps showing sent.
    this.series(points, (p) => p.sent, x, y, colors.sent, top + plotH, 3.5, []);
    this.series(points, (p) => p.received, x, y, colors.received, top + plotH, 1.75, [7, 5]);
  }

  private series(
    points: readonly HistoryPoint[],
    value: (p: HistoryPoint) => number,
    x: (t: number) => number,
    y: (v: number) => number,
    color: string,
    baseline: number,
    width: number,
    dash: number[],
  ): void {
    const g = this.context;
    g.beginPath();
    points.forEach((p, i) => (i === 0 ? g.moveTo(x(p.endMs), y(value(p))) : g.lineTo(x(p.endMs), y(value(p)))));
    g.strokeStyle = color;
    g.lineWidth = width;
    g.lineJoin = "round";
    g.setLineDash(dash);
    g.stroke();
    g.setLineDash([]);
    g.lineTo(x(points[points.length - 1].endMs), baseline);
    g.lineTo(x(points[0].endMs), baseline);
    g.closePath();
    g.globalAlpha = 0.12;
    g.fillStyle = color;
    g.fill();
    g.globalAlpha = 1;
  }
}

/** The smallest 1, 2, 2.5 or 5 × 10^n at or above v (at least 4), so grid labels are round numbers. */
function niceCeiling(v: number): number {
  if (v <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= v) return m * magnitude;
  return 10 * magnitude;
}
