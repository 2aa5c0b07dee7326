// Minimum-energy paths between two minima: the nudged elastic band (NEB).
// Pivots (images) joined by springs; each feels the loss's force perpendicular
// to the path and the springs' force along it, with the improved tangent of
// Henkelman & Jónsson, J. Chem. Phys. 113, 9978 (2000), and a climbing image
// (Henkelman, Uberuaga & Jónsson, J. Chem. Phys. 113, 9901 (2000)) that
// climbs to the saddle. Pivots are added where the loss changes fast or the
// path bends (the AutoNEB idea, Kolsbjerg, Groves & Hammer, J. Chem. Phys.
// 145, 094107 (2016)); the springs share the length equally, so the band then
// spreads its new pivots evenly (halving a segment's rest share to keep the
// refinement local made the relaxation unstable on Müller–Brown). The band is
// first relaxed as a plain elastic band (springs acting in full) so that it
// slides off a ridge the straight line crossed in one piece instead of
// tearing. An interior local minimum along the band is relaxed to a true
// minimum and the band split there, so each piece climbs to its own saddle.
// Relaxation uses FIRE (Bitzek et al., PRL 97, 170201 (2006)). All on the CPU
// in float64.
import type { Hessian3, Vec2 } from '../../model/surface-types';
import type { Derivatives } from '../../model/surfaces/critical';
import { eigen2, isDegenerate, morseIndex } from './hessian';
import { minimize } from './minimize';
import { dampedNewton, newtonOptions } from './newton-reference';
import { formatPoint } from '../../model/format';

export interface NebOptions {
  /** pivots of the initial straight band, endpoints included (default 12) */
  pivots?: number;
  /** most pivots per piece after insertions (default 48) */
  maxPivots?: number;
  /** spring constant relative to the loss's curvature scale along the straight line (default 0.1) */
  springFactor?: number;
  /** converged when every pivot's NEB force is below this times the gradient scale (default 1e-6) */
  forceRelative?: number;
  /** FIRE iterations per relaxation (default 20000) */
  maxIterations?: number;
  /** split a segment whose loss change exceeds this fraction of the band's loss range (default 0.1) */
  energyFraction?: number;
  /** split the segments at a pivot where the path turns by more than this (degrees, default 30) */
  maxBendDegrees?: number;
  /** climb to the saddle of each piece (default true) */
  climb?: boolean;
  /** split the band at interior minima (default true) */
  splitAtMinima?: boolean;
  /** first minimise from `from` and `to` (default true) */
  refineEndpoints?: boolean;
  /**
   * Called every few dozen FIRE iterations with the band so far (the finished
   * pieces, then the piece being relaxed), for drawing the path while it converges.
   */
  onProgress?: (band: Vec2[], iterations: number) => void;
}

export interface PathPivot {
  x: number;
  y: number;
  /** loss at the pivot */
  loss: number;
  /** arc length from the start along the pivots (length units) */
  s: number;
  /** this pivot was a climbing image */
  climbing?: boolean;
  /** this pivot is an intermediate minimum the band was split at */
  minimum?: boolean;
}

export interface PathSaddle {
  /** the climbing image where it converged */
  climb: { at: Vec2; loss: number };
  /** the climbing image refined by Newton on grad f (float64) */
  at: Vec2;
  loss: number;
  hessian: Hessian3;
  eigenvalues: Vec2;
  /** number of negative eigenvalues: 1 for a saddle */
  index: number;
  degenerate: boolean;
  /** which piece of the path (between consecutive minima) it belongs to */
  piece: number;
}

export interface PathEndpoint {
  given: Vec2;
  at: Vec2;
  loss: number;
}

export interface StraightSample {
  t: number;
  x: number;
  y: number;
  loss: number;
}

