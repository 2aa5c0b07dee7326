// The critical-point search on the GPU (shaders/network_critical.wgsl,
// NetworkCriticalSearch) against its float64 CPU reference
// (src/sim/network/critical-points.ts), on the unit test's problem: 2 → 4 → 1
// tanh on XOR (128 samples, 10 % of the labels flipped, weight decay 0.001),
// starts along full-batch gradient descent from 6 initialisations.
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { createNetworkModel } from '../../src/model/network/model';
import { networkSpecSchema } from '../../src/model/network/spec';
import { lossProblem } from '../../src/sim/network/sharpness-reference';
import { criticalStarts, findNetworkCriticalPoints, polishCriticalPoints, POLISH_ITERATIONS, solveCriticalPoint } from '../../src/sim/network/critical-points';
import { fullGradient } from '../../src/sim/network/stationary-covariance';
import { lossGradient } from '../../src/model/network/mlp';
import { symmetricEigenvalues } from '../../src/model/network/symmetric-eigen';
import { exactHessian } from '../../src/sim/network/sharpness-reference';
import { F32_UNIT_ROUNDOFF } from '../../src/model/network/hvp';
import { expectIndexRisingWithLoss } from '../support/dauphin';
import { DEFAULT_CRITICAL_SEARCH, CRITICAL_STATUS } from '../../src/sim/network/critical-search';

const lab = useLabPage();

const SEED = 3;
const spec = { dataset: { kind: 'xor', samples: 128, noise: 0.1, labelNoise: 0.1, testFraction: 0 }, hidden: [4], activation: 'tanh', weightDecay: 0.001 };
const model = createNetworkModel(networkSpecSchema.parse(spec), SEED);
const problem = lossProblem(model);
const D = model.layout.params;
const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));

interface GpuSearch { points: Float32Array; gradientNorm: Float32Array; loss: Float32Array; iterations: Uint32Array; status: Uint32Array; createMs: number; runMs: number }

