// A top view of the panels drawn with the 2-D canvas API: the loss map (painted
// by render/surface-image.ts, as on the page), the particle histogram over it,
// and the labels a video needs to be understood on its own (panel, T, step).
// Used for the headless runner's --video.
import { LABEL_COLOR, SUB_COLOR, drawFooter, drawLabelLines } from './frame-text';
import { formatNumber } from '../model/format';
import type { Domain, Surface } from '../model/surface-types';
import { LOSS_FIELD_GRID, SurfaceField } from '../render/surface-field';
import { paintSurfaceBitmap } from '../render/surface-image';

export interface PanelView {
  label: string;
  /** T in loss units, null when the optimizer has none (Adam) */
  temperature: number | null;
  /** counts per cell, grid x grid, cell (ix, iy) at iy * grid + ix */
  histogram: Uint32Array;
  diverged: number;
}

/**
 * The loss map of a video's top view, `side` pixels square: the page's loss
 * image (same field grid, display scale, colour map, contours and critical-point
 * markers) of `surface` over `domain`.
 */
export function videoLossMap(surface: Surface, domain: Domain, side: number): OffscreenCanvas {
  return paintSurfaceBitmap(new SurfaceField(surface, domain, LOSS_FIELD_GRID), { size: side });
}

/** Pixels above the maps (panel labels) in a frame `height` pixels high. */
const headerHeight = (height: number) => Math.round(height * 0.09);

/**
 * Where panel k's map lies in a width x height frame of `panels` panels:
 * top-left corner (x, y) and side, in pixels (centred in the panel's column,
 * below the header). `side` is the size to paint `background` at.
 */
export function topViewMapRect(width: number, height: number, panels: number, k = 0): { x: number; y: number; side: number } {
  const header = headerHeight(height);
  const cellW = Math.floor(width / panels);
  const side = Math.min(cellW - 8, height - header - 8);
  return { x: k * cellW + Math.floor((cellW - side) / 2), y: header + Math.floor((height - header - side) / 2), side };
}

/**
 * Draws all panels side by side. `background` is the loss map (videoLossMap),
 * scaled to each panel's map; particle density is drawn in warm colours, log-scaled.
 */
export function drawTopView(
  ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D,
  width: number, height: number, background: CanvasImageSource, grid: number, panels: PanelView[], step: number, title: string,
): void {
  const header = headerHeight(height);
  ctx.fillStyle = '#0b0f1a';
  ctx.fillRect(0, 0, width, height);
  const n = panels.length;
  const scratch = new OffscreenCanvas(grid, grid);
  const sctx = scratch.getContext('2d')!;
  panels.forEach((p, k) => {
    const { x: x0, y: y0, side: map } = topViewMapRect(width, height, n, k);
    ctx.drawImage(background, x0, y0, map, map);
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

