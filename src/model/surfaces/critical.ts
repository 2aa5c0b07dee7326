// Critical points found numerically: Newton's method on the exact gradient,
// each point classified by the signs of its Hessian's eigenvalues (its index).
import type { CriticalKind, Domain, Hessian3, KnownCriticalPoint, Vec2 } from '../surface-types';

/** What Newton needs of a surface. */
export interface Derivatives {
  value(x: number, y: number): number;
  gradient(x: number, y: number): Vec2;
  hessian(x: number, y: number): Hessian3;
}

/** Eigenvalues, ascending, of the symmetric matrix [[xx, xy], [xy, yy]]. */
export function eigenvalues2([xx, xy, yy]: Hessian3): Vec2 {
  const mean = (xx + yy) / 2;
  const radius = Math.hypot((xx - yy) / 2, xy);
  return [mean - radius, mean + radius];
}

/**
 * Kind from the Hessian's eigenvalue signs; undefined when the Hessian is
 * singular relative to its own size (|lambda_min| <= rtol |lambda_max|): a
 * degenerate point whose kind the second derivatives do not decide.
 */
export function classifyHessian(h: Hessian3, rtol = 1e-9): CriticalKind | undefined {
  const [lo, hi] = eigenvalues2(h);
  const size = Math.max(Math.abs(lo), Math.abs(hi));
  if (!(size > 0) || Math.min(Math.abs(lo), Math.abs(hi)) <= rtol * size) return undefined;
  return lo > 0 ? 'minimum' : hi < 0 ? 'maximum' : 'saddle';
}

/**
 * Newton's method for grad f = 0 from `start`: the point where the step fell
 * below 1e-12 (1 + |p|) (quadratic convergence leaves it at rounding level),
 * or undefined when it met a singular Hessian, left `bounds` (when given) or
 * did not converge in `maxIterations`.
 */
export function newtonCritical(s: Derivatives, start: Vec2, bounds?: Domain, maxIterations = 60): Vec2 | undefined {
  let [x, y] = start;
  for (let k = 0; k < maxIterations; k++) {
    const [gx, gy] = s.gradient(x, y);
    const [a, b, c] = s.hessian(x, y);
    const det = a * c - b * b;
    if (!Number.isFinite(det) || det === 0) return undefined;
    const dx = (c * gx - b * gy) / det;
    const dy = (a * gy - b * gx) / det;
    x -= dx;
    y -= dy;
    if (!Number.isFinite(x) || !Number.isFinite(y) || (bounds && !inDomain([x, y], bounds))) return undefined;
    if (Math.hypot(dx, dy) <= 1e-12 * (1 + Math.hypot(x, y))) return [x, y];
  }
  return undefined;
}

export function inDomain([x, y]: Vec2, d: Domain): boolean {
  return x >= d.x[0] && x <= d.x[1] && y >= d.y[0] && y <= d.y[1];
}

/** seedsPerAxis^2 starting points on a grid of cell centres over the domain. */
export function gridSeeds(d: Domain, seedsPerAxis: number): Vec2[] {
  const seeds: Vec2[] = [];
  for (let i = 0; i < seedsPerAxis; i++) {
    for (let j = 0; j < seedsPerAxis; j++) {
      seeds.push([
        d.x[0] + ((i + 0.5) / seedsPerAxis) * (d.x[1] - d.x[0]),
        d.y[0] + ((j + 0.5) / seedsPerAxis) * (d.y[1] - d.y[0]),
      ]);
    }
  }
  return seeds;
}

/**
 * Non-degenerate critical points inside `domain` reached by Newton from the
 * seeds, without repeats (points closer than 1e-7 of the domain's width are one).
 */
export function searchCriticalPoints(s: Derivatives, seeds: Vec2[], domain: Domain, source: string): KnownCriticalPoint[] {
  const found: KnownCriticalPoint[] = [];
  const wx = domain.x[1] - domain.x[0], wy = domain.y[1] - domain.y[0];
  const same = 1e-7 * Math.max(wx, wy);
  // iterates may cross the border on their way in, but not wander off (plateaus send Newton far away)
  const bounds: Domain = { x: [domain.x[0] - wx, domain.x[1] + wx], y: [domain.y[0] - wy, domain.y[1] + wy] };
  for (const seed of seeds) {
    const at = newtonCritical(s, seed, bounds);
    if (!at || !inDomain(at, domain)) continue;
    if (found.some((c) => Math.hypot(c.at[0] - at[0], c.at[1] - at[1]) <= same)) continue;
    const kind = classifyHessian(s.hessian(at[0], at[1]));
    if (kind) found.push({ kind, at, value: s.value(at[0], at[1]), source });
  }
  return found;
}

/** A loss's critical points listed at scale 1, for the loss multiplied by `scale` (same places, values times scale). */
export function scaledCriticalPoints(table: readonly { kind: CriticalKind; at: Vec2; value: number }[], scale: number, source: string): KnownCriticalPoint[] {
  return table.map((c) => ({ kind: c.kind, at: c.at, value: scale * c.value, source }));
}
