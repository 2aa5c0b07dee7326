// The training loss over a plane of weight space drawn as the 2-D lab draws a
// surface (the same SurfaceField display scale, colour map and contours:
// surface-image.ts paintLoss), and the clouds of networks placed on it by
// their projection, coloured by their distance from the plane. Plane
// coordinates (a, b) are Euclidean distances in parameter space, so the view
// keeps a 1:1 aspect.
import type { Surface } from '../model/surface-types';
import { SurfaceField } from './surface-field';
import { paintLoss } from './surface-image';

/** Field cells per side (a multiple of the mesh's 128 cells, so the 3-D mesh can use the field too). */
export const PLANE_FIELD_GRID = 128;

export interface PlaneRange {
  a: [number, number];
  b: [number, number];
}

/** Bilinear interpolation of node values (grid x grid, value[j * grid + i] at a_i, b_j, nodes at both ends of the range). */
export function planeSampler(values: Float32Array, grid: number, range: PlaneRange): (a: number, b: number) => number {
  const sa = (grid - 1) / (range.a[1] - range.a[0]), sb = (grid - 1) / (range.b[1] - range.b[0]);
  return (a, b) => {
    const gx = Math.min(grid - 1, Math.max(0, (a - range.a[0]) * sa));
    const gy = Math.min(grid - 1, Math.max(0, (b - range.b[0]) * sb));
    const i = Math.min(grid - 2, Math.floor(gx)), j = Math.min(grid - 2, Math.floor(gy));
    const fx = gx - i, fy = gy - j;
    const v00 = values[j * grid + i], v10 = values[j * grid + i + 1], v01 = values[(j + 1) * grid + i], v11 = values[(j + 1) * grid + i + 1];
    return (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
  };
}

/**
 * The landscape as a SurfaceField over the range (x = a, y = b), so that it is
 * coloured, contoured and (in 3-D) lifted as the lab's 2-D surfaces are.
 */
export function planeField(values: Float32Array, grid: number, range: PlaneRange, label = 'weight-space plane'): SurfaceField {
  const value = planeSampler(values, grid, range);
  const domain = { x: range.a, y: range.b };
  const surface: Surface = {
    name: label,
    formula: 'mean training cross-entropy over a plane of weight space (nats)',
    packedParams: new Float32Array(16),
    wgslModule: '',
    wgslSources: {},
    value,
    gradient: () => [NaN, NaN],
    hessian: () => [NaN, NaN, NaN],
    criticalPoints: [],
    domain,
  };
  return new SurfaceField(surface, domain, PLANE_FIELD_GRID);
}

/** Paints the landscape into a size x size square (row 0 at b maximum). */
export function paintPlane(ctx: CanvasRenderingContext2D, field: SurfaceField, size: number): void {
  paintLoss(ctx, field, { size, contours: 12 });
}

/** RGB of a network at `t` = its distance from the plane over the colour scale's top (0 on the plane: white; 1 and beyond: red). */
export function distanceColor(t: number): [number, number, number] {
  const s = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 1));
  // white -> pink -> red, readable over viridis
  return [255, Math.round(255 - 200 * s), Math.round(255 - 170 * s)];
}

/** The 90% quantile of the distances from the plane of the alive networks of `panels` (1 when there are none): the colour scale's top. */
export function distanceScaleOf(coords: readonly Float32Array[], status: readonly Uint32Array[] | null, panels: readonly number[]): number {
  const d: number[] = [];
  for (const i of panels) {
    const co = coords[i], st = status?.[i];
    if (!co) continue;
    for (let k = 0; k < co.length / 4; k++) if ((!st || st[k] === 0) && Number.isFinite(co[4 * k + 2])) d.push(co[4 * k + 2]);
  }
  d.sort((x, y) => x - y);
  const q = d.length ? d[Math.min(d.length - 1, Math.floor(0.9 * d.length))] : 1;
  return q > 0 ? q : 1;
}

export interface CloudMarks {
  /** count x 4: a, b, distance, 0 (PlaneProjection.coords) */
  coords: Float32Array;
  /** 0 alive, else diverged (not drawn) */
  status: Uint32Array | null;
  /** distance drawn fully red (parameter units) */
  distanceScale: number;
  /** dot radius (CSS px) */
  radius: number;
  /** drawn larger with a ring */
  selected: number | null;
  /** networks marked with numbers (the Garipov plane's three) */
  anchors: number[];
}