export interface MinimumEnergyPath {
  from: PathEndpoint;
  to: PathEndpoint;
  pivots: PathPivot[];
  /** minima between the endpoints that the path passes through */
  intermediateMinima: { at: Vec2; loss: number }[];
  /** one per piece whose loss rises above its ends; ordered along the path */
  saddles: PathSaddle[];
  /** the highest saddle (the one that sets the barrier), null on a path with no barrier */
  saddle: PathSaddle | null;
  /** highest loss over the pivots minus the higher endpoint's loss */
  barrier: number;
  /** the same along the straight line between the endpoints */
  straightBarrier: number;
  straightLine: StraightSample[];
  /** every piece's relaxation converged below the force tolerance */
  converged: boolean;
  /** the largest NEB force left on a pivot (loss units per length) */
  maxForce: number;
  forceTolerance: number;
  /** FIRE iterations over all relaxations */
  iterations: number;
}

interface Band {
  /** pivots, endpoints first and last (fixed) */
  R: Vec2[];
}

interface Ctx {
  s: Derivatives;
  /** NEB spring constant (loss units per length^2) */
  k: number;
  /** spring constant of the plain elastic band stage */
  kElastic: number;
  ftol: number;
  flatTol: number;
  maxIterations: number;
  maxPivots: number;
  energyFraction: number;
  maxBend: number;
  climb: boolean;
  split: boolean;
  length: number;
  iterations: number;
  onProgress?: (band: Vec2[], iterations: number) => void;
  /** pieces finished so far (for onProgress) */
  done: { band: Band }[];
}

/** `climb` value of nebForces / relax for the plain elastic band */
const ELASTIC = -2;

const dist = (a: Vec2, b: Vec2) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** The loss along the straight line from a to b at n evenly spaced points. */
export function straightLineProfile(s: Derivatives, a: Vec2, b: Vec2, n = 129): StraightSample[] {
  return Array.from({ length: n }, (_, i) => {
    const t = i / (n - 1);
    const x = a[0] + t * (b[0] - a[0]), y = a[1] + t * (b[1] - a[1]);
    return { t, x, y, loss: s.value(x, y) };
  });
}

/** Highest loss on the straight segment a-b (dense samples, then golden-section refinement). */
export function straightLineMax(s: Derivatives, a: Vec2, b: Vec2, n = 257): number {
  const f = (t: number) => s.value(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]));
  let best = 0, bestF = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = f(i / (n - 1));
    if (v > bestF) { bestF = v; best = i; }
  }
  let lo = Math.max(0, (best - 1) / (n - 1)), hi = Math.min(1, (best + 1) / (n - 1));
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 60; k++) {
    const m1 = hi - g * (hi - lo), m2 = lo + g * (hi - lo);
    if (f(m1) > f(m2)) hi = m2; else lo = m1;
  }
  return Math.max(bestF, f((lo + hi) / 2));
}