describe('critical points on the GPU (Dauphin et al.)', () => {
  const starts = criticalStarts(problem, model.layout, [1, 2, 3, 4, 5, 6], [0, 10, 30, 100, 300, 1000]);
  // the GPU sees the starts rounded to float32; the CPU runs from the same rounded values
  const flat = starts.flatMap((s) => Array.from(Float32Array.from(s.params)));
  let gpu: GpuSearch;

  it('the start pass: loss and gradient at every start equal the float64 ones within float32 summation bounds', async () => {
    const r0 = await lab.call<GpuSearch>('network-critical', 'criticalOnGpu', { spec, seed: SEED, starts: flat, count: starts.length, iterations: 0 });
    const g = new Float64Array(D), gs = new Float64Array(D), one = new Uint32Array(1);
    for (let i = 0; i < starts.length; i++) {
      const x = flat.slice(i * D, (i + 1) * D);
      const loss = fullGradient(problem, x, g);
      // forward error of a sum of n terms: |error| <= gamma_n * sum |term| (Higham, Accuracy and Stability,
      // 2nd ed., eq. 4.4), with gamma_k = k u / (1 - k u); each term (one sample's gradient through a
      // 2 -> 4 -> 1 network) carries its own ~20 roundings: k = n + 40 covers both
      let absGrad = 0, absLoss = 0;
      for (let s = 0; s < problem.n; s++) {
        one[0] = s;
        absLoss += lossGradient(model.layout, model.activation, x, 0, problem.inputs, problem.labels, one, gs) / problem.n;
        absGrad += norm(gs) / problem.n;
      }
      const k = problem.n + 40, gamma = (k * F32_UNIT_ROUNDOFF) / (1 - k * F32_UNIT_ROUNDOFF);
      expect(Math.abs(r0.loss[i] - loss), `start ${i} loss`).toBeLessThanOrEqual(gamma * (absLoss + 1));
      expect(Math.abs(r0.gradientNorm[i] - norm(g)), `start ${i} |grad|`).toBeLessThanOrEqual(gamma * (absGrad + norm(x)));
      expect(r0.status[i]).toBe(0);
    }
  });

  it("from every start: converged points are critical points to float32 precision, polished in float64 within Newton's distance; minima and saddles, index rising with the loss", async () => {
    gpu = await lab.call<GpuSearch>('network-critical', 'criticalOnGpu', { spec, seed: SEED, starts: flat, count: starts.length });
    const counts = CRITICAL_STATUS.map((name, k) => `${name} ${gpu.status.filter((s) => s === k).length}`).join(', ');
    console.log(`[critical] GPU search, ${starts.length} starts of D = ${D}: ${counts}; iterations ${Math.min(...gpu.iterations)}-${Math.max(...gpu.iterations)}; build ${gpu.createMs.toFixed(0)} ms, search ${gpu.runMs.toFixed(0)} ms`);
    const g = new Float64Array(D);
    let converged = 0;
    for (let i = 0; i < starts.length; i++) {
      if (gpu.status[i] !== 1) continue;
      converged++;
      const x = gpu.points.slice(i * D, (i + 1) * D);
      fullGradient(problem, x, g);
      // the kernel stopped below the tolerance in its float32 gradient; the float64 gradient at the
      // same point differs by at most the summation bound of the test above (< 1e-5 here)
      expect(norm(g), `start ${i}`).toBeLessThan(DEFAULT_CRITICAL_SEARCH.tolerance + 1e-5);
    }
    expect(converged).toBeGreaterThanOrEqual(starts.length / 2);
    const polished = polishCriticalPoints(problem, starts, gpu);
    // each converged GPU point is within Newton's distance of the float64 critical point the polish
    // reaches: |x - x*| ~ |H(x*)^-1 g(x)| <= |g(x)| / min |eig H(x*)|; the factor 2 covers the change
    // of H between x and x* (second order in |x - x*|, ~1e-3 here)
    let worst = 0;
    for (let k = 0; k < starts.length; k++) {
      if (gpu.status[k] !== 1) continue;
      const x = Float64Array.from(gpu.points.slice(k * D, (k + 1) * D));
      const p = solveCriticalPoint(problem, x, { maxIterations: POLISH_ITERATIONS, mu: 1e-12 });
      expect(p, `start ${k}: the polish reaches |grad| < 1e-9`).not.toBeNull();
      const moved = norm(p!.params.map((v, d) => v - x[d]));
      fullGradient(problem, x, g);
      // (exactly flat directions, e.g. of a unit switched off by weight decay, are left out: to first
      // order g has no component along them; a point with such directions converges linearly)
      const eig = Array.from(symmetricEigenvalues(exactHessian(problem, p!.params, 0), D), Math.abs);
      const minAbs = Math.min(...eig.filter((e) => e > 1e-12 * Math.max(...eig)));
      const newton = norm(g) / minAbs;
      worst = Math.max(worst, moved / newton);
      expect(moved, `start ${k}: moved ${moved.toExponential(2)}, Newton distance ${newton.toExponential(2)}`).toBeLessThanOrEqual(2 * newton);
    }
    console.log(`[critical] polish: moved at most ${worst.toFixed(2)} x Newton's distance |g| / min |eig H|`);
    const r = polished;
    const minima = r.points.filter((p) => p.index === 0), saddles = r.points.filter((p) => p.index > 0);
    console.log(`[critical] polished: ${r.converged} of ${r.starts} starts at critical points, ${r.points.length} distinct (${minima.length} minima, ${saddles.length} saddles, index up to ${Math.max(...r.points.map((p) => p.index)).toFixed(3)}), Spearman rho(index, loss) = ${r.rankCorrelation.toFixed(2)}; polish moved ${Math.max(...r.moved).toExponential(1)} at most`);
    expectIndexRisingWithLoss(r);
    // the CPU search finds the same critical values (losses to 1e-9 relative) from the same starts
    const cpuSearch = findNetworkCriticalPoints(problem, model.layout, { seeds: [1, 2, 3, 4, 5, 6], checkpoints: [0, 10, 30, 100, 300, 1000] });
    const missing = cpuSearch.points.filter((c) => !r.points.some((q) => Math.abs(q.loss - c.loss) <= 1e-9 * c.loss));
    console.log(`[critical] CPU search: ${cpuSearch.points.length} distinct points; ${missing.length} of them not found by the GPU search`);
    expect(missing.map((c) => c.loss)).toEqual([]);
    // the CPU reference of the kernel (the same LM with exact Hessians, float64) from the same starts
    let same = 0, both = 0;
    for (let k = 0; k < starts.length; k++) {
      if (gpu.status[k] !== 1) continue;
      const cpu = solveCriticalPoint(problem, flat.slice(k * D, (k + 1) * D), { hessian: 'exact' });
      if (!cpu) continue;
      both++;
      if (norm(cpu.params.map((v, d) => v - gpu.points[k * D + d])) < 1e-3) same++;
    }
    console.log(`[critical] GPU and float64 CPU reference from the same start end at the same point (< 1e-3 apart) for ${same} of ${both} starts where both converge`);
  });
});
