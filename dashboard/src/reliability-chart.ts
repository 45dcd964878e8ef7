// A node's reliability over the directory's quality window, on a canvas: one point per quality
// period, the clients' threshold as a dashed line.

import { reliabilityThreshold } from "./model.js";
import { beginPlot, context2d, emptyText, gridLine, timeLabels } from "./plot.js";

export interface ReliabilityPoint {
  readonly atMs: number;
  readonly reliability: number; // 0..1
}

const colors = {
  line: "#7c9cff",
  low: "#f56565",
};

export class ReliabilityChart {
  private readonly context: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.context = context2d(canvas);
  }

  draw(points: readonly ReliabilityPoint[], emptyMessage: string): void {
    const plot = beginPlot(this.canvas, this.context, { left: 44, right: 12, top: 8, bottom: 22 });
    if (!plot) return;
    const g = plot.g;
    const y = (v: number) => plot.top + plot.height - Math.min(1, Math.max(0, v)) * plot.height;

    for (const v of [0, 0.25, 0.5, 0.75, 1]) gridLine(plot, y(v), `${v * 100} %`, 6);
    // The threshold below which clients skip the node.
    g.setLineDash([4, 4]);
    gridLine(plot, y(reliabilityThreshold), "", 0, colors.low);
    g.setLineDash([]);

    if (points.length === 0) {
      emptyText(plot, emptyMessage);
      return;
    }

    const t0 = points[0].atMs;
    const t1 = points[points.length - 1].atMs;
    const span = Math.max(1, t1 - t0);
    const x = (t: number) => (points.length === 1 ? plot.left + plot.width / 2 : plot.left + ((t - t0) / span) * plot.width);
    timeLabels(plot, t0, points.length > 1 ? t1 : undefined, false);

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
