// Critical points of a surface from many starts: the many-start damped Newton
// iteration (newton-reference.ts on the CPU, ManyStartNewton on the GPU), then
// on the CPU a float64 polish, deduplication, classification by the Hessian's
// eigenvalues, and the grouping of connected degenerate minima into manifolds.
import type { Domain, Hessian3, Vec2 } from '../../model/surface-types';
import { eigen2, isDegenerate, morseIndex } from './hessian';
import { diameter, linkComponents, orderAlongCurve } from './manifold';
import { dampedNewton, gradientScale, manyStartNewton, newtonOptions, seedGrid, type Derivatives, type NewtonOptions, type NewtonResult } from './newton-reference';

export type PointKind = 'minimum' | 'saddle' | 'maximum';

export interface CriticalPointInfo {
  /** from the Hessian's eigenvalue signs; for a degenerate point from probing the loss along its flat directions */
  kind: PointKind;
  at: Vec2;
  /** loss at the point */
  value: number;
  /** (f_xx, f_xy, f_yy) */
  hessian: Hessian3;
  /** ascending (loss units per length^2) */
  eigenvalues: Vec2;
  eigenvectors: [Vec2, Vec2];
  /** number of negative eigenvalues (0 minimum, 1 saddle, 2 maximum) */
  index: number;
  /** an eigenvalue is near zero relative to the Hessian's scale (|lambda_min| <= degenerateRtol |lambda_max|) */
  degenerate: boolean;
  gradientNorm: number;
  /** how many starts converged to this point */
  starts: number;
}

export interface CriticalManifold {
  /** a connected curve of degenerate critical points; one eigenvalue vanishes along it */
  kind: 'minimum-manifold' | 'maximum-manifold' | 'degenerate-manifold';
  /** samples along the curve, in order, about one seed spacing apart */
  points: Vec2[];
  /** mean loss over the samples (the loss is constant on a connected set of critical points) */
  value: number;
  valueRange: Vec2;
  closed: boolean;
  /** length of the sampled curve (length units) */
  length: number;
  /** range of the non-zero eigenvalue (curvature across the valley) over the samples */
  normalEigenvalue: Vec2;
  /** how many starts converged onto it */
  starts: number;
}

export interface CriticalReport {
  /** isolated critical points inside the domain: minima, then saddles, then maxima, each by loss */
  points: CriticalPointInfo[];
  manifolds: CriticalManifold[];
  domain: Domain;
  seedsPerAxis: number;
  /** starts whose polished point is a critical point inside the domain */
  converged: number;
  /** RMS |grad f| over the starts; gradient tolerances are relative to it */
  gradientScale: number;
  /** median over the starts of the largest |Hessian eigenvalue|; curvatures below 1e-4 of it count as zero */
  hessianScale: number;
}

export interface CriticalOptions {
  /** starts per axis of the seed grid (default 40: 1600 starts) */
  seedsPerAxis?: number;
  /** iterations of the many-start phase (default 100) */
  iterations?: number;
  /** |grad f| tolerance of the many-start phase relative to the gradient scale (default 1e-5; float32 reaches it) */
  gtolRelative?: number;
  /** degenerate when |lambda_min| <= this * |lambda_max| (default 1e-6) or <= 1e-4 of the surface's Hessian scale */
  degenerateRtol?: number;
  /** results of the many-start phase from elsewhere (the GPU), one per seed of seedGrid(domain, seedsPerAxis) */
  starts?: NewtonResult[];
}

/** The many-start options shared by the CPU reference and the GPU kernel. */
export function criticalSearchSetup(s: Derivatives, domain: Domain, opts: CriticalOptions = {}): { seeds: Float64Array; options: NewtonOptions; scale: number } {
  const seeds = seedGrid(domain, opts.seedsPerAxis ?? 40);
  const scale = gradientScale(s, seeds) || 1;
  return { seeds, scale, options: newtonOptions(domain, (opts.gtolRelative ?? 1e-5) * scale, { iterations: opts.iterations ?? 100 }) };
}