/** The minimum-energy path from `from` to `to` (each first relaxed to its minimum). */
export function minimumEnergyPath(s: Derivatives, from: Vec2, to: Vec2, options: NebOptions = {}): MinimumEnergyPath {
  const L0 = dist(from, to);
  if (!(L0 > 0)) throw new Error('minimumEnergyPath: the two endpoints coincide; give two different minima');
  // scales from the straight line: the largest gradient, curvature and loss range on it
  const line = straightLineProfile(s, from, to, 33);
  let gMax = 0, hMax = 0;
  for (const p of line) {
    gMax = Math.max(gMax, Math.hypot(...s.gradient(p.x, p.y)));
    const [lo, hi] = eigen2(s.hessian(p.x, p.y)).values;
    hMax = Math.max(hMax, Math.abs(lo), Math.abs(hi));
  }
  if (!Number.isFinite(gMax) || !Number.isFinite(hMax)) throw new Error('minimumEnergyPath: the loss is not finite on the straight line between the endpoints');
  const gScale = Math.max(gMax, hMax * L0) || 1;
  const refine = options.refineEndpoints ?? true;
  const endpoint = (p: Vec2): PathEndpoint => {
    if (!refine) return { given: p, at: p, loss: s.value(p[0], p[1]) };
    const m = minimize(s, p, { gtol: 1e-10 * gScale, maxStep: 0.1 * L0, iterations: 2000 });
    return { given: p, at: m.at, loss: m.value };
  };
  const a = endpoint(from), b = endpoint(to);
  const L = dist(a.at, b.at);
  if (!(L > 1e-9 * L0)) throw new Error(`minimumEnergyPath: both endpoints relax to the same minimum ${formatPoint(a.at, 6)}; pick points in two different basins`);
  const straight = straightLineProfile(s, a.at, b.at, 65);
  const eRange = Math.max(...straight.map((p) => p.loss)) - Math.min(...straight.map((p) => p.loss));
  const ctx: Ctx = {
    s,
    k: (options.springFactor ?? 0.1) * (hMax || gScale / L0),
    kElastic: hMax || gScale / L0,
    ftol: (options.forceRelative ?? 1e-6) * gScale,
    flatTol: 1e-6 * Math.max(eRange, 1e-12 * Math.max(Math.abs(a.loss), Math.abs(b.loss)), Number.MIN_VALUE),
    maxIterations: options.maxIterations ?? 20000,
    maxPivots: options.maxPivots ?? 48,
    energyFraction: options.energyFraction ?? 0.1,
    maxBend: ((options.maxBendDegrees ?? 30) * Math.PI) / 180,
    climb: options.climb ?? true,
    split: options.splitAtMinima ?? true,
    length: L,
    iterations: 0,
    onProgress: options.onProgress,
    done: [],
  };
  const n = Math.max(3, options.pivots ?? 12);
  // a straight band with a small bump (1e-3 of its length) off the line, so a band through a
  // symmetric maximum (opposite points of a ring) is not balanced on it
  const nx = -(b.at[1] - a.at[1]) / L, ny = (b.at[0] - a.at[0]) / L;
  const R: Vec2[] = Array.from({ length: n }, (_, i) => {
    const t = i / (n - 1), bump = 1e-3 * L * Math.sin(Math.PI * t);
    return [a.at[0] + t * (b.at[0] - a.at[0]) + bump * nx, a.at[1] + t * (b.at[1] - a.at[1]) + bump * ny];
  });
  const pieces: { band: Band; climbIndex: number; force: number; converged: boolean }[] = [];
  const minima: { at: Vec2; loss: number }[] = [];
  ctx.done = pieces;
  solvePiece(ctx, { R }, 0, pieces, minima);

  const pivots: PathPivot[] = [];
  const saddles: PathSaddle[] = [];
  let sAcc = 0;
  pieces.forEach((p, pi) => {
    p.band.R.forEach((r, i) => {
      if (pi > 0 && i === 0) { pivots[pivots.length - 1].minimum = true; return; }
      if (pivots.length) { const q = pivots[pivots.length - 1]; sAcc += Math.hypot(r[0] - q.x, r[1] - q.y); }
      pivots.push({ x: r[0], y: r[1], loss: s.value(r[0], r[1]), s: sAcc, ...(i === p.climbIndex ? { climbing: true } : {}) });
    });
    if (p.climbIndex > 0) saddles.push(refineSaddle(s, p.band.R[p.climbIndex], pi, gScale, L));
  });
  const top = Math.max(...pivots.map((p) => p.loss));
  const high = Math.max(a.loss, b.loss);
  const saddle = saddles.reduce<PathSaddle | null>((m, x) => (!m || x.loss > m.loss ? x : m), null);
  return {
    from: a,
    to: b,
    pivots,
    intermediateMinima: minima,
    saddles,
    saddle,
    barrier: top - high,
    straightBarrier: straightLineMax(s, a.at, b.at) - high,
    straightLine: straight.map((p) => ({ ...p })),
    converged: pieces.every((p) => p.converged),
    maxForce: Math.max(...pieces.map((p) => p.force)),
    forceTolerance: ctx.ftol,
    iterations: ctx.iterations,
  };
}


