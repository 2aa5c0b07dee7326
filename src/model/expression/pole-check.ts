// Poles between the samples of the finite check: 1/x or tan(10 x) are finite
// at every cell centre, yet a particle that wanders near x = 0 gets a gradient
// that float32 cannot hold and diverges. Each function is sampled on the grid's
// nodes (edges included, so x = 0 of a symmetric domain is hit exactly); from
// the samples where |f| is a local maximum, a pattern search climbs |f| in 2D
// with shrinking steps. Where |f| keeps growing far beyond everything sampled
// (or reaches infinity) there is a pole: a line (1/x) or a point (1/r^2).
import type { Domain, Vec2 } from '../surface-types';
import { MAX_LOSS_MAGNITUDE } from '../float32';
import { shortNumber } from '../issue-text';
import { FormulaDomainError } from './errors';

export interface PoleCheckOptions {
  /** segments per axis */
  grid?: number;
  /** most local maxima of |f| searched per function (the largest first) */
  maxSearches?: number;
}

/** A pole: |f| grows past this factor of the largest |f| sampled, or past MAX_LOSS_MAGNITUDE. */
const GROWTH = 1e6;
/** Pattern-search iterations: enough to halve the step from a grid spacing to float64's resolution. */
const ITERATIONS = 160;
const DIRECTIONS: Vec2[] = [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]];

type Scalar = (x: number, y: number) => number;

/** Where `f` has a pole in `domain`, with f there; null when none is found. */
export function findPole(f: Scalar, domain: Domain, { grid = 64, maxSearches = 48 }: PoleCheckOptions = {}): { at: Vec2; value: number } | null {
  const xs = nodes(domain.x, grid), ys = nodes(domain.y, grid);
  const v: number[][] = ys.map((y) => xs.map((x) => f(x, y)));
  let scale = 0;
  for (let j = 0; j <= grid; j++) {
    for (let i = 0; i <= grid; i++) {
      const a = v[j][i];
      // ±Infinity at a node is a pole hit exactly (1/x at 0, log(x) at 0); NaN (0/0 at a cone's tip) is not
      if (a === Infinity || a === -Infinity || (Number.isFinite(a) && Math.abs(a) > MAX_LOSS_MAGNITUDE)) return { at: [xs[i], ys[j]], value: a };
      if (Number.isFinite(a)) scale = Math.max(scale, Math.abs(a));
    }
  }
  // start points: nodes where |f| is a local maximum of its 8 neighbours
  const starts: { at: Vec2; value: number }[] = [];
  for (let j = 0; j <= grid; j++) {
    for (let i = 0; i <= grid; i++) {
      const m = magnitude(v[j][i]);
      let peak = true;
      for (const [di, dj] of DIRECTIONS) {
        const row = v[j + dj];
        if (row && i + di >= 0 && i + di <= grid && magnitude(row[i + di]) > m) peak = false;
      }
      if (peak) starts.push({ at: [xs[i], ys[j]], value: v[j][i] });
    }
  }
  starts.sort((p, q) => magnitude(q.value) - magnitude(p.value));
  const threshold = Math.min(GROWTH * Math.max(scale, 1), MAX_LOSS_MAGNITUDE);
  const step: Vec2 = [(domain.x[1] - domain.x[0]) / grid, (domain.y[1] - domain.y[0]) / grid];
  for (const s of starts.slice(0, maxSearches)) {
    const found = climb(f, s, step, domain);
    if (found.value === Infinity || found.value === -Infinity || Math.abs(found.value) > threshold) return found;
  }
  return null;
}

/** Pattern search for larger |f| from `start`: move to the best of 8 neighbours at the step, else halve the step. */
function climb(f: Scalar, start: { at: Vec2; value: number }, spacing: Vec2, domain: Domain): { at: Vec2; value: number } {
  let best = start;
  let h: Vec2 = [spacing[0], spacing[1]];
  for (let k = 0; k < ITERATIONS; k++) {
    let next = best;
    for (const [dx, dy] of DIRECTIONS) {
      const p: Vec2 = [clamp(best.at[0] + dx * h[0], domain.x), clamp(best.at[1] + dy * h[1], domain.y)];
      const value = f(p[0], p[1]);
      if (magnitude(value) > magnitude(next.value)) next = { at: p, value };
    }
    if (next.value === Infinity || next.value === -Infinity) return next;
    if (next === best) h = [h[0] / 2, h[1] / 2];
    best = next;
  }
  return best;
}

function clamp(v: number, [lo, hi]: Vec2): number {
  return Math.min(Math.max(v, lo), hi);
}

/** |v|, with NaN as 0 (a NaN is a hole, not a direction to a pole) */
function magnitude(v: number): number {
  return Number.isNaN(v) ? 0 : Math.abs(v);
}

function nodes([lo, hi]: Vec2, grid: number): number[] {
  return Array.from({ length: grid + 1 }, (_, i) => (i === grid ? hi : lo + ((hi - lo) * i) / grid));
}

/** Throws FormulaDomainError when f or a component of its gradient has a pole in the domain. */
export function checkPoles(
  f: { value(x: number, y: number): number; gradient(x: number, y: number): Vec2 },
  domain: Domain,
  options?: PoleCheckOptions,
): void {
  const parts: { part: 'value' | 'gradient'; name: string; at: Scalar }[] = [
    { part: 'value', name: 'f(x, y)', at: (x, y) => f.value(x, y) },
    { part: 'gradient', name: '∂f/∂x', at: (x, y) => f.gradient(x, y)[0] },
    { part: 'gradient', name: '∂f/∂y', at: (x, y) => f.gradient(x, y)[1] },
  ];
  for (const { part, name, at } of parts) {
    const pole = findPole(at, domain, options);
    if (pole) {
      throw new FormulaDomainError(
        `${name} has a pole near (${pole.at.map((v) => shortNumber(v)).join(', ')}) (it reaches ${shortNumber(pole.value)} there); ` +
          'particles that come near it diverge; change the formula or the domain',
        part, 0, pole.at,
      );
    }
  }
}
