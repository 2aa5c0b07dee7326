// The sharpness kernel (shaders/network_hvp.wgsl, NetworkSharpness) on the real
// GPU path against its float64 CPU reference (src/model/network/hvp.ts,
// src/sim/network/sharpness-reference.ts) and against the exact Hessian of
// networks with 51 parameters (built column by column, solved by Jacobi).
// Tolerances come from float32 rounding, derived in src/sim/network/sharpness-bounds.ts
// from hessianVector's running error bound.
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { createNetworkModel } from '../../src/model/network/model';
import { networkSpecSchema } from '../../src/model/network/spec';
import { symmetricEigenvalues } from '../../src/model/network/symmetric-eigen';
import { initialNetworkState, stepNetwork } from '../../src/sim/network/reference';
import { exactHessian, lossProblem } from '../../src/sim/network/sharpness-reference';
import { hutchinsonBound, rayleighBound } from '../../src/sim/network/sharpness-bounds';
import type { SharpnessRun, SharpnessRunResult } from './harness/network-sharpness';

const lab = useLabPage();

const SEED = 13, PANEL = 1;
const SETTINGS = { iterations: 20, probes: 16 };
const spec = { dataset: { kind: 'two-moons', samples: 128, noise: 0.15, labelNoise: 0.1, testFraction: 0.25 }, hidden: [6, 4], activation: 'tanh', weightDecay: 0.01 };
const model = createNetworkModel(networkSpecSchema.parse(spec), SEED);
const problem = lossProblem(model);
const D = model.layout.params;

/** Networks 0-3: twice their fan-in start (far from a minimum, some with a negative dominant eigenvalue); 4-6: 300 full-batch steps; 7: marked diverged. */
function cloud(): Float32Array {
  const init = initialNetworkState(model, { kind: 'fan-in' }, SEED, 8);
  const cfg = { optimizer: 0, lr: 0.5, momentum: 0.9, beta1: 0, beta2: 0, eps: 0, estimator: 'full', batch: 1, noiseScale: 0, weightDecay: 0.01 } as const;
  for (let p = 4; p < 7; p++) stepNetwork(init, model, cfg, SEED, 0, p, 0, 300);
  for (let d = 0; d < 4 * D; d++) init.params[d] *= 2;
  return Float32Array.from(init.params);
}

const norm = (a: ArrayLike<number>) => Math.hypot(...Array.from(a));
const hessians = new Map<number, Float64Array>();
/** network p's exact Hessian (D x D), built once */
const hessianOf = (w: Float32Array, p: number) => hessians.get(p) ?? hessians.set(p, exactHessian(problem, w, 0)).get(p)!;

