// A node's reliability over the directory's quality window, on a canvas: one point per quality
// period, the clients' threshold as a dashed line.

import { formatClock } from "./format.js";
import { reliabilityThreshold } from "./model.js";

export interface ReliabilityPoint {
  readonly atMs: number;
  readonly reliability: number; // 0..1
}

const colors = {
  line: "#7c9cff",
  low: "#f56565",
  grid: "rgba(148, 163, 184, 0.16)",
  axis: "#8b98ad",
  empty: "#64748b",
};

export class ReliabilityChart {
  private readonly context: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2D canvas");
    this.context = context;
  }

  draw(points: readonly ReliabilityPoint[], emptyText: string): void {
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

    const left = 44;
    const right = 12;
    const top = 8;
    const bottom = 22;
    const plotW = Math.max(1, cssWidth - left - right);
    const plotH = Math.max(1, cssHeight - top - bottom);
    const y = (v: number) => top + plotH - Math.min(1, Math.max(0, v)) * plotH;

    g.lineWidth = 1;
    g.textAlign = "right";
    g.textBaseline = "middle";
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      g.strokeStyle = colors.grid;
      g.beginPath();
      g.moveTo(left, Math.round(y(v)) + 0.5);
      g.lineTo(left + plotW, Math.round(y(v)) + 0.5);
      g.stroke();
      g.fillStyle = colors.axis;
      g.fillText(`${v * 100} %`, left - 6, y(v));
    }
    // The threshold below which clients skip the node.
    g.strokeStyle = colors.low;
    g.setLineDash([4, 4]);
    g.beginPath();
    g.moveTo(left, Math.round(y(reliabilityThreshold)) + 0.5);
    g.lineTo(left + plotW, Math.round(y(reliabilityThreshold)) + 0.5);
    g.stroke();
    g.setLineDash([]);

    if (points.length === 0) {
      g.fillStyle = colors.empty;
      g.textAlign = "center";
      g.fillText(emptyText, left + plotW / 2, top + plotH / 2);
      return;
    }

    const t0 = points[0].atMs;
    const t1 = points[points.length - 1].atMs;
    const span = Math.max(1, t1 - t0);
    const x = (t: number) => (points.length === 1 ? left + plotW / 2 : left + ((t - t0) / span) * plotW);

    g.fillStyle = colors.axis;
    g.textBaseline = "top";
    g.textAlign = "left";
    g.fillText(formatClock(t0), left, top + plotH + 6);
    g.textAlign = "right";
    if (points.length > 1) g.fillText(formatClock(t1), left + plotW, top + plotH + 6);

    g.strokeStyle = colors.line;
    g.lineWidth = 2;
    g.lineJoin = "round";
    g.beginPath();
    points.forEach((p, i) => (i === 0 ? g.moveTo(x(p.atMs), y(p.reliability)) : g.lineTo(x(p.atMs), y(p.reliability))));
    g.stroke();
    // A dot per period, red below the threshold, so single low periods stand out.
    for (const p of points) {
      g.fillStyle = p.reliability >= reliabilityThreshold ? colors.line : colors.low;
      g.beginPath();
      g.arc(x(p.atMs), y(p.reliability), 2.5, 0, 2 * Math.PI);
      g.fill();
    }
  }
}
