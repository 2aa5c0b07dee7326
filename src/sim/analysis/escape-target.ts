// Which basin and which saddle an escape watch uses: the candidate minima and
// index-1 saddles of a surface (the catalogue's critical points where it
// lists them, else the CPU critical-point search), the minima each saddle
// joins (gradient descent from either side of it), and the exit line
// (analysis/escape.ts basinExit) for a scenario's `analysis.escape` points.
// Pure CPU code; the GPU side is escape-watch.ts.
import type { Domain, Surface, Vec2 } from '../../model/surface-types';
import { basinExit, type BasinExit } from './escape';
import { findCriticalPoints, medianHessianScale } from './critical-points';
import { eigen2, isDegenerate } from './hessian';
import { minimize } from './minimize';
import { seedGrid } from './newton-reference';
import { formatPoint } from '../../model/format';

export interface MinimumCandidate {
  at: Vec2;
  /** loss at the point */
  value: number;
}

export interface SaddleCandidate extends MinimumCandidate {
  /** the negative Hessian eigenvalue (loss units per length^2) */
  lambda: number;
  /**
   * indices into `minima` of the two minima that gradient descent from either
   * side of the saddle (along its unstable direction) ends in; -1 where it
   * ends elsewhere (outside the domain, or a minimum not in the list)
   */
  joins: [number, number];
}

export interface EscapeCandidates {
  /** non-degenerate minima inside the domain, lowest first */
  minima: MinimumCandidate[];
  /** index-1 saddles inside the domain, lowest first */
  saddles: SaddleCandidate[];
  /** where the points come from */
  source: 'catalogue' | 'cpu-search';
}

export interface ResolvedEscape {
  minimum: MinimumCandidate;
  saddle: SaddleCandidate;
  /** the minimum on the far side of the saddle (the exit line sits half way to it), or null */
  beyond: Vec2 | null;
  exit: BasinExit;
  /** f(saddle) - f(minimum), loss units */
  barrier: number;
  source: EscapeCandidates['source'];
  /** how the exit line was placed, for the UI */
  exitNote: string;
}

/** Spec as in the scenario: the critical points nearest these are used. */
export interface EscapeSpec {
  minimum: Vec2;
  saddle: Vec2;
  /** steps between checks inside the step kernel (default 1: exact first-passage steps) */
  every?: number;
}

/**
 * A point is degenerate (no single unstable direction, no Kramers prefactor)
 * when its smaller |eigenvalue| is below 1e-6 of its larger one or below 1e-4
 * of the surface's median Hessian scale (as critical-points.ts decides).
 */
const DEGENERATE_RTOL = 1e-6;
const DEGENERATE_FLOOR = 1e-4;

const cache = new WeakMap<Surface, Map<string, EscapeCandidates>>();

const inDomain = (d: Domain, [x, y]: Vec2) => x >= d.x[0] && x <= d.x[1] && y >= d.y[0] && y <= d.y[1];
const dist = (a: Vec2, b: Vec2) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/**
 * Minima and index-1 saddles of `surface` inside `domain`. The catalogue's
 * list is used when it has at least one of each (cheap, exact); otherwise the
 * CPU many-start Newton search (findCriticalPoints, 24 x 24 starts). Memoised
 * per surface object and domain.
 */
export function escapeCandidates(surface: Surface, domain: Domain): EscapeCandidates {
  const key = JSON.stringify(domain);
  let bySurface = cache.get(surface);
  if (!bySurface) cache.set(surface, (bySurface = new Map()));
  const hit = bySurface.get(key);
  if (hit) return hit;

  const classify = (at: Vec2) => eigen2(surface.hessian(at[0], at[1])).values;
  const floor = DEGENERATE_FLOOR * medianHessianScale(surface, seedGrid(domain, 16));
  const fromList = (points: { at: Vec2; degenerate?: boolean }[]) => {
    const minima: MinimumCandidate[] = [], saddles: Omit<SaddleCandidate, 'joins'>[] = [];
    for (const p of points) {
      if (!inDomain(domain, p.at) || p.degenerate) continue;
      const v = classify(p.at);
      if (isDegenerate(v, DEGENERATE_RTOL, floor)) continue;
      const value = surface.value(p.at[0], p.at[1]);
      if (v[0] > 0) minima.push({ at: p.at, value });
      else if (v[1] > 0) saddles.push({ at: p.at, value, lambda: v[0] });
    }
    return { minima, saddles };
  };
  let source: EscapeCandidates['source'] = 'catalogue';
  let found = fromList(surface.criticalPoints);
  if (!found.minima.length || !found.saddles.length) {
    source = 'cpu-search';
    found = fromList(findCriticalPoints(surface, domain, { seedsPerAxis: 24 }).points);
  }
  const minima = found.minima.sort((a, b) => a.value - b.value);
  const saddles = found.saddles.sort((a, b) => a.value - b.value).map((s) => ({ ...s, joins: saddleJoins(surface, domain, s.at, minima) }));
  const out: EscapeCandidates = { minima, saddles, source };
  bySurface.set(key, out);
  return out;
}