describe('sharpness on the GPU', () => {
  const params = cloud();
  const status = [0, 0, 0, 0, 0, 0, 0, 5];
  const count = status.length;
  let gpu: SharpnessRunResult;

  it('runs, writes every row, does not depend on the dispatch split, and gives NaN for a diverged network', async () => {
    const run: SharpnessRun = { spec, seed: SEED, panel: PANEL, params: Array.from(params), status, settings: SETTINGS };
    gpu = await lab.call<SharpnessRunResult>('network-sharpness', 'sharpnessOnGpu', run);
    console.log(`NetworkSharpness, ${count} networks of D = ${D}, ${model.dataset.nTrain} samples, P = ${SETTINGS.iterations}, M = ${SETTINGS.probes}: build ${gpu.createMs.toFixed(0)} ms, one estimate ${gpu.runMs.toFixed(0)} ms (SwiftShader or whatever this adapter is)`);
    expect(gpu.dispatches).toBe(2 * SETTINGS.iterations + SETTINGS.probes);
    expect(Buffer.from(gpu.perParticleSplit.buffer).equals(Buffer.from(gpu.perParticle.buffer))).toBe(true);
    for (let p = 0; p < count - 1; p++) for (let c = 0; c < 4; c++) expect(Number.isFinite(gpu.perParticle[4 * p + c]), `network ${p} column ${c}`).toBe(true);
    for (let c = 0; c < 4; c++) expect(gpu.perParticle[4 * (count - 1) + c]).toBeNaN();
  });

  it('lambda_max and the residual equal the float64 Rayleigh quotient of the GPU vector within float32 rounding; lambda_max is the exact top eigenvalue', () => {
    const lines: string[] = [];
    let shifted = 0;
    for (let p = 0; p < count - 1; p++) {
      const w = params.subarray(p * D, (p + 1) * D);
      const v = gpu.vectors.subarray(p * D, (p + 1) * D);
      const [lambda, , , residual] = gpu.perParticle.subarray(4 * p, 4 * p + 4);
      const shift = gpu.state[8 * p + 1];
      if (shift < 0) shifted++;
      const { rho, residual: r64, lambdaTol, residualTol } = rayleighBound(problem, w, 0, v, shift);
      expect(Math.abs(lambda - rho), `network ${p}: lambda ${lambda} vs ${rho}`).toBeLessThanOrEqual(lambdaTol);
      expect(Math.abs(residual - r64), `network ${p}: residual`).toBeLessThanOrEqual(residualTol);
      const r = r64 / norm(v);
      // the science check: the exact Hessian's spectrum
      const eig = symmetricEigenvalues(hessianOf(w, p), D);
      const l1 = eig[D - 1], l2 = eig[D - 2];
      const rounding = 1e-12 * Math.max(-eig[0], l1);
      expect(rho, `network ${p}: a Rayleigh quotient is at most lambda_1`).toBeLessThanOrEqual(l1 + rounding);
      expect(rho, `network ${p}: past lambda_2`).toBeGreaterThan(l2);
      // Kato-Temple: lambda_1 - rho <= r^2 / (rho - lambda_2) for a unit vector with residual r
      expect(l1 - rho, `network ${p}`).toBeLessThanOrEqual(r ** 2 / (rho - l2) + rounding);
      lines.push(`${p}: lambda_max ${lambda.toPrecision(5)} exact ${l1.toPrecision(5)} (rel. ${((l1 - lambda) / l1).toExponential(1)}; GPU-CPU ${Math.abs(lambda - rho).toExponential(1)} <= ${lambdaTol.toExponential(1)}), lambda_min ${eig[0].toPrecision(3)}${shift < 0 ? `, shifted by ${shift.toPrecision(3)}` : ''}`);
    }
    console.log(`power iteration on the GPU, ${SETTINGS.iterations} steps per phase:\n  ${lines.join('\n  ')}`);
    // twice the fan-in start, networks 0-3 of this seed include a negative dominant eigenvalue
    expect(shifted).toBeGreaterThanOrEqual(1);
  });

  it("Hutchinson's trace and its standard error equal the CPU reference's with the same probes; the trace is the exact one within 4.5 standard errors", () => {
    const M = SETTINGS.probes;
    const lines: string[] = [];
    for (let p = 0; p < count - 1; p++) {
      const w = params.subarray(p * D, (p + 1) * D);
      const [, trace, se] = gpu.perParticle.subarray(4 * p, 4 * p + 4);
      const ref = hutchinsonBound(problem, w, 0, SEED, PANEL, p, M);
      expect(Math.abs(trace - ref.trace), `network ${p}: trace`).toBeLessThanOrEqual(ref.traceTol);
      expect(Math.abs(se - ref.traceSE), `network ${p}: standard error`).toBeLessThanOrEqual(ref.seTol);
      // exact trace; with 16 probes the standardised error is Student-t with 15 degrees of freedom: |t| > 4.5 has probability 4e-4
      const H = hessianOf(w, p);
      let exact = 0;
      for (let d = 0; d < D; d++) exact += H[d * D + d];
      expect(Math.abs(trace - exact), `network ${p}: exact trace ${exact}`).toBeLessThanOrEqual(4.5 * se);
      lines.push(`${p}: ${trace.toPrecision(4)} ± ${se.toPrecision(2)}, exact ${exact.toPrecision(4)}, GPU-CPU ${Math.abs(trace - ref.trace).toExponential(1)} <= ${ref.traceTol.toExponential(1)}`);
    }
    console.log(`Hutchinson on the GPU, ${M} probes:\n  ${lines.join('\n  ')}`);
  });
});

describe('sharpness in the records (NetworkSimulation)', () => {
  it('is estimated at every `every`-th record and the last step, not in between; the quantiles are over the per-network estimates', async () => {
    const doc = {
      seed: SEED, steps: 5, record: { every: 1 }, sharpness: { every: 2, iterations: 4, probes: 2 },
      surface: { network: spec }, particles: { count: 6, init: { kind: 'fan-in' } },
      panels: [{ optimizer: { kind: 'sgd', lr: 0.3 }, noise: { kind: 'minibatch', batchSize: 8 } }],
    };
    const r = await lab.call<{ records: { step: number; sharpness: { mean: number; q10: number; q50: number; q90: number } | null; hessianTrace: unknown }[][]; last: (Float32Array | null)[]; status: Uint32Array[] }>('network-sharpness', 'sharpnessRecords', doc);
    // records 0..5 (steps 0..5): sharpness at records 0, 2, 4 (every 2nd) and at the last step, 5
    expect(r.records.map((rs) => rs[0].step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.records.map((rs) => rs[0].sharpness !== null)).toEqual([true, false, true, false, true, true]);
    expect(r.records.map((rs) => rs[0].hessianTrace !== null)).toEqual([true, false, true, false, true, true]);
    // the last record's statistics are those of the per-network estimates read back
    const lambdas = Array.from({ length: 6 }, (_, i) => r.last[0]![4 * i]).filter((_, i) => r.status[0][i] === 0).sort((a, b) => a - b);
    const final = r.records[5][0].sharpness!;
    expect(final.mean).toBeCloseTo(lambdas.reduce((a, b) => a + b, 0) / lambdas.length, 12);
    expect(final.q10).toBeGreaterThanOrEqual(lambdas[0]);
    expect(final.q90).toBeLessThanOrEqual(lambdas[lambdas.length - 1]);
  });
});
