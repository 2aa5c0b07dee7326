// A top view of the panels drawn with the 2-D canvas API: the loss as a
// shaded map with contour lines, the particle histogram over it, and the labels
// a video needs to be understood on its own (panel, T, step). Used for
// recordings and the headless runner's --video.
import type { Domain, Surface } from '../model/surface-types';
import { LABEL_COLOR, SUB_COLOR, drawFooter, drawLabelLines } from './frame-text';
import { formatNumber } from '../model/format';

export interface PanelView {
  label: string;
  /** T in loss units, null when the optimizer has none (Adam) */
  temperature: number | null;
  /** counts per cell, grid x grid, cell (ix, iy) at iy * grid + ix */
  histogram: Uint32Array;
  diverged: number;
}

/** Loss values at the centres of a w x h raster over the domain (row 0 at the top: y max). */
export function lossRaster(surface: Surface, domain: Domain, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let r = 0; r < h; r++) {
    const y = domain.y[1] - ((r + 0.5) / h) * (domain.y[1] - domain.y[0]);
    for (let c = 0; c < w; c++) out[r * w + c] = surface.value(domain.x[0] + ((c + 0.5) / w) * (domain.x[1] - domain.x[0]), y);
  }
  return out;
}

/** Shaded loss map: dark blue (low) to pale (high) on a log-like scale, with 12 contour lines. */
export function lossImage(values: Float32Array, w: number, h: number): ImageData {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = Math.max(hi - lo, 1e-12);
  const level = (v: number) => Math.sqrt(Math.max(0, (v - lo) / span)); // more resolution near the minima
  const img = new ImageData(w, h);
  const bands = 12;
  for (let i = 0; i < w * h; i++) {
    const t = Number.isFinite(values[i]) ? level(values[i]) : 1;
    const band = Math.floor(t * bands);
    const right = i % w < w - 1 ? Math.floor(level(values[i + 1]) * bands) : band;
    const below = i + w < w * h ? Math.floor(level(values[i + w]) * bands) : band;
    const contour = band !== right || band !== below;
    const shade = contour ? 0.55 : 0.12 + 0.55 * t;
    img.data[4 * i] = Math.round(255 * shade * 0.55);
    img.data[4 * i + 1] = Math.round(255 * shade * 0.7);
    img.data[4 * i + 2] = Math.round(255 * (0.25 + 0.6 * shade));
    img.data[4 * i + 3] = 255;
  }
  return img;
}

/**
 * Draws all panels side by side. `background` is the shaded loss at the size of
 * one panel's map; particle density is drawn in warm colours, log-scaled.
 */
export function drawTopView(
  ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D,
  width: number, height: number, background: ImageData, grid: number, panels: PanelView[], step: number, title: string,
): void {
  const header = Math.round(height * 0.09);
  ctx.fillStyle = '#0b0f1a';
  ctx.fillRect(0, 0, width, height);
  const n = panels.length;
  const cellW = Math.floor(width / n);
  const map = Math.min(cellW - 8, height - header - 8);
  const scratch = new OffscreenCanvas(grid, grid);
  const sctx = scratch.getContext('2d')!;
  const bg = new OffscreenCanvas(background.width, background.height);
  bg.getContext('2d')!.putImageData(background, 0, 0);
  panels.forEach((p, k) => {
    const x0 = k * cellW + Math.floor((cellW - map) / 2);
    const y0 = header + Math.floor((height - header - map) / 2);
    ctx.drawImage(bg, x0, y0, map, map);
    // particle density: alpha and colour from log(1 + count), rows flipped so y grows upwards
    let max = 1;
    for (const c of p.histogram) max = Math.max(max, c);
    const img = new ImageData(grid, grid);
    for (let iy = 0; iy < grid; iy++) {
      for (let ix = 0; ix < grid; ix++) {
        const c = p.histogram[iy * grid + ix];
        if (c === 0) continue;
        const t = Math.log1p(c) / Math.log1p(max);
        const o = 4 * ((grid - 1 - iy) * grid + ix);
        img.data[o] = 255;
        img.data[o + 1] = Math.round(120 + 135 * t);
        img.data[o + 2] = Math.round(40 + 60 * t);
        img.data[o + 3] = Math.round(90 + 165 * t);
      }
    }
    sctx.clearRect(0, 0, grid, grid);
    sctx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(scratch, x0, y0, map, map);
    ctx.imageSmoothingEnabled = true;
    ctx.strokeStyle = '#3a4766';
    ctx.strokeRect(x0 + 0.5, y0 + 0.5, map - 1, map - 1);
    const temp = p.temperature === null ? 'T n/a (Adam)' : `T = ${formatNumber(p.temperature)}`;
    drawLabelLines(ctx, x0, header * 0.15, map, Math.max(10, Math.round(header * 0.32)), [
      [{ text: p.label, color: LABEL_COLOR }],
      [{ text: `${temp}${p.diverged ? ` · ${p.diverged} diverged` : ''}`, color: SUB_COLOR }],
    ]);
  });
  drawFooter(ctx, width, height, Math.max(10, Math.round(header * 0.28)), `${title} · step ${step}`);
}