/** Newton on grad f from the climbing image: the saddle to rounding, with its Hessian. */
function refineSaddle(s: Derivatives, climb: Vec2, piece: number, gScale: number, L: number): PathSaddle {
  const o = newtonOptions({ x: [climb[0] - L, climb[0] + L], y: [climb[1] - L, climb[1] + L] }, 1e-12 * gScale, { iterations: 100, muMin: 1e-14, mu0: 1e-8, maxStep: 0.01 * L });
  const r = dampedNewton(s, climb, o);
  // keep the climbing image if Newton went astray (it cannot move far from a converged image)
  const at: Vec2 = r.gradientNorm <= 1e-8 * gScale && dist(r.at, climb) < 0.05 * L ? r.at : climb;
  const hessian = s.hessian(at[0], at[1]);
  const e = eigen2(hessian);
  return {
    climb: { at: climb, loss: s.value(climb[0], climb[1]) },
    at,
    loss: s.value(at[0], at[1]),
    hessian,
    eigenvalues: e.values,
    index: morseIndex(e.values, 1e-6),
    degenerate: isDegenerate(e.values, 1e-6),
    piece,
  };
}

function solvePiece(ctx: Ctx, band: Band, depth: number, out: { band: Band; climbIndex: number; force: number; converged: boolean }[], minima: { at: Vec2; loss: number }[]): void {
  const { s } = ctx;
  // the band pulled off ridges in one piece, then coarse NEB relaxation with pivot insertion (AutoNEB)
  const maxIterations = ctx.maxIterations;
  ctx.maxIterations = Math.min(maxIterations, 3000);
  relax(ctx, band, ELASTIC, 1e3 * ctx.ftol);
  ctx.maxIterations = maxIterations;
  for (let round = 0; round < 8; round++) {
    relax(ctx, band, -1, 1e3 * ctx.ftol);
    removeFolds(band);
    if (!insertPivots(ctx, band)) break;
  }
  if (ctx.split && depth < 4) {
    const E = band.R.map(([x, y]) => s.value(x, y));
    const j = deepestInteriorMinimum(E, ctx.flatTol);
    if (j > 0) {
      const m = minimize(s, band.R[j], { gtol: 1e-10 * ctx.ftol * 1e6, maxStep: 0.05 * ctx.length, iterations: 2000 });
      const e = eigen2(s.hessian(m.at[0], m.at[1])).values;
      const ends = [band.R[0], band.R[band.R.length - 1]];
      const leftTop = Math.max(...E.slice(0, j)), rightTop = Math.max(...E.slice(j + 1));
      if (e[0] > 1e-6 * e[1] && ends.every((p) => dist(p, m.at) > 1e-6 * ctx.length) && Math.min(leftTop, rightTop) - m.value > ctx.flatTol) {
        minima.push({ at: m.at, loss: m.value });
        const left: Band = { R: [...band.R.slice(0, j), m.at] };
        const right: Band = { R: [m.at, ...band.R.slice(j + 1)] };
        solvePiece(ctx, resampleIfShort(left), depth + 1, out, minima);
        solvePiece(ctx, resampleIfShort(right), depth + 1, out, minima);
        return;
      }
    }
  }
  // tight relaxation; then, if the piece rises above its ends, climb its highest pivot
  let r = relax(ctx, band, -1, ctx.ftol);
  let climbIndex = -1;
  const highest = () => {
    const E = band.R.map(([x, y]) => s.value(x, y));
    let top = 1;
    for (let i = 2; i < E.length - 1; i++) if (E[i] > E[top]) top = i;
    return E.length > 2 && E[top] - Math.max(E[0], E[E.length - 1]) > ctx.flatTol ? top : -1;
  };
  if (ctx.climb && highest() > 0) {
    climbIndex = highest();
    if (climbIndex > 0) r = relax(ctx, band, climbIndex, ctx.ftol);
  }
  out.push({ band, climbIndex, force: r.maxForce, converged: r.converged });
}

