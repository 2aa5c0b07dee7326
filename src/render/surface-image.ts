// The loss as an image: colour-mapped display scale, contour lines (marching
// squares on the field's grid) and markers at the known critical points.
// Row 0 of the canvas is the domain's y maximum (a texture with flipY puts
// v = 0 at y minimum). The one loss painter: the page's surface and top-view
// textures and the recorded videos' top views (record/top-view.ts) all paint
// the loss with paintLoss, so a video looks like the page.
import { colormapTable, type ColormapName } from './colormap';
import type { SurfaceField } from './surface-field';

export interface SurfaceImageOptions {
  /** pixels per side */
  size?: number;
  colormap?: ColormapName;
  contours?: number;
}

/** A 2-D context of a page canvas or an offscreen one (workers, video frames). */
export type Canvas2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** The loss image on a new page canvas of options.size (default 512) pixels per side. */
export function paintSurfaceImage(field: SurfaceField, options: SurfaceImageOptions = {}): HTMLCanvasElement {
  const size = options.size ?? 512;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('SurfaceImage: no 2-D canvas context');
  paintLoss(ctx, field, { ...options, size });
  return canvas;
}

/** The loss image on a new OffscreenCanvas of options.size (default 512) pixels per side. */
export function paintSurfaceBitmap(field: SurfaceField, options: SurfaceImageOptions = {}): OffscreenCanvas {
  const size = options.size ?? 512;
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('SurfaceImage: no 2-D offscreen canvas context');
  paintLoss(ctx, field, { ...options, size });
  return canvas;
}

/**
 * Paints the loss over the square (0, 0)-(size, size) of `ctx`: each pixel the
 * colour map (default viridis) at the field's display scale of the bilinear
 * loss there, then `contours` (default 14) contour lines evenly spaced in the
 * display scale, then the known critical points (white: circle minimum,
 * cross saddle, plus maximum).
 */
export function paintLoss(ctx: Canvas2D, field: SurfaceField, options: SurfaceImageOptions = {}): void {
  const size = options.size ?? 512;
  const img = ctx.createImageData(size, size);
  const { domain } = field;
  const lut = colormapTable(options.colormap ?? 'viridis'); // RGBA8, 256 entries
  for (let row = 0; row < size; row++) {
    const y = domain.y[1] - ((row + 0.5) / size) * (domain.y[1] - domain.y[0]);
    for (let col = 0; col < size; col++) {
      const x = domain.x[0] + ((col + 0.5) / size) * (domain.x[1] - domain.x[0]);
      const k = Math.round(field.scale(field.sample(x, y)) * 255);
      const o = 4 * (row * size + col);
      img.data[o] = lut[4 * k];
      img.data[o + 1] = lut[4 * k + 1];
      img.data[o + 2] = lut[4 * k + 2];
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  drawContours(ctx, field, size, field.levels(options.contours ?? 14));
  drawCriticalPoints(ctx, field, size);
}

/** Contour lines of `field` at `levels` (loss units) over the square (0, 0)-(size, size). */
export function drawContours(ctx: Canvas2D, field: SurfaceField, size: number, levels: number[]): void {
  const { n, values } = field;
  const m = n + 1;
  const px = (i: number) => (i / n) * size;
  const py = (j: number) => size - (j / n) * size;
  ctx.lineWidth = Math.max(1, size / 512);
  ctx.strokeStyle = 'rgba(10, 10, 20, 0.45)';
  ctx.beginPath();
  for (const level of levels) {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const a = values[j * m + i] - level, b = values[j * m + i + 1] - level;
        const c = values[(j + 1) * m + i + 1] - level, d = values[(j + 1) * m + i] - level;
        if (![a, b, c, d].every(Number.isFinite)) continue;
        // crossings on the cell's four edges (a-b bottom, b-c right, d-c top, a-d left)
        const pts: [number, number][] = [];
        if (a < 0 !== b < 0) pts.push([px(i + a / (a - b)), py(j)]);
        if (b < 0 !== c < 0) pts.push([px(i + 1), py(j + b / (b - c))]);
        if (d < 0 !== c < 0) pts.push([px(i + d / (d - c)), py(j + 1)]);
        if (a < 0 !== d < 0) pts.push([px(i), py(j + a / (a - d))]);
        for (let k = 0; k + 1 < pts.length; k += 2) {
          ctx.moveTo(pts[k][0], pts[k][1]);
          ctx.lineTo(pts[k + 1][0], pts[k + 1][1]);
        }
      }
    }
  }
  ctx.stroke();
}

/** The field's listed critical points (white: circle minimum, cross saddle, plus maximum). */
export function drawCriticalPoints(ctx: Canvas2D, field: SurfaceField, size: number): void {
  const { domain } = field;
  const r = Math.max(3, size / 70);
  ctx.lineWidth = Math.max(1.5, size / 250);
  // an egg-crate lists hundreds: then only the lowest minima are marked
  let points = field.surface.criticalPoints;
  if (points.length > 60) {
    const value = (c: (typeof points)[number]) => c.value ?? field.surface.value(c.at[0], c.at[1]);
    const lowest = Math.min(...points.filter((c) => c.kind === 'minimum').map(value));
    points = points.filter((c) => c.kind === 'minimum' && value(c) <= lowest + 1e-9 * (1 + Math.abs(lowest)));
  }
  for (const c of points) {
    const x = ((c.at[0] - domain.x[0]) / (domain.x[1] - domain.x[0])) * size;
    const y = size - ((c.at[1] - domain.y[0]) / (domain.y[1] - domain.y[0])) * size;
    if (x < 0 || y < 0 || x > size || y > size) continue;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    ctx.beginPath();
    if (c.kind === 'minimum') ctx.arc(x, y, r, 0, 2 * Math.PI);
    else if (c.kind === 'saddle') {
      ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r);
      ctx.moveTo(x - r, y + r); ctx.lineTo(x + r, y - r);
    } else {
      ctx.moveTo(x - r, y); ctx.lineTo(x + r, y);
      ctx.moveTo(x, y - r); ctx.lineTo(x, y + r);
    }
    ctx.stroke();
  }
}
