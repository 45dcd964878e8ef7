// What both canvas charts share: sizing for the device's pixel ratio, the plot area inside the
// margins, labelled grid lines, the "nothing yet" text and the clock labels under the plot.

import { formatClock } from "./format.js";

export const plotColors = {
  grid: "rgba(148, 163, 184, 0.16)",
  axis: "#8b98ad",
  empty: "#64748b",
};

/** The area data is drawn in, in CSS pixels, with the context that draws it. */
export interface Plot {
  readonly g: CanvasRenderingContext2D;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Margins around the plot for the axis labels, in CSS pixels. */
export interface Margins {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no 2D canvas");
  return context;
}

/** Sizes the canvas to its CSS box at the device's pixel ratio and clears it; null while it is not laid out. */
export function beginPlot(canvas: HTMLCanvasElement, g: CanvasRenderingContext2D, margins: Margins): Plot | null {
  const ratio = window.devicePixelRatio || 1;
  const cssWidth = canvas.clientWidth;
  const cssHeight = canvas.clientHeight;
  if (cssWidth === 0 || cssHeight === 0) return null;
  const width = Math.round(cssWidth * ratio);
  const height = Math.round(cssHeight * ratio);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, cssWidth, cssHeight);
  g.font = "11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
  return {
    g,
    left: margins.left,
    top: margins.top,
    width: Math.max(1, cssWidth - margins.left - margins.right),
    height: Math.max(1, cssHeight - margins.top - margins.bottom),
  };
}

/** A horizontal line across the plot at y (crisp on the pixel grid), with its label left of the plot. */
export function gridLine(plot: Plot, y: number, label: string, labelGap: number, color = plotColors.grid): void {
  const g = plot.g;
  g.strokeStyle = color;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(plot.left, Math.round(y) + 0.5);
  g.lineTo(plot.left + plot.width, Math.round(y) + 0.5);
  g.stroke();
  if (label === "") return;
  g.fillStyle = plotColors.axis;
  g.textAlign = "right";
  g.textBaseline = "middle";
  g.fillText(label, plot.left - labelGap, y);
}

/** A line of text in the middle of an empty plot. */
export function emptyText(plot: Plot, text: string): void {
  plot.g.fillStyle = plotColors.empty;
  plot.g.textAlign = "center";
  plot.g.textBaseline = "middle";
  plot.g.fillText(text, plot.left + plot.width / 2, plot.top + plot.height / 2);
}

/** Clock labels under the plot: t0 at the left, t1 (when given) at the right, and the middle time when asked. */
export function timeLabels(plot: Plot, t0: number, t1: number | undefined, middle: boolean): void {
  const g = plot.g;
  const y = plot.top + plot.height + 6;
  g.fillStyle = plotColors.axis;
  g.textBaseline = "top";
  g.textAlign = "left";
  g.fillText(formatClock(t0), plot.left, y);
  if (t1 === undefined) return;
  if (middle) {
    g.textAlign = "center";
    g.fillText(formatClock(t0 + (t1 - t0) / 2), plot.left + plot.width / 2, y);
  }
  g.textAlign = "right";
  g.fillText(formatClock(t1), plot.left + plot.width, y);
}
