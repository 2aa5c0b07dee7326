// The smoothed loss on the GPU (shaders/analysis_smoothing.wgsl via
// smoothedLossGpu): against the CPU reference smoothedLoss on several
// surfaces and both kernels, against the exact law for a quadratic, and
// against the closed form for Rastrigin, whose local minima vanish exactly
// when the smoothed 1-D profile loses them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { createFormulaSurface } from '../../src/model/expression';
import { requireScenario } from '../../src/model/scenario';
import { findSurface } from '../../src/model/surfaces';
import type { Domain, Surface, Vec2 } from '../../src/model/surface-types';
import { eigen2 } from '../../src/sim/analysis/hessian';
import { gaussHermite } from '../../src/sim/analysis/gauss-hermite';
import { kernelCovariance, smoothedLoss, sqrtm, stepNoiseKernel, type SmoothedLoss, type SmoothingKernel } from '../../src/sim/analysis/smoothing';
import type { SurfaceSpec } from './harness/analysis-smoothing';

const U = 2 ** -24; // float32 unit roundoff
const ORDER = 10; // Gauss–Hermite points per axis (the default)

const lab = useLabPage();

function surfaceOf(spec: SurfaceSpec): Surface {
  return 'formula' in spec ? createFormulaSurface(spec.formula, spec.domain) : findSurface(spec.name)!.create(spec.params, spec.seed);
}

async function gpu(spec: SurfaceSpec, domain: Domain, grid: number, kernel: SmoothingKernel, order = ORDER, evaluationsPerSubmit?: number) {
  const r = await lab.call<{ result: SmoothedLoss; ms: number; progress: number[] }>('analysis-smoothing', 'smoothGpu', spec, domain, grid, kernel, order, evaluationsPerSubmit);
  expect(r.result.raw.length).toBe(grid * grid);
  expect(r.result.smoothed.every(Number.isFinite) && r.result.raw.every(Number.isFinite), 'every cell written and finite').toBe(true);
  expect(r.progress.at(-1)).toBe(1);
  return r;
}

/**
 * How far one float32 evaluation of f at p may be from the float64 reference,
 * given S, the magnitude of the terms (the largest |f| over the domain and
 * the stencil): `relative` * S (arithmetic, exp, log: 64 u, plus 8 sqrt(N) u
 * for a mean over N samples, as tests/browser/surfaces.test.ts derives) plus
 * `absolute(p)` for WGSL's sin/cos (2^-11 absolute error on [-pi, pi]).
 */
interface EvalError { relative: number; absolute: (p: Vec2) => number }
const arithmetic = (samples = 0): EvalError => ({ relative: (64 + 8 * Math.sqrt(samples)) * U, absolute: () => 0 });
/**
 * The catalogue quadratic with a = 3 >= b: its axis e = (cos angle, sin angle) off by 2^-11 per
 * component moves u = e.p and v = e x p by 2^-11 (|x| + |y|) each, so f = (a u^2 + b v^2) / 2 by at
 * most a (|u| + |v|) 2^-11 (|x| + |y|) <= 2 a (|x| + |y|)^2 2^-11.
 */
const rotatedQuadraticError = ([x, y]: Vec2) => 2 * 3 * (Math.abs(x) + Math.abs(y)) ** 2 * 2 ** -11;

