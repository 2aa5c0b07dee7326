// CPU twin of shaders/fokker_planck_arrows.wgsl in float64, with a bound on
// how far the float32 kernel may be from it. Inputs, as FokkerPlanckGrid
// holds them: density p (f32 probability per cell, n*n) and current (vec2f
// per cell: J_x on its east face, J_y on its north face, probability per unit
// time per unit length; walls carry 0). For each block of the arrow lattice
// (arrow-lattice.ts) of k cells:
//   rho = sum p / (k hx hy)                 block-mean density (per unit area)
//   J   = sum (J_east + J_west, J_north + J_south) / (2 k)
//                                            block-mean current at cell centres
//   v   = J / rho                            probability velocity (domain units per PDE time)
// shown when rho >= rhoMin; peak = max |J| over the shown arrows (f32 bits
// of an atomic max; the kernel clears it first).
// Output per arrow, ARROW_FLOATS f32: (x, y) the block's centre (domain
// units), (v_x, v_y); then (rho, |J|, shown 1 or 0, 0).
import { ARROW_FLOATS, blockEdge, cellSize, type ArrowLattice } from './arrow-lattice';

/** float32 unit roundoff */
const EPS = 2 ** -24;

export interface ArrowReference {
  /** ARROW_FLOATS per arrow, the kernel's layout */
  arrows: Float64Array;
  /** max |J| over shown arrows (0 when none) */
  peak: number;
  /**
   * Per arrow, the largest error the float32 kernel may make in |J|, in each
   * of v_x and v_y, and rho's relative error: from the sums' rounding (k
   * terms: k eps times the sum of |terms|), three divisions (2.5 ulp each in
   * WGSL) and sqrt, doubled for margin. They hold for inputs in float32's
   * normal range (a GPU may flush subnormals, below 2^-126, to zero).
   */
  jBound: Float64Array;
  vBound: Float64Array;
  rhoRel: Float64Array;
}

/** `density` n*n probabilities per cell, `current` 2*n*n (J_x east face, J_y north face), as the grid's buffers hold them. */
export function currentArrowsReference(l: ArrowLattice, density: ArrayLike<number>, current: ArrayLike<number>, rhoMin: number): ArrowReference {
  const { n, a } = l;
  const [hx, hy] = cellSize(l).map(Math.fround);
  const arrows = new Float64Array(ARROW_FLOATS * a * a);
  const jBound = new Float64Array(a * a);
  const vBound = new Float64Array(a * a);
  const rhoRel = new Float64Array(a * a);
  let peak = 0;
  for (let by = 0; by < a; by++) {
    for (let bx = 0; bx < a; bx++) {
      const x0 = blockEdge(l, bx), x1 = blockEdge(l, bx + 1), y0 = blockEdge(l, by), y1 = blockEdge(l, by + 1);
      let p = 0, jx = 0, jy = 0, sx = 0, sy = 0;
      for (let j = y0; j < y1; j++) {
        for (let i = x0; i < x1; i++) {
          const c = j * n + i;
          p += density[c];
          const ex = current[2 * c], wx = i > 0 ? current[2 * (c - 1)] : 0;
          const ny = current[2 * c + 1], sy0 = j > 0 ? current[2 * (c - n) + 1] : 0;
          jx += ex + wx;
          jy += ny + sy0;
          sx += Math.abs(ex) + Math.abs(wx);
          sy += Math.abs(ny) + Math.abs(sy0);
        }
      }
      const k = (x1 - x0) * (y1 - y0);
      const rho = p / (k * hx * hy);
      const mx = jx / (2 * k), my = jy / (2 * k);
      const vx = p > 0 ? mx / rho : 0, vy = p > 0 ? my / rho : 0;
      const jAbs = Math.hypot(mx, my);
      const shown = p > 0 && rho >= rhoMin;
      if (shown) peak = Math.max(peak, jAbs);
      const b = (by * a + bx);
      arrows.set([Math.fround(l.domain.x[0]) + 0.5 * (x0 + x1) * hx, Math.fround(l.domain.y[0]) + 0.5 * (y0 + y1) * hy, vx, vy, rho, jAbs, shown ? 1 : 0, 0], ARROW_FLOATS * b);
      const e = 2 * (k + 12) * EPS;
      rhoRel[b] = e;
      jBound[b] = e * (Math.max(sx, sy) / (2 * k) + jAbs);
      vBound[b] = p > 0 ? jBound[b] / rho + e * Math.hypot(vx, vy) : 0;
    }
  }
  return { arrows, peak, jBound, vBound, rhoRel };
}