/** The minima reached by minimising from a small step either way along the saddle's unstable direction. */
function saddleJoins(surface: Surface, domain: Domain, at: Vec2, minima: MinimumCandidate[]): [number, number] {
  const diag = Math.hypot(domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]);
  const [dx, dy] = eigen2(surface.hessian(at[0], at[1])).vectors[0];
  const side = (sign: number): number => {
    const start: Vec2 = [at[0] + sign * 1e-3 * diag * dx, at[1] + sign * 1e-3 * diag * dy];
    const r = minimize(surface, start, { gtol: 1e-9, maxStep: 0.05 * diag, iterations: 400 });
    if (!inDomain(domain, r.at)) return -1;
    let best = -1, bestD = 1e-3 * diag;
    minima.forEach((m, i) => { const d = dist(m.at, r.at); if (d < bestD) { bestD = d; best = i; } });
    return best;
  };
  return [side(1), side(-1)];
}

function nearest<T extends { at: Vec2 }>(list: T[], p: Vec2): T | undefined {
  let best: T | undefined, bestD = Infinity;
  for (const c of list) { const d = dist(c.at, p); if (d < bestD) { bestD = d; best = c; } }
  return best;
}

/**
 * The minimum and index-1 saddle nearest the spec's points, and the exit line
 * over the saddle: half way from the saddle to the minimum on its far side
 * where the saddle joins one (the particle has committed to the other basin
 * there), else a quarter of the way from the saddle to the domain's edge.
 * Throws an Error saying why when the surface has no usable pair.
 */
export function resolveEscape(surface: Surface, domain: Domain, spec: EscapeSpec): ResolvedEscape {
  const c = escapeCandidates(surface, domain);
  const where = c.source === 'catalogue' ? 'in the surface\'s list of critical points' : 'by the critical-point search over the domain';
  if (!c.minima.length) throw new Error(`escape: no non-degenerate minimum found ${where}`);
  if (!c.saddles.length) throw new Error(`escape: no index-1 saddle found ${where} (a degenerate saddle, such as the monkey saddle's, has no single unstable direction to cross)`);
  const minimum = nearest(c.minima, spec.minimum)!;
  const saddle = nearest(c.saddles, spec.saddle)!;
  const mi = c.minima.indexOf(minimum);
  const plain = basinExit(surface, minimum.at, saddle.at);
  // the joined minimum on the saddle's far side (away from the chosen minimum)
  const far = saddle.joins.filter((j) => j >= 0 && j !== mi).map((j) => c.minima[j].at)
    .find((m) => (m[0] - saddle.at[0]) * plain.direction[0] + (m[1] - saddle.at[1]) * plain.direction[1] > 0) ?? null;
  let exit: BasinExit, exitNote: string;
  if (far) {
    exit = basinExit(surface, minimum.at, saddle.at, { beyond: far });
    exitNote = `exit line half way from the saddle to the minimum beyond it at ${formatPoint(far)}`;
  } else {
    const margin = 0.25 * edgeDistance(domain, saddle.at, plain.direction);
    exit = basinExit(surface, minimum.at, saddle.at, { margin });
    exitNote = `no minimum known beyond the saddle: exit line ${margin.toPrecision(3)} past it (a quarter of the way to the domain's edge)`;
  }
  return { minimum, saddle, beyond: far, exit, barrier: saddle.value - minimum.value, source: c.source, exitNote };
}

/** Distance from p along the unit vector d to the domain's boundary. */
function edgeDistance(domain: Domain, p: Vec2, d: Vec2): number {
  let t = Infinity;
  for (const k of [0, 1] as const) {
    const [lo, hi] = k === 0 ? domain.x : domain.y;
    if (d[k] > 1e-12) t = Math.min(t, (hi - p[k]) / d[k]);
    else if (d[k] < -1e-12) t = Math.min(t, (lo - p[k]) / d[k]);
  }
  return Number.isFinite(t) ? Math.max(t, 0) : 0;
}