/**
 * Per cell, the largest |gpu - cpu| float32 rounding can make, for the raw
 * and the smoothed loss. Sources (u = 2^-24):
 * - each stencil evaluation: the EvalError, weighted: sum w = 1 of it;
 * - stencil points p_k = x + L z_k rounded: the cell centre lo + (i + 1/2) dx
 *   (3 roundings, 4 u (|lo| + |x|) per coordinate), L z_k (L and z rounded
 *   to float32, two products and a sum: 6 u |L| (|z_i| + |z_j|)), the sum
 *   (u |p_k|); f moves by |grad f(p_k)| times that (sqrt 2 for two coordinates);
 * - the sum of n^2 products w_i w_j f in float32: (n^2 + 4) u max |f|;
 * - the minibatch kernel's L = sqrt(scale Sigma(x)) from Sigma summed in
 *   float32: |dSigma| <= (530 + 64 sqrt N) u G^2, G the largest per-sample
 *   gradient (the mean to (64 + 8 sqrt N) u G, each centred gradient to
 *   ~(130 + 8 sqrt N) u G, their products and the mean of N of them), plus
 *   4 u |C| for det C in the square root; then |dL| <= min(|dC| / sqrt(l_min),
 *   sqrt |dC|) (first order with a factor 2 of slack; the operator-monotone
 *   bound |sqrt A - sqrt B| <= sqrt |A - B| for a near-singular C) plus
 *   10 u |L|. It moves the sum by sum w_k |grad f(p_k) - grad f(x)| |z_k| |dL|
 *   (the grad f(x) part cancels: the nodes are symmetric), doubled for the
 *   second-order term.
 */
function roundingBound(s: Surface, domain: Domain, grid: number, kernel: SmoothingKernel, err: EvalError, extra = 0, order = ORDER) {
  const { nodes, weights } = gaussHermite(order);
  const dx = (domain.x[1] - domain.x[0]) / grid, dy = (domain.y[1] - domain.y[0]) / grid;
  const lo = Math.max(Math.abs(domain.x[0]), Math.abs(domain.y[0]));
  let scale = 0;
  for (let j = 0; j < grid; j++) for (let i = 0; i < grid; i++) scale = Math.max(scale, Math.abs(s.value(domain.x[0] + (i + 0.5) * dx, domain.y[0] + (j + 0.5) * dy)));
  const raw = new Float64Array(grid * grid), smoothed = new Float64Array(grid * grid);
  const samples = s.finiteSum?.sampleCount ?? 0;
  for (let j = 0; j < grid; j++) {
    for (let i = 0; i < grid; i++) {
      const x = domain.x[0] + (i + 0.5) * dx, y = domain.y[0] + (j + 0.5) * dy;
      const g0 = s.gradient(x, y);
      const centre = 4 * U * (lo + Math.max(Math.abs(x), Math.abs(y)));
      raw[j * grid + i] = err.relative * scale + err.absolute([x, y]) + Math.hypot(...g0) * Math.SQRT2 * centre;
      const c = kernelCovariance(s, kernel, x, y);
      const l = sqrtm(c);
      const lNorm = Math.hypot(...l);
      let dL = 0;
      if (kernel.kind === 'gradient-covariance') {
        let g = 0;
        for (let k = 0; k < samples; k++) g = Math.max(g, Math.hypot(...s.finiteSum!.sampleGradient(x, y, k)));
        const dC = (530 + 64 * Math.sqrt(samples)) * U * g * g * kernel.scale + 4 * U * Math.hypot(c[0], c[1], c[1], c[2]);
        const lMin = Math.max(eigen2(c).values[1], 0);
        dL = Math.min(lMin > 0 ? dC / Math.sqrt(lMin) : Infinity, Math.sqrt(dC)) + 10 * U * lNorm;
      }
      let m = scale, sum = 0;
      for (let a = 0; a < order; a++) {
        for (let b = 0; b < order; b++) {
          const za = nodes[a], zb = nodes[b], w = weights[a] * weights[b];
          const p: Vec2 = [x + l[0] * za + l[1] * zb, y + l[2] * za + l[3] * zb];
          m = Math.max(m, Math.abs(s.value(...p)));
          const g = s.gradient(...p);
          const dp = centre + 6 * U * lNorm * (Math.abs(za) + Math.abs(zb)) + U * Math.max(Math.abs(p[0]), Math.abs(p[1]));
          sum += w * (err.absolute(p) + Math.hypot(...g) * Math.SQRT2 * dp + 2 * Math.hypot(g[0] - g0[0], g[1] - g0[1]) * Math.hypot(za, zb) * dL);
        }
      }
      smoothed[j * grid + i] = sum + (err.relative + (order * order + 4) * U) * m + extra;
    }
  }
  return { raw, smoothed };
}