/** Maps plane coordinates to pixels of a size x size square over `range` (b up). */
export function planeToPixel(range: PlaneRange, size: number): (a: number, b: number) => [number, number] {
  const sa = size / (range.a[1] - range.a[0]), sb = size / (range.b[1] - range.b[0]);
  return (a, b) => [(a - range.a[0]) * sa, (range.b[1] - b) * sb];
}

/** Draws one cloud on the plane. */
export function paintCloud(ctx: CanvasRenderingContext2D, range: PlaneRange, size: number, marks: CloudMarks): void {
  const at = planeToPixel(range, size);
  const { coords, status, radius } = marks;
  const count = coords.length / 4;
  ctx.save();
  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgba(8, 10, 14, 0.85)';
  // far networks first, so that those on the plane stay on top
  const order = Array.from({ length: count }, (_, i) => i).sort((i, j) => coords[4 * j + 2] - coords[4 * i + 2]);
  for (const i of order) {
    if (status && status[i] !== 0) continue;
    const a = coords[4 * i], b = coords[4 * i + 1];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    const [x, y] = at(a, b);
    if (x < -radius || y < -radius || x > size + radius || y > size + radius) continue;
    const [r, g, bl] = distanceColor(coords[4 * i + 2] / marks.distanceScale);
    ctx.fillStyle = `rgb(${r}, ${g}, ${bl})`;
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  ctx.font = '600 11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  marks.anchors.forEach((i, k) => {
    if (i < 0 || i >= count) return;
    const [x, y] = at(coords[4 * i], coords[4 * i + 1]);
    ctx.strokeStyle = '#ffe08a';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(x, y, radius + 4, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillStyle = '#ffe08a';
    ctx.fillText(String(k + 1), x + radius + 6, y - radius - 4);
  });
  if (marks.selected !== null && marks.selected < count) {
    const i = marks.selected;
    const [x, y] = at(coords[4 * i], coords[4 * i + 1]);
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.arc(x, y, radius + 7, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.strokeStyle = 'rgba(0, 0, 0, 0.7)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.arc(x, y, radius + 9, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * A path on the plane: the straight line (dashed) and the curve (solid) between
 * two networks, in plane coordinates, with the ends ringed.
 */
export function paintPaths(ctx: CanvasRenderingContext2D, range: PlaneRange, size: number, paths: { curve: [number, number][]; line: [number, number][] }, colors: { curve: string; line: string }, scale = 1): void {
  const at = planeToPixel(range, size);
  const stroke = (pts: [number, number][], color: string, width: number, dash: number[]) => {
    if (pts.length < 2) return;
    ctx.strokeStyle = 'rgba(8, 10, 14, 0.8)';
    ctx.lineWidth = width + 2 * scale;
    ctx.setLineDash(dash);
    ctx.beginPath();
    pts.forEach(([a, b], k) => { const [x, y] = at(a, b); if (k) ctx.lineTo(x, y); else ctx.moveTo(x, y); });
    ctx.stroke();
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.stroke();
  };
  ctx.save();
  ctx.lineJoin = 'round';
  stroke(paths.line, colors.line, 1.5 * scale, [6 * scale, 4 * scale]);
  stroke(paths.curve, colors.curve, 2.5 * scale, []);
  ctx.setLineDash([]);
  for (const [a, b] of [paths.curve[0], paths.curve[paths.curve.length - 1]]) {
    if (!a && a !== 0) continue;
    const [x, y] = at(a, b);
    ctx.fillStyle = colors.curve;
    ctx.strokeStyle = 'rgba(8, 10, 14, 0.9)';
    ctx.lineWidth = scale;
    ctx.beginPath();
    ctx.arc(x, y, 4 * scale, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}

/** The network nearest to pixel (x, y) within `maxPx`, or null. */
export function pickNetwork(range: PlaneRange, size: number, coords: Float32Array, status: Uint32Array | null, x: number, y: number, maxPx: number): number | null {
  const at = planeToPixel(range, size);
  let best: number | null = null, bestD = maxPx * maxPx;
  for (let i = 0; i < coords.length / 4; i++) {
    if (status && status[i] !== 0) continue;
    const [px, py] = at(coords[4 * i], coords[4 * i + 1]);
    const d = (px - x) ** 2 + (py - y) ** 2;
    if (d <= bestD) { bestD = d; best = i; }
  }
  return best;
}