/** Every critical point in `domain` that the many-start iteration reaches. */
export function findCriticalPoints(s: Derivatives, domain: Domain, opts: CriticalOptions = {}): CriticalReport {
  const seedsPerAxis = opts.seedsPerAxis ?? 40;
  const { seeds, options, scale } = criticalSearchSetup(s, domain, opts);
  const starts = opts.starts ?? manyStartNewton(s, seeds, options);
  if (starts.length !== seeds.length / 2) throw new Error(`findCriticalPoints: ${starts.length} start results for ${seeds.length / 2} seeds`);
  const rtol = opts.degenerateRtol ?? 1e-6;
  const hScale = medianHessianScale(s, seeds);
  const floor = 1e-4 * hScale;
  const wx = domain.x[1] - domain.x[0], wy = domain.y[1] - domain.y[0];
  const diag = Math.hypot(wx, wy);
  const spacing = Math.max(wx, wy) / seedsPerAxis;
  // float64 polish: the same iteration, tight tolerance, no damping floor
  const polishOpts: NewtonOptions = { ...options, iterations: 200, gtol: 1e-11 * scale, muMin: 1e-14 };
  const inside = ([x, y]: Vec2) => x >= domain.x[0] - 1e-9 * wx && x <= domain.x[1] + 1e-9 * wx && y >= domain.y[0] - 1e-9 * wy && y <= domain.y[1] + 1e-9 * wy;

  interface Found { at: Vec2; r: number; starts: number }
  const isolated: Found[] = [];
  const flat: Found[] = [];
  let converged = 0;
  for (const st of starts) {
    if (!Number.isFinite(st.at[0]) || !Number.isFinite(st.at[1])) continue;
    const p = dampedNewton(s, st.at, polishOpts, Math.max(st.mu, 1e-6));
    if (p.gradientNorm > 1e-7 * scale || !inside(p.at)) continue;
    converged++;
    const e = eigen2(s.hessian(p.at[0], p.at[1]));
    const list = isDegenerate(e.values, rtol, floor) ? flat : isolated;
    const same = list === flat ? 1e-9 * diag : 1e-6 * diag;
    const twin = list.find((q) => Math.hypot(q.at[0] - p.at[0], q.at[1] - p.at[1]) <= same);
    if (twin) {
      twin.starts++;
      if (p.gradientNorm < twin.r) { twin.at = p.at; twin.r = p.gradientNorm; }
    } else {
      list.push({ at: p.at, r: p.gradientNorm, starts: 1 });
    }
  }

  const info = (f: Found): CriticalPointInfo => {
    const hessian = s.hessian(f.at[0], f.at[1]);
    const e = eigen2(hessian);
    const degenerate = isDegenerate(e.values, rtol, floor);
    const index = morseIndex(e.values, rtol);
    const kind: PointKind = degenerate ? probeKind(s, f.at, e.values, e.vectors, rtol, floor, 1e-3 * diag) : index === 0 ? 'minimum' : index === 1 ? 'saddle' : 'maximum';
    return { kind, at: f.at, value: s.value(f.at[0], f.at[1]), hessian, eigenvalues: e.values, eigenvectors: e.vectors, index, degenerate, gradientNorm: f.r, starts: f.starts };
  };

  const points = isolated.map(info);
  const manifolds: CriticalManifold[] = [];
  // degenerate points: a linked set wider than two seed spacings is a manifold, a small cluster one degenerate point
  for (const comp of linkComponents(flat.map((f) => f.at), 1.5 * spacing)) {
    const members = comp.map((i) => flat[i]);
    const at = members.map((m) => m.at);
    const startsHere = members.reduce((n, m) => n + m.starts, 0);
    if (members.length >= 4 && diameter(at) > 2 * spacing) {
      manifolds.push(manifoldEntry(s, at, startsHere, spacing, rtol));
    } else {
      const best = members.reduce((a, b) => (b.r < a.r ? b : a));
      points.push(info({ ...best, starts: startsHere }));
    }
  }
  const order: Record<PointKind, number> = { minimum: 0, saddle: 1, maximum: 2 };
  points.sort((a, b) => order[a.kind] - order[b.kind] || a.value - b.value || a.at[0] - b.at[0]);
  return { points, manifolds, domain, seedsPerAxis, converged, gradientScale: scale, hessianScale: hScale };
}

/** Median over the seeds of the largest |eigenvalue| of the Hessian. */
export function medianHessianScale(s: Derivatives, seeds: ArrayLike<number>): number {
  const v: number[] = [];
  for (let i = 0; i + 1 < seeds.length; i += 2) {
    const h = eigen2(s.hessian(seeds[i], seeds[i + 1])).values;
    const m = Math.max(Math.abs(h[0]), Math.abs(h[1]));
    if (Number.isFinite(m)) v.push(m);
  }
  v.sort((a, b) => a - b);
  return v.length ? v[v.length >> 1] : 0;
}

function manifoldEntry(s: Derivatives, at: Vec2[], starts: number, spacing: number, rtol: number): CriticalManifold {
  const curve = orderAlongCurve(at, 0.5 * spacing, 1.5 * spacing);
  const values = curve.points.map(([x, y]) => s.value(x, y));
  // the eigenvalue of larger magnitude is the curvature across the curve
  const normal = curve.points.map(([x, y]) => {
    const [lo, hi] = eigen2(s.hessian(x, y)).values;
    return Math.abs(lo) > Math.abs(hi) ? lo : hi;
  });
  const nMin = Math.min(...normal), nMax = Math.max(...normal);
  const scale = Math.max(Math.abs(nMin), Math.abs(nMax));
  const kind = nMin > rtol * scale ? 'minimum-manifold' : nMax < -rtol * scale ? 'maximum-manifold' : 'degenerate-manifold';
  return {
    kind,
    points: curve.points,
    value: values.reduce((a, b) => a + b, 0) / values.length,
    valueRange: [Math.min(...values), Math.max(...values)],
    closed: curve.closed,
    length: curve.length,
    normalEigenvalue: [nMin, nMax],
    starts,
  };
}

/**
 * Kind of a degenerate critical point: the loss probed at +-r along each flat
 * eigen-direction (up both ways: a minimum-like direction; down both ways:
 * maximum-like; one each: an inflection, saddle-like), with the signs of the
 * other eigenvalues.
 */
function probeKind(s: Derivatives, at: Vec2, values: Vec2, vectors: [Vec2, Vec2], rtol: number, floor: number, r: number): PointKind {
  const big = Math.max(Math.abs(values[0]), Math.abs(values[1]));
  const f0 = s.value(at[0], at[1]);
  let up = 0, down = 0;
  for (let k = 0; k < 2; k++) {
    if (Math.abs(values[k]) > Math.max(rtol * big, floor)) {
      if (values[k] > 0) up++; else down++;
      continue;
    }
    const [vx, vy] = vectors[k];
    const a = s.value(at[0] + r * vx, at[1] + r * vy) - f0;
    const b = s.value(at[0] - r * vx, at[1] - r * vy) - f0;
    if (a > 0 && b > 0) up++;
    else if (a < 0 && b < 0) down++;
    else return 'saddle';
  }
  return down === 0 ? 'minimum' : up === 0 ? 'maximum' : 'saddle';
}