/**
 * Removes interior pivots where the band folds back on itself (turns by more
 * than 90 degrees) or that sit on top of a neighbour (closer than 2% of the
 * mean spacing); the removed pivot's two segments merge.
 */
function removeFolds(band: Band): void {
  const { R } = band;
  for (let pass = 0; pass < R.length; pass++) {
    let total = 0;
    for (let i = 1; i < R.length; i++) total += dist(R[i], R[i - 1]);
    const tiny = (0.02 * total) / (R.length - 1);
    let worst = -1;
    for (let i = 1; i < R.length - 1 && R.length > 3; i++) {
      const ax = R[i][0] - R[i - 1][0], ay = R[i][1] - R[i - 1][1], bx = R[i + 1][0] - R[i][0], by = R[i + 1][1] - R[i][1];
      if (ax * bx + ay * by < 0 || Math.hypot(ax, ay) < tiny || Math.hypot(bx, by) < tiny) { worst = i; break; }
    }
    if (worst < 0) return;
    R.splice(worst, 1);
  }
}

/** Index of the interior pivot that is the deepest local minimum along the band, or -1. */
function deepestInteriorMinimum(E: number[], tol: number): number {
  let best = -1;
  for (let i = 1; i < E.length - 1; i++) {
    if (E[i] < E[i - 1] - tol && E[i] < E[i + 1] - tol && (best < 0 || E[i] < E[best])) best = i;
  }
  return best;
}

/** A band of fewer than 6 pivots, resampled to 8 evenly along its polyline. */
function resampleIfShort(b: Band): Band {
  if (b.R.length >= 6) return b;
  const n = 8;
  const cum = [0];
  for (let i = 1; i < b.R.length; i++) cum.push(cum[i - 1] + dist(b.R[i], b.R[i - 1]));
  const total = cum[cum.length - 1];
  const R: Vec2[] = [];
  for (let k = 0; k < n; k++) {
    const target = (k / (n - 1)) * total;
    let i = 1;
    while (i < cum.length - 1 && cum[i] < target) i++;
    const t = cum[i] > cum[i - 1] ? (target - cum[i - 1]) / (cum[i] - cum[i - 1]) : 0;
    R.push(k === 0 ? b.R[0] : k === n - 1 ? b.R[b.R.length - 1] : [b.R[i - 1][0] + t * (b.R[i][0] - b.R[i - 1][0]), b.R[i - 1][1] + t * (b.R[i][1] - b.R[i - 1][1])]);
  }
  return { R };
}

/** Splits segments where the loss changes fast or the path bends; true when any were split. */
function insertPivots(ctx: Ctx, band: Band): boolean {
  const { R } = band;
  const room = ctx.maxPivots - R.length;
  if (room <= 0) return false;
  const E = R.map(([x, y]) => ctx.s.value(x, y));
  const range = Math.max(...E) - Math.min(...E);
  const score = new Array<number>(R.length - 1).fill(0);
  for (let i = 0; i < R.length - 1; i++) {
    if (range > ctx.flatTol) score[i] = Math.max(score[i], Math.abs(E[i + 1] - E[i]) / (ctx.energyFraction * range));
  }
  for (let i = 1; i < R.length - 1; i++) {
    const ax = R[i][0] - R[i - 1][0], ay = R[i][1] - R[i - 1][1], bx = R[i + 1][0] - R[i][0], by = R[i + 1][1] - R[i][1];
    const turn = Math.atan2(Math.abs(ax * by - ay * bx), ax * bx + ay * by);
    const q = turn / ctx.maxBend;
    score[i - 1] = Math.max(score[i - 1], q);
    score[i] = Math.max(score[i], q);
  }
  const chosen = score
    .map((v, i) => ({ v, i }))
    .filter((c) => c.v > 1)
    .sort((p, q) => q.v - p.v)
    .slice(0, room)
    .map((c) => c.i)
    .sort((p, q) => q - p);
  for (const i of chosen) {
    const mid: Vec2 = [(R[i][0] + R[i + 1][0]) / 2, (R[i][1] + R[i + 1][1]) / 2];
    R.splice(i + 1, 0, mid);
  }
  return chosen.length > 0;
}

