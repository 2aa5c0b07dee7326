// Local minimisation from a point: Newton's step on a positive-definite shift
// of the Hessian, with a backtracking (Armijo) line search on the loss. Ends in
// a minimum (or on a valley of degenerate minima), never on a saddle unless it
// starts exactly on one.
import type { Vec2 } from '../../model/surface-types';
import type { Derivatives } from '../../model/surfaces/critical';
import { eigen2, solve2 } from './hessian';

export interface MinimizeOptions {
  /** stop when |grad f| <= gtol */
  gtol: number;
  /** longest step (length units) */
  maxStep: number;
  iterations?: number;
}

export interface MinimizeResult {
  at: Vec2;
  value: number;
  gradientNorm: number;
  iterations: number;
  converged: boolean;
}

export function minimize(s: Derivatives, start: Vec2, o: MinimizeOptions): MinimizeResult {
  let [x, y] = start;
  let f = s.value(x, y);
  let it = 0;
  const max = o.iterations ?? 500;
  for (; it < max; it++) {
    const [gx, gy] = s.gradient(x, y);
    const r = Math.hypot(gx, gy);
    if (!(r > o.gtol)) break;
    const h = s.hessian(x, y);
    const { values: [lo, hi], vectors } = eigen2(h);
    const big = Math.max(Math.abs(lo), Math.abs(hi));
    // (H + shift I) d = -g in the eigenbasis; a tiny or negative curvature gets lifted
    const lift = (l: number) => (l > 1e-6 * big ? l : Math.abs(l) + 1e-3 * big);
    let dx = 0, dy = 0;
    if (big > 0 && Number.isFinite(big)) {
      for (let k = 0; k < 2; k++) {
        const [vx, vy] = vectors[k];
        const c = -(gx * vx + gy * vy) / lift(k === 0 ? lo : hi);
        dx += c * vx; dy += c * vy;
      }
    } else {
      dx = -gx; dy = -gy;
    }
    const len = Math.hypot(dx, dy);
    if (len > o.maxStep) { dx *= o.maxStep / len; dy *= o.maxStep / len; }
    const slope = gx * dx + gy * dy;
    let t = 1, moved = false;
    for (let k = 0; k < 60; k++, t *= 0.5) {
      const fn = s.value(x + t * dx, y + t * dy);
      if (fn <= f + 1e-4 * t * slope) { x += t * dx; y += t * dy; f = fn; moved = true; break; }
    }
    if (!moved) break;
  }
  // the line search stops at rounding level of f; Newton on the gradient finishes a non-degenerate minimum
  let [gx, gy] = s.gradient(x, y);
  let r = Math.hypot(gx, gy);
  for (let k = 0; k < 8 && r > o.gtol; k++) {
    const h = s.hessian(x, y);
    const [lo, hi] = eigen2(h).values;
    if (!(lo > 1e-6 * hi)) break;
    const d = solve2(h, [-gx, -gy]);
    if (!d) break;
    const [ngx, ngy] = s.gradient(x + d[0], y + d[1]);
    const nr = Math.hypot(ngx, ngy);
    if (!(nr < r)) break;
    x += d[0]; y += d[1]; gx = ngx; gy = ngy; r = nr;
    f = s.value(x, y);
  }
  return { at: [x, y], value: f, gradientNorm: r, iterations: it, converged: r <= o.gtol };
}
