// CPU reference of the particle splat (particle-splat.ts), in float64: which
// pixel each particle's 1-px dot covers and how many dots each pixel gets,
// and the colour one blend of n dots leaves. Particles whose float64 and
// float32 answers could differ (within rounding of a snap, domain or depth
// boundary) are counted as `marginal`: a test allows that many moved dots.
import { MESH_CELLS } from './surface-mesh';
import { meshHeightAt } from './mesh-height';

export interface SplatReferenceInput {
  /** x, y per particle (domain units) */
  positions: ArrayLike<number>;
  /** display heights in [0, 1] at the mesh vertices, (MESH_CELLS + 1)^2 */
  heights: ArrayLike<number>;
  domain: { x: [number, number]; y: [number, number] };
  /** world frame: cx, cy, k (world units per domain unit), height (world units per display height 1) */
  frame: { cx: number; cy: number; k: number; height: number };
  lift: number;
  /** column-major world -> clip matrix */
  viewProj: ArrayLike<number>;
  /** the view, device px from the top-left corner */
  rect: { x: number; y: number; w: number; h: number };
  width: number;
  height: number;
  /** the depth every pixel holds (the background's), in [0, 1] */
  depth: number;
}

/** Sub-pixel steps per px of the rasterizer the splat imitates (see particle-splat.ts). */
export const SPLAT_SUBPIXEL = 16;

/**
 * How far float32 can put a projected coordinate from its float64 value: a
 * matrix product, a divide and the viewport transform, ~10 roundings of 2^-24
 * relative on values up to a few hundred px, i.e. ~2e-4 px; and ~8 roundings
 * of depths in [0, 1].
 */
const PX_MARGIN = 2e-4;
const DEPTH_MARGIN = 5e-7;

export function splatCountsReference(input: SplatReferenceInput): { counts: Uint32Array; marginal: number; kept: number } {
  const { positions, heights, domain, frame, lift, viewProj: m, rect, width, height, depth } = input;
  const counts = new Uint32Array(width * height);
  const cells = MESH_CELLS;
  let marginal = 0, kept = 0;
  const n = positions.length / 2;
  for (let i = 0; i < n; i++) {
    const x = positions[2 * i], y = positions[2 * i + 1];
    const gx = ((x - domain.x[0]) / (domain.x[1] - domain.x[0])) * cells;
    const gy = ((y - domain.y[0]) / (domain.y[1] - domain.y[0])) * cells;
    if (!(gx >= 0 && gy >= 0 && gx <= cells && gy <= cells)) continue;
    const t = meshHeightAt(heights, gx, gy);
    const X = (x - frame.cx) * frame.k, Y = t * frame.height + lift, Z = -(y - frame.cy) * frame.k;
    const clip = [0, 1, 2, 3].map((r) => m[r] * X + m[4 + r] * Y + m[8 + r] * Z + m[12 + r]);
    if (!(clip[3] > 0)) continue;
    const nz = clip[2] / clip[3];
    if (!(nz >= 0 && nz <= 1)) continue;
    const wx = rect.x + ((clip[0] / clip[3]) * 0.5 + 0.5) * rect.w;
    const wy = rect.y + (0.5 - (clip[1] / clip[3]) * 0.5) * rect.h;
    // the snap rounds to the nearest 1/16 px: near a half-step its float32 twin may round the other way
    const nearSnap = (w: number) => Math.abs((w * SPLAT_SUBPIXEL) % 1 - 0.5) * (1 / SPLAT_SUBPIXEL) < PX_MARGIN;
    const sx = Math.round(wx * SPLAT_SUBPIXEL) / SPLAT_SUBPIXEL, sy = Math.round(wy * SPLAT_SUBPIXEL) / SPLAT_SUBPIXEL;
    const px = Math.ceil(sx) - 1, py = Math.ceil(sy) - 1;
    const inView = px >= rect.x && py >= rect.y && px < rect.x + rect.w && py < rect.y + rect.h && px >= 0 && py >= 0 && px < width && py < height;
    const passes = nz <= depth;
    if (nearSnap(wx) || nearSnap(wy) || Math.abs(nz - depth) < DEPTH_MARGIN) marginal++;
    if (!inView || !passes) continue;
    counts[py * width + px]++;
    kept++;
  }
  return { counts, marginal, kept };
}

/**
 * The colour (rgb in [0, 1]) that n dots of colour `rgb` and opacity `a`
 * blended one after another leave over `dst`: normal 1 - (1 - a)^n coverage,
 * additive dst + n a rgb, clamped to 1.
 */
export function splatBlendReference(n: number, dst: [number, number, number], rgb: [number, number, number], a: number, additive: boolean): [number, number, number] {
  if (n === 0) return dst;
  if (additive) return dst.map((d, k) => Math.min(1, d + n * a * rgb[k])) as [number, number, number];
  const cover = 1 - (1 - a) ** n;
  return dst.map((d, k) => rgb[k] * cover + d * (1 - cover)) as [number, number, number];
}