/** The improved tangent at interior pivot i (unit). */
function tangent(R: Vec2[], E: number[], i: number): Vec2 {
  const tp: Vec2 = [R[i + 1][0] - R[i][0], R[i + 1][1] - R[i][1]];
  const tm: Vec2 = [R[i][0] - R[i - 1][0], R[i][1] - R[i - 1][1]];
  let t: Vec2;
  if (E[i + 1] > E[i] && E[i] > E[i - 1]) t = tp;
  else if (E[i + 1] < E[i] && E[i] < E[i - 1]) t = tm;
  else {
    const dMax = Math.max(Math.abs(E[i + 1] - E[i]), Math.abs(E[i - 1] - E[i]));
    const dMin = Math.min(Math.abs(E[i + 1] - E[i]), Math.abs(E[i - 1] - E[i]));
    t = E[i + 1] > E[i - 1] ? [tp[0] * dMax + tm[0] * dMin, tp[1] * dMax + tm[1] * dMin] : [tp[0] * dMin + tm[0] * dMax, tp[1] * dMin + tm[1] * dMax];
    // equal losses on both sides (a flat valley): the chord
    if (!(Math.hypot(t[0], t[1]) > 0)) t = [tp[0] + tm[0], tp[1] + tm[1]];
  }
  const n = Math.hypot(t[0], t[1]) || 1;
  return [t[0] / n, t[1] / n];
}

/**
 * NEB forces on the interior pivots; `climb` is the climbing pivot (or -1), or
 * ELASTIC: the plain elastic band (springs acting in full, as vectors, plus the
 * loss's perpendicular force), which holds the band together while it slides
 * off a ridge that the straight line crossed.
 */
function nebForces(ctx: Ctx, band: Band, climb: number): { F: Vec2[]; max: number } {
  const { R } = band;
  const E = R.map(([x, y]) => ctx.s.value(x, y));
  const F: Vec2[] = R.map(() => [0, 0]);
  let max = 0;
  for (let i = 1; i < R.length - 1; i++) {
    const t = tangent(R, E, i);
    const [gx, gy] = ctx.s.gradient(R[i][0], R[i][1]);
    const gt = gx * t[0] + gy * t[1];
    let fx: number, fy: number;
    if (climb === ELASTIC) {
      const k = ctx.kElastic;
      fx = -gx + gt * t[0] + k * (R[i + 1][0] - 2 * R[i][0] + R[i - 1][0]);
      fy = -gy + gt * t[1] + k * (R[i + 1][1] - 2 * R[i][1] + R[i - 1][1]);
    } else if (i === climb) {
      // climbing image: the loss's force with its component along the path inverted, no springs
      fx = -gx + 2 * gt * t[0];
      fy = -gy + 2 * gt * t[1];
    } else {
      const spring = ctx.k * (dist(R[i + 1], R[i]) - dist(R[i], R[i - 1]));
      fx = -gx + gt * t[0] + spring * t[0];
      fy = -gy + gt * t[1] + spring * t[1];
    }
    F[i] = [fx, fy];
    max = Math.max(max, Math.hypot(fx, fy));
  }
  return { F, max };
}

