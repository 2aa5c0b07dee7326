// ADI option: one step of PDE time tau as two implicit line sweeps (Lie
// splitting of backward Euler), (I - tau Kx) p* = p, then (I - tau Ky) p' = p*,
// Kx / Ky the x-face / y-face parts of the Scharfetter–Gummel operator (axis-
// only schemes: diagonal D, constant or state-dependent). Each factor is a
// tridiagonal M-matrix with column sums 1 (positive diagonal 1 + tau * out,
// non-positive off-diagonals), so its inverse is a stochastic matrix:
//  - unconditionally stable, any tau; positivity (the Thomas sweeps below only
//    add non-negative terms, so it holds in floating point too);
//  - mass conserved (to rounding);
//  - for D = T I each factor fixes exp(-f/T)/Z (zero flux on every face), so
//    the discrete Gibbs density is an exact equilibrium and KL to it never
//    increases (H-theorem);
//  - first order in tau (backward Euler + splitting): use it to relax to
//    equilibrium or for long, slow runs; use Euler where transients matter.
// Line solves: Thomas algorithm with the LU factors precomputed per tau
// (float64 here, float32 copies on the GPU: shaders/fokker_planck_adi.wgsl).
//   row i of a line:  a_i x_{i-1} + b_i x_i + c_i x_{i+1} = d_i
//   a_i = -tau A(i-1), c_i = -tau B(i), b_i = 1 + tau (A(i) + B(i-1))
//   (A(i), B(i) the rates of the face between line cells i and i+1)
//   m_i = 1 / (b_i - a_i c'_{i-1}),  c'_i = c_i m_i
//   forward  d'_i = (d_i - a_i d'_{i-1}) m_i;  back  x_i = d'_i - c'_i x_{i+1}
import type { FloatArray, FokkerPlanckCoefficients } from './coefficients';

/** Per axis, three planes of n*n values: a | c' | m (cell c of plane k at k*n*n + c). */
export interface AdiFactors {
  tau: number;
  x: FloatArray;
  y: FloatArray;
}

/** LU factors of the two line systems for step tau (float64 math, stored as `precision`). */
export function adiFactors(co: FokkerPlanckCoefficients, tau: number, precision: 'f64' | 'f32' = 'f64'): AdiFactors {
  if (co.cross || co.diag) {
    throw new Error("FokkerPlanckGrid: integrator 'adi' needs a diagonal diffusion tensor (no Dxy); use 'euler' for correlated noise");
  }
  if (!(tau > 0) || !Number.isFinite(tau)) throw new Error(`FokkerPlanckGrid: ADI step ${tau} must be a positive number`);
  const { n } = co.geometry;
  const cells = n * n;
  const Arr = precision === 'f64' ? Float64Array : Float32Array;
  const A = co.axis;
  const factor = (axis: 0 | 1): FloatArray => {
    const out = new Arr(3 * cells);
    const k = 2 * axis; // A_east/B_east or A_north/B_north
    const stride = axis === 0 ? 1 : n;
    for (let line = 0; line < n; line++) {
      const base = axis === 0 ? line * n : line;
      let cpPrev = 0;
      for (let i = 0; i < n; i++) {
        const c = base + i * stride;
        const prev = c - stride;
        const aPrev = i > 0 ? A[4 * prev + k] : 0; // inflow from i-1 through its face
        const bPrev = i > 0 ? A[4 * prev + k + 1] : 0; // outflow to i-1
        const ai = -tau * aPrev;
        const ci = i + 1 < n ? -tau * A[4 * c + k + 1] : 0;
        const bi = 1 + tau * ((i + 1 < n ? A[4 * c + k] : 0) + bPrev);
        const m = 1 / (bi - ai * cpPrev);
        const cp = ci * m;
        out[c] = ai;
        out[cells + c] = cp;
        out[2 * cells + c] = m;
        cpPrev = cp;
      }
    }
    return out;
  };
  return { tau, x: factor(0), y: factor(1) };
}

/** Solves the line systems of one axis in place: p <- (I - tau K_axis)^{-1} p. */
function sweep(p: Float64Array, f: FloatArray, n: number, axis: 0 | 1): void {
  const cells = n * n;
  const stride = axis === 0 ? 1 : n;
  for (let line = 0; line < n; line++) {
    const base = axis === 0 ? line * n : line;
    let dPrev = 0;
    for (let i = 0; i < n; i++) {
      const c = base + i * stride;
      dPrev = (p[c] - f[c] * dPrev) * f[2 * cells + c];
      p[c] = dPrev;
    }
    let xNext = 0;
    for (let i = n - 1; i >= 0; i--) {
      const c = base + i * stride;
      xNext = p[c] - f[cells + c] * xNext;
      p[c] = xNext;
    }
  }
}

/** One ADI step (x sweep, then y sweep) of the factors' tau, float64, returns a new array. */
export function adiStep(co: FokkerPlanckCoefficients, p: ArrayLike<number>, factors: AdiFactors): Float64Array {
  const out = Float64Array.from(p);
  sweep(out, factors.x, co.geometry.n, 0);
  sweep(out, factors.y, co.geometry.n, 1);
  return out;
}
