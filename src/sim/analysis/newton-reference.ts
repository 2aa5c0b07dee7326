// Many-start damped Newton on grad f = 0: the CPU reference (float64) of
// shaders/analysis_newton.wgsl. Each start runs the same Levenberg–Marquardt
// iteration on the residual g = grad f with Jacobian H (the Hessian):
//
//   d = -(H^2 + mu |H|_F^2 I)^{-1} H g,   |d| capped at maxStep,
//
// accepted when |grad f| falls (then mu /= 10, floored at muMin), rejected
// otherwise (mu *= 10; past muMax the start is stalled). mu -> 0 is Newton's
// step -H^{-1} g; large mu is a gradient step on |g|^2 / 2 (the gradient-norm
// minimisation fallback), which also handles singular Hessians such as those
// on a valley of degenerate minima. A start stops when |g| <= gtol.
import type { Domain, Vec2 } from '../../model/surface-types';
import type { Derivatives } from '../../model/surfaces/critical';

export type { Derivatives };

/** Why a start stopped (the kernel's status codes). */
export const NEWTON_STATUS = {
  converged: 0,
  /** ran out of iterations with |g| > gtol */
  maxIterations: 1,
  /** mu passed muMax: a local minimum of |g| that is not a critical point, or rounding */
  stalled: 2,
  /** the Hessian vanished (no curvature to follow) */
  flat: 3,
  /** left the bounds or met a non-finite value */
  outside: 4,
} as const;
export type NewtonStatus = (typeof NEWTON_STATUS)[keyof typeof NEWTON_STATUS];

export interface NewtonOptions {
  /** iterations per start (K) */
  iterations: number;
  /** stop when |grad f| <= gtol (loss units per length) */
  gtol: number;
  /** longest step (length units) */
  maxStep: number;
  /** initial relative damping (dimensionless) */
  mu0: number;
  muMin: number;
  muMax: number;
  /** iterates leaving [lo, hi] stop with status `outside` */
  lo: Vec2;
  hi: Vec2;
}

export interface NewtonResult {
  at: Vec2;
  /** |grad f| at `at` */
  gradientNorm: number;
  status: NewtonStatus;
  iterations: number;
  mu: number;
}

/** Default options for a domain: steps up to a tenth of its larger side, iterates kept within one side of it. */
export function newtonOptions(domain: Domain, gtol: number, over: Partial<NewtonOptions> = {}): NewtonOptions {
  const wx = domain.x[1] - domain.x[0], wy = domain.y[1] - domain.y[0];
  return {
    iterations: 100,
    gtol,
    maxStep: 0.1 * Math.max(wx, wy),
    mu0: 1e-3,
    muMin: 1e-6,
    muMax: 1e8,
    lo: [domain.x[0] - wx, domain.y[0] - wy],
    hi: [domain.x[1] + wx, domain.y[1] + wy],
    ...over,
  };
}

/** One start of the iteration (the kernel's thread body). */
export function dampedNewton(s: Derivatives, start: Vec2, o: NewtonOptions, mu = o.mu0): NewtonResult {
  let [x, y] = start;
  let [gx, gy] = s.gradient(x, y);
  let r = Math.hypot(gx, gy);
  let status: NewtonStatus = NEWTON_STATUS.maxIterations;
  let it = 0;
  for (;;) {
    if (!Number.isFinite(r)) { status = NEWTON_STATUS.outside; break; }
    if (r <= o.gtol) { status = NEWTON_STATUS.converged; break; }
    if (it >= o.iterations) break;
    it++;
    const [a, b, c] = s.hessian(x, y);
    const s2 = a * a + 2 * b * b + c * c;
    if (!(s2 > 0) || !Number.isFinite(s2)) { status = NEWTON_STATUS.flat; break; }
    const damp = mu * s2;
    const m11 = a * a + b * b + damp, m12 = b * (a + c), m22 = b * b + c * c + damp;
    const rx = -(a * gx + b * gy), ry = -(b * gx + c * gy);
    const det = m11 * m22 - m12 * m12;
    let dx = (m22 * rx - m12 * ry) / det, dy = (m11 * ry - m12 * rx) / det;
    const len = Math.hypot(dx, dy);
    if (len > o.maxStep) { dx *= o.maxStep / len; dy *= o.maxStep / len; }
    const tx = x + dx, ty = y + dy;
    const [tgx, tgy] = s.gradient(tx, ty);
    const rt = Math.hypot(tgx, tgy);
    if (rt < r) {
      x = tx; y = ty; gx = tgx; gy = tgy; r = rt;
      mu = Math.max(mu * 0.1, o.muMin);
      if (x < o.lo[0] || y < o.lo[1] || x > o.hi[0] || y > o.hi[1]) { status = NEWTON_STATUS.outside; break; }
    } else {
      mu *= 10;
      if (mu > o.muMax) { status = NEWTON_STATUS.stalled; break; }
    }
  }
  return { at: [x, y], gradientNorm: r, status, iterations: it, mu };
}

/** Every start of `starts` (x0 y0 x1 y1 ...), as the kernel runs them. */
export function manyStartNewton(s: Derivatives, starts: ArrayLike<number>, o: NewtonOptions): NewtonResult[] {
  const out: NewtonResult[] = [];
  for (let i = 0; i + 1 < starts.length; i += 2) out.push(dampedNewton(s, [starts[i], starts[i + 1]], o));
  return out;
}

/** seedsPerAxis^2 starts at the cell centres of a grid over the domain, as x0 y0 x1 y1 ... */
export function seedGrid(domain: Domain, seedsPerAxis: number): Float64Array {
  const out = new Float64Array(2 * seedsPerAxis * seedsPerAxis);
  let k = 0;
  for (let j = 0; j < seedsPerAxis; j++) {
    for (let i = 0; i < seedsPerAxis; i++) {
      out[k++] = domain.x[0] + ((i + 0.5) / seedsPerAxis) * (domain.x[1] - domain.x[0]);
      out[k++] = domain.y[0] + ((j + 0.5) / seedsPerAxis) * (domain.y[1] - domain.y[0]);
    }
  }
  return out;
}

/** RMS of |grad f| over the starts: the scale that relative gradient tolerances multiply. */
export function gradientScale(s: Derivatives, starts: ArrayLike<number>): number {
  let sum = 0, n = 0;
  for (let i = 0; i + 1 < starts.length; i += 2) {
    const [gx, gy] = s.gradient(starts[i], starts[i + 1]);
    const g2 = gx * gx + gy * gy;
    if (Number.isFinite(g2)) { sum += g2; n++; }
  }
  return n ? Math.sqrt(sum / n) : 0;
}
