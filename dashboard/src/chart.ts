// The traffic chart: sent and received packets per second (network-wide, or one node's), on a canvas.

import type { HistoryPoint } from "./model.js";
import { formatRate } from "./format.js";
import { beginPlot, context2d, emptyText, gridLine, timeLabels } from "./plot.js";

const colors = {
  sent: "#4fd1c5",
  received: "#f6ad55",
};

export class TrafficChart {
  private readonly context: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.context = context2d(canvas);
  }

  draw(points: readonly HistoryPoint[]): void {
    const plot = beginPlot(this.canvas, this.context, { left: 56, right: 12, top: 10, bottom: 22 });
    if (!plot) return;

    let max = 0;
    for (const p of points) max = Math.max(max, p.sent, p.received);
    const scale = niceCeiling(max);

    // Horizontal grid with rate labels.
    const steps = 4;
    for (let i = 0; i <= steps; i++) {
      gridLine(plot, plot.top + plot.height - (plot.height * i) / steps, formatRate((scale * i) / steps), 8);
    }

    if (points.length < 2) {
      emptyText(plot, points.length === 0 ? "waiting for metrics…" : "collecting…");
      return;
    }

    const t0 = points[0].endMs;
    const t1 = points[points.length - 1].endMs;
    const span = Math.max(1, t1 - t0);
    const x = (t: number) => plot.left + ((t - t0) / span) * plot.width;
    const y = (v: number) => plot.top + plot.height - (v / scale) * plot.height;
    timeLabels(plot, t0, t1, true);

    // Sent and received are often equal, so the lines must both show when they coincide: sent
    // is wide and solid underneath, received narrow and dashed on top, its gaps showing sent.
    this.series(points, (p) => p.sent, x, y, colors.sent, plot.top + plot.height, 3.5, []);
    this.series(points, (p) => p.received, x, y, colors.received, plot.top + plot.height, 1.75, [7, 5]);
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