/** The stiffest mode: the loss's largest curvature on the pivots plus the springs' (4 k for an alternating pattern). */
function stiffness(ctx: Ctx, band: Band): number {
  let curv = 0;
  for (let i = 1; i < band.R.length - 1; i++) {
    const [lo, hi] = eigen2(ctx.s.hessian(band.R[i][0], band.R[i][1])).values;
    curv = Math.max(curv, Math.abs(lo), Math.abs(hi));
  }
  return curv + 4 * Math.max(ctx.k, ctx.kElastic);
}

/** FIRE relaxation of the interior pivots until every force is below ftol. */
function relax(ctx: Ctx, band: Band, climb: number, ftol: number): { maxForce: number; converged: boolean } {
  const { R } = band;
  const n = R.length;
  let dtMax = 0.5 / Math.sqrt(stiffness(ctx, band));
  let dt = 0.2 * dtMax;
  let alpha = 0.1, positive = 0;
  const v: Vec2[] = R.map(() => [0, 0]);
  let f = nebForces(ctx, band, climb);
  let spacing = 0;
  for (let i = 1; i < n; i++) spacing += dist(R[i], R[i - 1]) / (n - 1);
  for (let it = 0; it < ctx.maxIterations; it++) {
    if (f.max <= ftol) return { maxForce: f.max, converged: true };
    ctx.iterations++;
    if (ctx.onProgress && it % 25 === 0) ctx.onProgress([...ctx.done.flatMap((p) => p.band.R), ...R].map((r) => [r[0], r[1]] as Vec2), ctx.iterations);
    // the pivots move into regions of other curvature: keep the time step below the stability limit
    if (it % 100 === 99) dtMax = 0.5 / Math.sqrt(stiffness(ctx, band));
    let P = 0, vn = 0, fn = 0;
    for (let i = 1; i < n - 1; i++) {
      P += f.F[i][0] * v[i][0] + f.F[i][1] * v[i][1];
      vn += v[i][0] ** 2 + v[i][1] ** 2;
      fn += f.F[i][0] ** 2 + f.F[i][1] ** 2;
    }
    if (P > 0) {
      const mix = Math.sqrt(vn / fn);
      for (let i = 1; i < n - 1; i++) {
        v[i][0] = (1 - alpha) * v[i][0] + alpha * mix * f.F[i][0];
        v[i][1] = (1 - alpha) * v[i][1] + alpha * mix * f.F[i][1];
      }
      if (++positive > 5) { dt = Math.min(dt * 1.1, dtMax); alpha *= 0.99; }
    } else {
      for (const vi of v) { vi[0] = 0; vi[1] = 0; }
      dt *= 0.5;
      alpha = 0.1;
      positive = 0;
    }
    const old = R.map((r) => [r[0], r[1]] as Vec2);
    for (let i = 1; i < n - 1; i++) {
      v[i][0] += dt * f.F[i][0];
      v[i][1] += dt * f.F[i][1];
      let dx = dt * v[i][0], dy = dt * v[i][1];
      // a pivot moves at most a fifth of its distance to a neighbour per step, so pivots never jump past each other
      const maxMove = Math.max(0.2 * Math.min(dist(old[i], old[i - 1]), dist(old[i], old[i + 1])), 0.01 * spacing);
      const m = Math.hypot(dx, dy);
      if (m > maxMove) {
        // the velocity follows the capped step, or it would grow unseen and fling the pivot later
        dx *= maxMove / m; dy *= maxMove / m;
        v[i][0] = dx / dt; v[i][1] = dy / dt;
      }
      R[i] = [R[i][0] + dx, R[i][1] + dy];
    }
    const next = nebForces(ctx, band, climb);
    if (!Number.isFinite(next.max)) {
      // a pivot reached a non-finite loss: step back, stop, and shorten the step
      for (let i = 1; i < n - 1; i++) R[i] = old[i];
      for (const vi of v) { vi[0] = 0; vi[1] = 0; }
      dt *= 0.25;
      positive = 0;
      continue;
    }
    f = next;
  }
  return { maxForce: f.max, converged: f.max <= ftol };
}
