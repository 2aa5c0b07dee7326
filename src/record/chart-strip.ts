// Line charts of a recording's metrics drawn with the 2-D canvas API under the
// panels of a video frame: x = optimizer steps over the whole recording (the
// lines grow as it goes), one line per panel in the panel's colour. Drawn from
// the records read back at each video frame, so a recording's charts do not
// depend on the page's (requestAnimationFrame-paced) uPlot charts.
import type { PanelRecord } from '../scheduler/simulation';
import type { Ctx2d } from './frame-text';
import { LABEL_COLOR, SUB_COLOR, drawLabelLines } from './frame-text';
import { formatNumber, klShown } from '../model/format';

export interface ChartPoint {
  step: number;
  records: PanelRecord[];
}

interface StripChart {
  title: string;
  value(r: PanelRecord): number | null;
}

const MEAN_LOSS: StripChart = { title: 'mean loss E[f] (loss units)', value: (r) => r.meanLoss };
// KL >= 0: a value float rounding puts just below zero is drawn at 0 (as in the page's chart)
const KL: StripChart = { title: 'KL(ρ_t ‖ ρ_∞) (nats)', value: (r) => klShown(r.pde?.klStationary) };
const FREE_ENERGY: StripChart = { title: 'free energy F = E[f] − T·H', value: (r) => r.pde?.freeEnergy ?? null };
const SPREAD: StripChart = { title: 'spread tr Σ = var x + var y', value: (r) => (r.cov ? r.cov[0] + r.cov[2] : null) };

/** The charts drawn: E[f], and the Fokker–Planck KL and free energy when a panel has a PDE (else the cloud's spread). */
export function stripCharts(withPde: boolean): StripChart[] {
  return withPde ? [MEAN_LOSS, KL, FREE_ENERGY] : [MEAN_LOSS, SPREAD];
}

/**
 * Draws the charts side by side in the rectangle (CSS px). `steps` is the
 * x range [first, last] of the whole recording.
 */
export function drawChartStrip(
  ctx: Ctx2d, rect: { x: number; y: number; w: number; h: number }, points: ChartPoint[], colors: string[],
  steps: [number, number], withPde: boolean,
): void {
  ctx.fillStyle = '#0b0d12';
  ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
  const charts = stripCharts(withPde);
  const gap = 8;
  const w = (rect.w - gap * (charts.length + 1)) / charts.length;
  charts.forEach((c, i) => drawChart(ctx, { x: rect.x + gap + i * (w + gap), y: rect.y + 4, w, h: rect.h - 8 }, c, points, colors, steps));
}

function drawChart(ctx: Ctx2d, r: { x: number; y: number; w: number; h: number }, chart: StripChart, points: ChartPoint[], colors: string[], steps: [number, number]): void {
  ctx.fillStyle = '#151922';
  ctx.fillRect(r.x, r.y, r.w, r.h);
  ctx.strokeStyle = '#262c38';
  ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
  drawLabelLines(ctx, r.x + 6, r.y + 4, r.w - 12, 11, [[{ text: chart.title, color: LABEL_COLOR }]]);
  const plot = { x: r.x + 46, y: r.y + 20, w: r.w - 54, h: r.h - 36 };
  if (plot.w < 10 || plot.h < 10) return;
  let lo = Infinity, hi = -Infinity;
  for (const p of points) for (const rec of p.records) {
    const v = chart.value(rec);
    if (v !== null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  const [s0, s1] = steps;
  ctx.font = '10px sans-serif';
  ctx.fillStyle = SUB_COLOR;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(`step ${s0.toLocaleString('en')}`, plot.x, plot.y + plot.h + 3);
  ctx.textAlign = 'right';
  ctx.fillText(`${s1.toLocaleString('en')}`, plot.x + plot.w, plot.y + plot.h + 3);
  ctx.strokeStyle = '#2c3342';
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w - 1, plot.h - 1);
  if (!(hi >= lo)) return;
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) { lo -= 0.5 * Math.max(1e-12, Math.abs(lo)); hi += 0.5 * Math.max(1e-12, Math.abs(hi)); }
  ctx.textBaseline = 'middle';
  ctx.fillText(formatNumber(hi), plot.x - 4, plot.y + 4);
  ctx.fillText(formatNumber(lo), plot.x - 4, plot.y + plot.h - 4);
  ctx.textAlign = 'left';
  const sx = (s: number) => plot.x + ((s - s0) / Math.max(1, s1 - s0)) * plot.w;
  const sy = (v: number) => plot.y + plot.h - ((v - lo) / (hi - lo)) * plot.h;
  const panels = points[0]?.records.length ?? 0;
  ctx.lineWidth = 1.5;
  for (let k = 0; k < panels; k++) {
    ctx.strokeStyle = colors[k % colors.length];
    ctx.beginPath();
    let pen = false;
    for (const p of points) {
      const v = p.records[k] ? chart.value(p.records[k]) : null;
      if (v === null || !Number.isFinite(v)) { pen = false; continue; }
      if (pen) ctx.lineTo(sx(p.step), sy(v));
      else ctx.moveTo(sx(p.step), sy(v));
      pen = true;
    }
    ctx.stroke();
  }
  ctx.lineWidth = 1;
}