/** Largest |a - b| / tol over the cells, and where. */
function worstRatio(a: Float64Array, b: ArrayLike<number>, tol: Float64Array) {
  let worst = 0, at = 0;
  for (let k = 0; k < a.length; k++) {
    const r = Math.abs(a[k] - b[k]) / tol[k];
    if (!(r <= worst)) { worst = r; at = k; }
  }
  return { worst, at };
}

const box = (h: number): Domain => ({ x: [-h, h], y: [-h, h] });
const quadraticFormula = '1.5*x^2 + 0.4*x*y + 0.25*y^2'; // x^T A x / 2 with A = [[3, 0.4], [0.4, 0.5]]

// the rastrigin preset's panels; the last (B = 1, T = 10) is the hot one
const preset = requireScenario(JSON.parse(readFileSync('public/presets/rastrigin-smoothing.json', 'utf8')));
const hotPanel = preset.scenario.panels[preset.scenario.panels.length - 1];
const hotKernel = stepNoiseKernel(hotPanel);

describe('smoothed loss on the GPU against the CPU reference', () => {
  const cases: { label: string; spec: SurfaceSpec; domain: Domain; kernel: SmoothingKernel; err: (s: Surface) => EvalError }[] = [
    {
      label: 'quadratic (rotated), correlated gaussian', spec: { name: 'quadratic', params: { a: 3, b: 0.5, angle: 0.7 }, seed: 7 }, domain: box(2),
      kernel: { kind: 'gaussian', covariance: [0.3, -0.1, 0.05] }, err: () => ({ relative: 64 * U, absolute: rotatedQuadraticError }),
    },
    {
      label: 'double-well, gaussian', spec: { name: 'double-well', params: { h: 1, tilt: 0.3 }, seed: 7 }, domain: box(2),
      kernel: { kind: 'gaussian', covariance: [0.1, 0, 0.1] }, err: () => arithmetic(),
    },
    {
      // two cos terms with coefficient A
      label: 'rastrigin, the preset\'s hot panel', spec: { name: 'rastrigin', params: { A: 10 }, seed: 7 }, domain: preset.scenario.domain,
      kernel: hotKernel, err: () => ({ relative: 64 * U, absolute: () => 2 * 10 * 2 ** -11 }),
    },
    {
      label: 'typed formula, gaussian', spec: { formula: 'x^4/4 - x^2 + 0.5*y^2 + 0.3*x*y + exp(-(x - 0.5)^2 - y^2)', domain: box(2.5) }, domain: box(2.5),
      kernel: { kind: 'gaussian', covariance: [0.05, 0.02, 0.08] }, err: () => arithmetic(),
    },
    {
      // lr_eff^2 / B = 0.5^2 / 2
      label: 'logistic-2d (finite sum), minibatch kernel', spec: { name: 'logistic-2d', params: { samples: 64 }, seed: 7 }, domain: box(3),
      kernel: { kind: 'gradient-covariance', scale: 0.125 }, err: (s) => arithmetic(s.finiteSum!.sampleCount),
    },
    {
      // every per-sample gradient is parallel to (y, x): Sigma has rank one, the hardest square root
      label: 'deep-linear (finite sum, rank-one Sigma), minibatch kernel', spec: { name: 'deep-linear', params: { samples: 32 }, seed: 7 }, domain: box(2),
      kernel: { kind: 'gradient-covariance', scale: 0.01 }, err: (s) => arithmetic(s.finiteSum!.sampleCount),
    },
  ];
  it.each(cases)('$label: raw and smoothed within float32 rounding, same minima', async ({ spec, domain, kernel, err }) => {
    const grid = 32;
    const s = surfaceOf(spec);
    const g = await gpu(spec, domain, grid, kernel);
    const c = smoothedLoss(s, domain, grid, kernel, { order: ORDER });
    const tol = roundingBound(s, domain, grid, kernel, err(s));
    const raw = worstRatio(g.result.raw, c.raw, tol.raw);
    const sm = worstRatio(g.result.smoothed, c.smoothed, tol.smoothed);
    const meanShift = c.smoothed.reduce((a, v, k) => a + Math.abs(v - c.raw[k]), 0) / c.raw.length;
    const meanTol = tol.smoothed.reduce((a, v) => a + v, 0) / tol.smoothed.length;
    const worstAbs = g.result.smoothed.reduce((a, v, k) => Math.max(a, Math.abs(v - c.smoothed[k])), 0);
    console.log(`[smoothing] ${'name' in spec ? spec.name : 'formula'} ${grid}^2 cells x ${ORDER}^2 nodes: ${g.ms.toFixed(0)} ms; worst |gpu - cpu| ${worstAbs.toExponential(2)}, mean smoothing shift ${meanShift.toExponential(2)}, mean bound ${meanTol.toExponential(2)}; worst error / bound raw ${raw.worst.toFixed(3)}, smoothed ${sm.worst.toFixed(3)}`);
    expect(raw.worst, `raw at cell ${raw.at}: gpu ${g.result.raw[raw.at]}, cpu ${c.raw[raw.at]}, bound ${tol.raw[raw.at]}`).toBeLessThanOrEqual(1);
    expect(sm.worst, `smoothed at cell ${sm.at}: gpu ${g.result.smoothed[sm.at]}, cpu ${c.smoothed[sm.at]}, bound ${tol.smoothed[sm.at]}`).toBeLessThanOrEqual(1);
    // the bound is far below the smoothing itself: the comparison can tell a wrong kernel
    expect(meanTol).toBeLessThan(0.1 * meanShift);
    // the same raw minima (grid cells), and the same verdicts where the float32 grid has no near-tie
    const key = (m: { at: Vec2 }) => m.at.map((v) => v.toFixed(6)).join(',');
    expect(g.result.minima.map(key)).toEqual(c.minima.map(key));
    expect(g.result.minima.map((m) => m.survives)).toEqual(c.minima.map((m) => m.survives));
  });

  it('sliced into submits of a few rows: the same bits, progress after each slice', async () => {
    const spec: SurfaceSpec = { name: 'logistic-2d', params: { samples: 16 }, seed: 7 };
    const kernel: SmoothingKernel = { kind: 'gradient-covariance', scale: 0.1 };
    const whole = await gpu(spec, box(3), 12, kernel);
    // (4^2 + 1) * 16 + 2 * 16 = 304 evaluations per cell: 3 rows of 12 cells per submit
    const sliced = await gpu(spec, box(3), 12, kernel, 4, 3 * 12 * 304);
    const once = await gpu(spec, box(3), 12, kernel, 4);
    expect(once.progress).toEqual([1]);
    expect(sliced.progress).toEqual([0.25, 0.5, 0.75, 1]);
    expect(Array.from(sliced.result.smoothed)).toEqual(Array.from(once.result.smoothed));
    expect(Array.from(sliced.result.raw)).toEqual(Array.from(whole.result.raw));
  });

  it('the none kernel returns the raw loss unchanged; bad requests are refused with their reason', async () => {
    const spec: SurfaceSpec = { name: 'himmelblau', params: {}, seed: 7 };
    const g = await gpu(spec, box(5), 8, { kind: 'none' });
    expect(Array.from(g.result.smoothed)).toEqual(Array.from(g.result.raw));
    const err = (domain: Domain, grid: number, kernel: SmoothingKernel) => lab.call<string>('analysis-smoothing', 'smoothGpuError', spec, domain, grid, kernel);
    expect(await err(box(5), 8, { kind: 'gradient-covariance', scale: 0.01 })).toMatch(/needs a finite-sum surface; 'himmelblau'/);
    expect(await err(box(5), 2, { kind: 'none' })).toMatch(/grid 2 must be a whole number >= 3/);
    expect(await err(box(5), 8, { kind: 'gaussian', covariance: [0.1, 0.5, 0.1] })).toMatch(/positive semi-definite/);
    expect(await err({ x: [1, 1], y: [0, 1] }, 8, { kind: 'none' })).toMatch(/domain x \[1, 1\]/);
  });
});

