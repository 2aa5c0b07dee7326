// The coarse lattice of current arrows over a Fokker–Planck grid: A x A
// blocks of cells (block a along an axis covers cells floor(a n / A) ..
// floor((a + 1) n / A) - 1), one arrow at each block's centre. Shared by the
// arrow kernel's CPU twin (current-arrows-reference.ts) and the arrow layer.
import type { Domain } from '../model/surface-types';

/** arrows per side of a panel */
export const ARROWS_PER_SIDE = 16;
/** f32 per arrow in the kernel's output: (x, y, v_x, v_y), (rho, |J|, shown, 0) */
export const ARROW_FLOATS = 8;
/**
 * Arrows whose block-mean density is more than this many decades below the
 * uniform density 1/area are hidden: the floor of the density colour scale
 * (DENSITY_DECADES_BELOW), so arrows show where the PDE map shows colour.
 */
export const ARROW_RHO_DECADES_BELOW = 1;

export interface ArrowLattice {
  /** grid cells per side */
  n: number;
  /** arrows per side (<= n) */
  a: number;
  domain: Domain;
}

/** First cell of block `b` along an axis (block b ends where block b + 1 starts). */
export function blockEdge(l: ArrowLattice, b: number): number {
  return Math.floor((b * l.n) / l.a);
}

/** Cell widths (domain units). */
export function cellSize(l: ArrowLattice): [number, number] {
  const { x, y } = l.domain;
  return [(x[1] - x[0]) / l.n, (y[1] - y[0]) / l.n];
}

/** Density below which an arrow is hidden (probability per unit area). */
export function arrowRhoMin(domain: Domain): number {
  const area = (domain.x[1] - domain.x[0]) * (domain.y[1] - domain.y[0]);
  return 10 ** -ARROW_RHO_DECADES_BELOW / area;
}

/**
 * Per arrow, the mean |grad f| over its block's cells (loss units per domain
 * unit; central differences of the cell-centre loss `f`, one-sided at the
 * walls): the drift speed an arrow's probability velocity is measured
 * against, since at PDE time t = steps * lr the drift velocity is -grad f.
 */
export function blockDrift(l: ArrowLattice, f: ArrayLike<number>): Float32Array {
  const { n, a } = l;
  const [hx, hy] = cellSize(l);
  const at = (i: number, j: number) => f[Math.min(n - 1, Math.max(0, j)) * n + Math.min(n - 1, Math.max(0, i))];
  const out = new Float32Array(a * a);
  for (let by = 0; by < a; by++) {
    for (let bx = 0; bx < a; bx++) {
      let s = 0, cells = 0;
      for (let j = blockEdge(l, by); j < blockEdge(l, by + 1); j++) {
        for (let i = blockEdge(l, bx); i < blockEdge(l, bx + 1); i++) {
          const gx = (at(i + 1, j) - at(i - 1, j)) / (((Math.min(n - 1, i + 1) - Math.max(0, i - 1)) || 1) * hx);
          const gy = (at(i, j + 1) - at(i, j - 1)) / (((Math.min(n - 1, j + 1) - Math.max(0, j - 1)) || 1) * hy);
          s += Math.hypot(gx, gy);
          cells++;
        }
      }
      out[by * a + bx] = s / cells;
    }
  }
  return out;
}