describe('smoothed loss on the GPU against the laws', () => {
  it.each([
    { label: 'typed formula x^T A x / 2', spec: { formula: quadraticFormula, domain: box(2) } as SurfaceSpec, a: [3, 0.4, 0.5], err: arithmetic(), covs: [[0.04, 0.01, 0.02], [0.5, -0.2, 0.3]] },
    {
      // WGSL's cos/sin of the angle allow an error (see rotatedQuadraticError) that only wide kernels shift clear of
      label: 'catalogue quadratic (rotated)', spec: { name: 'quadratic', params: { a: 3, b: 0.5, angle: 0.7 }, seed: 7 } as SurfaceSpec, a: null,
      err: { relative: 64 * U, absolute: rotatedQuadraticError }, covs: [[0.5, -0.2, 0.3], [1, 0.4, 0.6]],
    },
  ])('$label: f~ = f + tr(A C) / 2 exactly, for two covariances', async ({ spec, a, err, covs }) => {
    const s = surfaceOf(spec);
    const [axx, axy, ayy] = a ?? s.hessian(0, 0);
    const grid = 16, domain = box(2);
    const dx = 4 / grid;
    for (const cov of covs as [number, number, number][]) {
      const g = await gpu(spec, domain, grid, { kind: 'gaussian', covariance: cov });
      const shift = 0.5 * (axx * cov[0] + 2 * axy * cov[1] + ayy * cov[2]);
      const law = Float64Array.from({ length: grid * grid }, (_, k) => {
        const x = -2 + ((k % grid) + 0.5) * dx, y = -2 + (Math.floor(k / grid) + 0.5) * dx;
        return 0.5 * (axx * x * x + 2 * axy * x * y + ayy * y * y) + shift;
      });
      const tol = roundingBound(s, domain, grid, { kind: 'gaussian', covariance: cov }, err);
      const r = worstRatio(g.result.smoothed, law, tol.smoothed);
      console.log(`[smoothing] quadratic law, C = (${cov}): shift ${shift.toFixed(4)}; worst error / bound ${r.worst.toFixed(3)}`);
      expect(r.worst, `cell ${r.at}: gpu ${g.result.smoothed[r.at]}, law ${law[r.at]}`).toBeLessThanOrEqual(1);
      expect(Math.max(...tol.smoothed)).toBeLessThan(0.1 * shift);
    }
  });

  // Rastrigin smoothed by N(0, sigma^2 I) in closed form: E[(x + u)^2] = x^2 + sigma^2,
  // E[cos 2 pi (x + u)] = exp(-2 pi^2 sigma^2) cos 2 pi x; so per axis g(t) = t^2 - A' cos 2 pi t
  // with A' = A exp(-2 pi^2 sigma^2), and a minimum near (k, l) survives iff g keeps its minima near k and near l.
  const A = 10;
  const rastrigin: SurfaceSpec = { name: 'rastrigin', params: { A }, seed: 7 };
  const closedForm = (x: number, y: number, s2: number) =>
    2 * A + x * x + y * y + 2 * s2 - A * Math.exp(-2 * Math.PI ** 2 * s2) * (Math.cos(2 * Math.PI * x) + Math.cos(2 * Math.PI * y));
  /** the integers near which g(t) has a local minimum, t in the domain */
  function survivingInts(s2: number, [lo, hi]: Vec2): Set<number> {
    const a = A * Math.exp(-2 * Math.PI ** 2 * s2);
    const g = (t: number) => t * t - a * Math.cos(2 * Math.PI * t);
    const out = new Set<number>();
    const h = 1e-4;
    for (let t = lo + h; t < hi - h; t += h) if (g(t) < g(t - h) && g(t) <= g(t + h)) out.add(Math.round(t));
    return out;
  }
  const hotS2 = hotKernel.kind === 'gaussian' ? hotKernel.covariance[0] : NaN;
  it.each([
    { label: 'the preset\'s hot panel (sigma^2 = lr^2 s^2 / B per step)', s2: hotS2 },
    { label: 'sigma^2 = 0.135 (law: the 5 x 5 inner minima stay)', s2: 0.135 },
    { label: 'sigma^2 = 0.36 (the hot panel with gradientStd 300)', s2: 0.36 },
  ])('rastrigin, $label: the closed form, and exactly the minima it keeps survive', async ({ s2 }) => {
    expect(hotKernel).toEqual({ kind: 'gaussian', covariance: [hotS2, 0, hotS2] });
    const domain = preset.scenario.domain, grid = 64;
    const kernel: SmoothingKernel = { kind: 'gaussian', covariance: [s2, 0, s2] };
    // Gauss–Hermite's truncation error for the ripples, 2 A |sum_i w_i cos(2 pi sigma z_i) - exp(-2 pi^2 sigma^2)|
    // (float64): the fewest points (from 10) that bring it under 1e-6; the default 10 leaves 0.33 at
    // sigma^2 = 0.36, aliased ripples with spurious smoothed minima at (+-0.4, +-0.4)
    const truncationOf = (n: number) => {
      const { nodes, weights } = gaussHermite(n);
      return 2 * A * Math.abs(nodes.reduce((a, z, i) => a + weights[i] * Math.cos(2 * Math.PI * Math.sqrt(s2) * z), 0) - Math.exp(-2 * Math.PI ** 2 * s2));
    };
    let order = ORDER;
    while (truncationOf(order) > 1e-6) order++;
    const truncation = truncationOf(order);
    const g = await gpu(rastrigin, domain, grid, kernel, order);
    const s = surfaceOf(rastrigin);
    const tol = roundingBound(s, domain, grid, kernel, { relative: 64 * U, absolute: () => 2 * A * 2 ** -11 }, truncation, order);
    const dx = (domain.x[1] - domain.x[0]) / grid;
    const law = Float64Array.from({ length: grid * grid }, (_, k) => closedForm(domain.x[0] + ((k % grid) + 0.5) * dx, domain.y[0] + (Math.floor(k / grid) + 0.5) * dx, s2));
    const r = worstRatio(g.result.smoothed, law, tol.smoothed);
    const keep = survivingInts(s2, domain.x);
    const survivors = g.result.minima.filter((m) => m.survives);
    console.log(`[smoothing] rastrigin sigma^2 = ${s2}, ${grid}^2 cells x ${order}^2 nodes, ${g.ms.toFixed(0)} ms: ripple amplitude x ${Math.exp(-2 * Math.PI ** 2 * s2).toFixed(4)}; worst error / bound ${r.worst.toFixed(3)} (truncation ${truncation.toExponential(1)}); ${g.result.minima.length} raw minima, ${survivors.length} survive; law keeps t near ${[...keep].sort((p, q) => p - q)}`);
    expect(r.worst, `cell ${r.at}: gpu ${g.result.smoothed[r.at]}, law ${law[r.at]}`).toBeLessThanOrEqual(1);
    // the raw minima: the 9 x 9 integer points inside the grid's interior (|k| <= 4)
    expect(g.result.minima.length).toBe(81);
    for (const m of g.result.minima) {
      const [k, l] = m.at.map(Math.round);
      expect(m.survives, `minimum near (${k}, ${l})`).toBe(keep.has(k) && keep.has(l));
    }
    expect(survivors.some((m) => m.at.every((v) => Math.abs(v) < dx)), 'the global minimum survives').toBe(true);
  });
});
