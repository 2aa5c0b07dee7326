// The network step kernel (shaders/network_step.wgsl, NetworkSystem) against its
// CPU reference (src/sim/network/reference.ts), its determinism across
// chunkings, its random streams, divergence, and the accuracy check.
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { networkSpecSchema } from '../../src/model/network/spec';
import { createNetworkModel, type NetworkModel } from '../../src/model/network/model';
import { evaluateNetwork } from '../../src/model/network/mlp';
import { initialNetworkState, stepNetwork, type NetworkState } from '../../src/sim/network/reference';
import type { NetworkStepConfig } from '../../src/sim/network/step-config';
import type { NetworkRun, NetworkRunResult } from './harness/network-train';

const lab = useLabPage();

const run = (r: NetworkRun) => lab.call<NetworkRunResult>('network-train', 'runNetworks', r);

const SGD = { optimizer: 0, lr: 0.2, momentum: 0, beta1: 0, beta2: 0, eps: 0, estimator: 'minibatch', batch: 16, noiseScale: 0, weightDecay: 0 } satisfies NetworkStepConfig;
const ADAM = { ...SGD, optimizer: 2, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 } satisfies NetworkStepConfig;

function moons(samples: number, hidden: number[], activation: 'tanh' | 'relu', weightDecay = 0, testFraction = 0.25) {
  return { dataset: { kind: 'two-moons', samples, noise: 0.1, testFraction }, hidden, activation, weightDecay };
}

const model = (spec: unknown, seed: number): NetworkModel => createNetworkModel(networkSpecSchema.parse(spec), seed);

const same = (a: ArrayLike<number> & { buffer: ArrayBufferLike }, b: ArrayLike<number> & { buffer: ArrayBufferLike }) =>
  Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

// ---- GPU vs CPU tolerance ----
//
// Each float32 step commits rounding errors of a few ulp of every parameter
// (2^-24 |x| per operation: we allow ROUNDING = 8 ulp per step for the
// gradient sum, the optimizer arithmetic and the stored result), measured as the
// Euclidean norm over the network's D parameters: delta_p = ROUNDING 2^-24 max(1, |x_p|).
// Additive noise adds the float32 Box–Muller error (WGSL bounds sin/cos to 2^-11
// absolute, r <= 5.8): lr * noiseScale * 2^-11 * 5.8 per parameter, sqrt(D) in norm.
// Training then amplifies an error made early: we measure each network's
// amplification A_p with a twin CPU run whose initial parameters are moved by a
// tiny random offset (linear response, A_p = |x'_p - x_p| / |offset|), and bound
// the GPU error by tol_p = SAFETY * steps * delta_p * max(1, A_p) (an error made at a
// later step grows for fewer steps). Both CPU runs start from the GPU's own
// initial parameters (read back after init), so the float32 initialisation's
// transcendental error does not enter; init is checked on its own.
const ULP = 2 ** -24;
const ROUNDING = 8;
const SAFETY = 4;
const OFFSET = 1e-7;
const NORMAL_ERROR = 2 ** -11 * 5.8;

function stateFrom(params: Float32Array, count: number): NetworkState {
  return { params: Float64Array.from(params), moment1: new Float64Array(params.length), moment2: new Float64Array(params.length), status: new Uint32Array(count) };
}

/** Deterministic pseudo-random signs/magnitudes in [-1, 1) (a 32-bit LCG): the twin run's offset direction. */
function offsets(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

const norm = (v: ArrayLike<number>, from: number, to: number, w?: ArrayLike<number>) => {
  let s = 0;
  for (let d = from; d < to; d++) { const e = v[d] - (w ? w[d] : 0); s += e * e; }
  return Math.sqrt(s);
};

interface Comparison {
  statusMismatches: number;
  /** networks whose error exceeds their tolerance */
  failures: number;
  worstRatio: number;
  /** median over networks of error / tolerance */
  medianRatio: number;
  /** median over networks of |gpu - cpu| / max(1, |x_p|) */
  medianRelative: number;
  maxAmplification: number;
  diverged: number;
}

function compareWithReference(gpu: NetworkRunResult, m: NetworkModel, step: NetworkStepConfig, seed: number, stream: number, steps: number): Comparison {
  const count = gpu.status.length, D = m.layout.params;
  const ref = stateFrom(gpu.initial, count);
  const twin = stateFrom(gpu.initial, count);
  const off = offsets(count * D, 12345);
  for (let p = 0; p < count; p++) {
    const scale = (OFFSET * Math.max(1, norm(twin.params, p * D, (p + 1) * D))) / norm(off, p * D, (p + 1) * D);
    for (let d = p * D; d < (p + 1) * D; d++) twin.params[d] += scale * off[d];
  }
  const offsetNorm = (p: number) => norm(twin.params, p * D, (p + 1) * D, gpu.initial);
  const offNorms = Array.from({ length: count }, (_, p) => offsetNorm(p));
  for (let p = 0; p < count; p++) {
    stepNetwork(ref, m, step, seed, stream, p, 0, steps);
    stepNetwork(twin, m, step, seed, stream, p, 0, steps);
  }
  let statusMismatches = 0, failures = 0, worstRatio = 0, maxAmplification = 0, diverged = 0;
  const ratios: number[] = [], relative: number[] = [];
  for (let p = 0; p < count; p++) {
    if (gpu.status[p] !== ref.status[p]) { statusMismatches++; continue; }
    if (ref.status[p] !== 0) diverged++;
    const size = Math.max(1, norm(ref.params, p * D, (p + 1) * D));
    const amp = norm(twin.params, p * D, (p + 1) * D, ref.params.subarray(0)) / offNorms[p];
    const ampOf = Number.isFinite(amp) ? amp : 1;
    maxAmplification = Math.max(maxAmplification, ampOf);
    const delta = ROUNDING * ULP * size + NORMAL_ERROR * step.lr * step.noiseScale * Math.sqrt(D);
    const tol = SAFETY * steps * delta * Math.max(1, ampOf);
    let sq = 0;
    for (let d = p * D; d < (p + 1) * D; d++) sq += (gpu.params[d] - ref.params[d]) ** 2;
    const err = Math.sqrt(sq);
    ratios.push(err / tol);
    relative.push(err / size);
    worstRatio = Math.max(worstRatio, err / tol);
    if (!(err <= tol)) failures++;
  }
  const median = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1] ?? 0;
  return { statusMismatches, failures, worstRatio, medianRatio: median(ratios), medianRelative: median(relative), maxAmplification, diverged };
}

interface Case {
  name: string;
  spec: ReturnType<typeof moons>;
  step: NetworkStepConfig;
  count: number;
}

// Every optimizer, activation and depth, and every activation with every depth, in six
// runs (each architecture and step kind compiles its own pipelines: seconds on SwiftShader;
// the tests below reuse these configurations where they can, so their pipelines are cached).
const CASES: Case[] = [
  { name: 'sgd, tanh, [8], minibatch B 16', spec: moons(128, [8], 'tanh'), step: SGD, count: 32 },
  { name: 'momentum 0.9, relu, [6, 5], minibatch B 8, weight decay', spec: moons(64, [6, 5], 'relu', 0.01), step: { ...SGD, lr: 0.05, momentum: 0.9, batch: 8, weightDecay: 0.01 }, count: 16 },
  { name: 'nesterov 0.9, tanh, [4, 6, 5], full batch + langevin noise', spec: moons(64, [4, 6, 5], 'tanh'), step: { ...SGD, optimizer: 1, lr: 0.1, momentum: 0.9, estimator: 'full', batch: 1, noiseScale: Math.sqrt((2 * 1e-3) / 0.1) }, count: 16 },
  { name: 'adam, relu, [8], full batch + gaussian noise', spec: moons(128, [8], 'relu'), step: { ...ADAM, estimator: 'full', batch: 1, noiseScale: 0.1 / Math.sqrt(8) }, count: 16 },
  { name: 'sgd, relu, [5, 4, 6], minibatch B 32', spec: moons(256, [5, 4, 6], 'relu'), step: { ...SGD, lr: 0.1, batch: 32 }, count: 16 },
  { name: 'adam, tanh, [7, 8], minibatch B 20, weight decay', spec: moons(128, [7, 8], 'tanh', 1e-3), step: { ...ADAM, batch: 20, weightDecay: 1e-3 }, count: 16 },
];
const [SGD_TANH_8, , , , SGD_RELU_546, ADAM_TANH_78] = CASES;
/** minibatch + additive noise (both random streams), heavy ball, weight decay: [7, 8] tanh as ADAM_TANH_78 */
const NOISY_SGD = { ...SGD, lr: 0.1, momentum: 0.9, batch: 20, noiseScale: 0.05, weightDecay: 1e-3 } satisfies NetworkStepConfig;

describe('network training kernel', () => {
  it.each(CASES)('GPU matches the CPU reference after 100 steps: $name', async (c) => {
    const seed = 11, stream = 2;
    const gpu = await run({ spec: c.spec, step: c.step, count: c.count, seed, stream, init: { kind: 'fan-in' }, chunks: [100] });
    const m = model(c.spec, seed);
    const cmp = compareWithReference(gpu, m, c.step, seed, stream, 100);
    console.log(`[network-train] ${c.name}: compile ${gpu.createMs.toFixed(0)} ms, 100 steps ${gpu.trainMs.toFixed(0)} ms; ` +
      `median |gpu-cpu|/|x| ${cmp.medianRelative.toExponential(2)}, error/tolerance median ${cmp.medianRatio.toExponential(2)} worst ${cmp.worstRatio.toExponential(2)}, max amplification ${cmp.maxAmplification.toFixed(1)}`);
    expect(cmp.statusMismatches).toBe(0);
    expect(cmp.diverged).toBe(0);
    expect(cmp.failures, `worst error/tolerance ${cmp.worstRatio}`).toBe(0);
    // a systematic bug moves typical networks far more than rounding does
    expect(cmp.medianRatio).toBeLessThan(0.1);
    // and the test can tell: a 5% error in the learning rate fails it
    const wrong = compareWithReference(gpu, m, { ...c.step, lr: 1.05 * c.step.lr }, seed, stream, 100);
    console.log(`[network-train]   vs a reference with lr x 1.05: error/tolerance median ${wrong.medianRatio.toExponential(2)}`);
    expect(wrong.medianRatio).toBeGreaterThan(1);
  });

  it('initialisation: fan-in draws match the CPU, init resets moments, status and the step count', async () => {
    const c = SGD_RELU_546;
    const seed = 5;
    const gpu = await run({ spec: c.spec, step: { ...c.step, momentum: 0.9 }, count: 8, seed, stream: 0, init: { kind: 'fan-in' }, chunks: [5], moments: true, reinit: true });
    const cpu = initialNetworkState(model(c.spec, seed), { kind: 'fan-in' }, seed, 8);
    // Box–Muller in float32: |dz| <= 2^-11 * 5.8 (WGSL sin/cos bound), times the std sqrt(gain / fanIn) <= 1
    let worst = 0;
    for (let d = 0; d < cpu.params.length; d++) {
      if (cpu.params[d] === 0) expect(Object.is(gpu.initial[d], 0), `bias ${d} is +0`).toBe(true);
      worst = Math.max(worst, Math.abs(gpu.initial[d] - cpu.params[d]));
    }
    expect(worst).toBeLessThan(NORMAL_ERROR + 8 * ULP);
    expect(same(gpu.params, gpu.initial)).toBe(true);
    expect(gpu.moment1!.every((v) => v === 0) && gpu.moment2!.every((v) => v === 0)).toBe(true);
    expect(gpu.status.every((v) => v === 0)).toBe(true);
    expect(gpu.stepsEncoded).toBe(0);
  });

  it('1 x 100 steps, 10 x 10 steps and 100 dispatches of 1 give bitwise-identical networks; seeds and panels differ', async () => {
    const c = ADAM_TANH_78;
    for (const step of [NOISY_SGD, c.step]) {
      const base = { spec: c.spec, step, count: 16, seed: 3, stream: 1, init: { kind: 'fan-in' }, moments: true };
      const a = await run({ ...base, chunks: [100] });
      const b = await run({ ...base, chunks: Array(10).fill(10) });
      const d = await run({ ...base, chunks: [100], perDispatch: 1 });
      for (const other of [b, d]) {
        expect(same(other.params, a.params)).toBe(true);
        expect(same(other.moment1!, a.moment1!)).toBe(true);
        expect(same(other.moment2!, a.moment2!)).toBe(true);
        expect(same(other.status, a.status)).toBe(true);
      }
      expect(a.stepsEncoded).toBe(100);
      expect(a.status.every((v) => v === 0)).toBe(true);
      if (step !== NOISY_SGD) continue;
      const seed = await run({ ...base, seed: 4, chunks: [100] });
      expect(same(seed.initial, a.initial)).toBe(false);
      expect(same(seed.params, a.params)).toBe(false);
      // another panel: the same initial networks (the init stream is shared), other minibatches and noise
      const panel = await run({ ...base, stream: 2, chunks: [100] });
      expect(same(panel.initial, a.initial)).toBe(true);
      expect(same(panel.params, a.params)).toBe(false);
    }
  });

  it("'shared' init: every network starts as network 0 of 'fan-in', then minibatches spread them", async () => {
    const c = SGD_TANH_8;
    const common = { spec: c.spec, step: c.step, count: 16, seed: 9, stream: 0, chunks: [10] };
    const shared = await run({ ...common, init: { kind: 'shared' } });
    const fanIn = await run({ ...common, init: { kind: 'fan-in' }, chunks: [] });
    const D = model(c.spec, 9).layout.params;
    const first = fanIn.initial.slice(0, D);
    for (let p = 0; p < 16; p++) expect(same(shared.initial.slice(p * D, (p + 1) * D), first), `network ${p} at step 0`).toBe(true);
    expect(same(fanIn.initial.slice(D, 2 * D), first)).toBe(false);
    for (let p = 1; p < 16; p++) {
      let diff = 0;
      for (let d = 0; d < D; d++) diff = Math.max(diff, Math.abs(shared.params[p * D + d] - shared.params[d]));
      expect(diff, `network ${p} after 10 steps`).toBeGreaterThan(1e-4);
    }
  });

  it('a network whose update overflows at step 0 is frozen with status 1 and its initial parameters, as in the CPU reference', async () => {
    // lr 1e38 with additive noise of std 1.3: lr |g| overflows float32 where |g| > 3.4, i.e. for a
    // parameter whose noise |xi| > ~2.6 (about 1 in 100), so some networks of D = 94 diverge at step 0
    // and others do not. Nothing overflows before the update: the forward pass runs on the initial networks.
    const c = ADAM_TANH_78;
    const step = { ...NOISY_SGD, lr: 1e38, momentum: 0, noiseScale: 1.3, weightDecay: 0 };
    const seed = 21;
    const gpu = await run({ spec: c.spec, step, count: 32, seed, stream: 0, init: { kind: 'fan-in' }, chunks: [1] });
    const m = model(c.spec, seed);
    const cpu = stateFrom(gpu.initial, 32);
    for (let p = 0; p < 32; p++) stepNetwork(cpu, m, step, seed, 0, p, 0, 1);
    expect(Array.from(gpu.status)).toEqual(Array.from(cpu.status));
    const diverged = Array.from(gpu.status).filter((s) => s === 1).length;
    expect(diverged).toBeGreaterThan(4);
    expect(diverged).toBeLessThan(28);
    const D = m.layout.params;
    for (let p = 0; p < 32; p++) {
      const mine = gpu.params.slice(p * D, (p + 1) * D);
      if (gpu.status[p] === 1) expect(same(mine, gpu.initial.slice(p * D, (p + 1) * D))).toBe(true);
      else expect(mine.every(Number.isFinite)).toBe(true);
    }
  });

  it('a diverging panel (lr 1e4, relu) freezes each network at its first non-finite step with the state before it', async () => {
    const c = SGD_RELU_546;
    const step = { ...c.step, lr: 1e4, batch: 8 };
    const seed = 21;
    const common = { spec: c.spec, step, count: 32, seed, stream: 0, init: { kind: 'fan-in' }, moments: true };
    const a = await run({ ...common, chunks: [3, 7] });
    const statuses = Array.from(a.status);
    console.log(`[network-train] divergence at lr 1e4: statuses ${statuses.join(' ')}`);
    const frozen = [...new Set(statuses.filter((s) => s > 0))].sort();
    expect(statuses.filter((s) => s > 0).length).toBeGreaterThanOrEqual(4);
    expect(frozen.some((s) => s > 1)).toBe(true);
    // status s = 1 + k: alive after k steps, its state then kept bitwise (also through the later chunk)
    const m = model(c.spec, seed);
    const D = m.layout.params;
    const at = (x: Float32Array, p: number) => x.slice(p * D, (p + 1) * D);
    for (const s of frozen) {
      const before = await run({ ...common, chunks: [s - 1] });
      for (let p = 0; p < 32; p++) {
        if (a.status[p] !== s) continue;
        expect(before.status[p], `network ${p} after ${s - 1} steps`).toBe(0);
        expect(same(at(a.params, p), at(before.params, p))).toBe(true);
        expect(same(at(a.moment1!, p), at(before.moment1!, p))).toBe(true);
      }
    }
    for (let p = 0; p < 32; p++) if (a.status[p] === 0) expect(at(a.params, p).every(Number.isFinite)).toBe(true);
    // The float64 reference calls a network diverged when its loss or a parameter leaves float32's
    // range; float32 intermediates (hidden activations, logits, backpropagated sums) overflow no later,
    // so the GPU freezes every network the reference freezes, at the same step or before.
    const cpu = stateFrom(a.initial, 32);
    for (let p = 0; p < 32; p++) stepNetwork(cpu, m, step, seed, 0, p, 0, 10);
    for (let p = 0; p < 32; p++) {
      if (cpu.status[p] === 0) continue;
      expect(a.status[p], `network ${p}: reference status ${cpu.status[p]}`).toBeGreaterThan(0);
      expect(a.status[p]).toBeLessThanOrEqual(cpu.status[p]);
    }
  });

  it('two moons, width 32 x 2 tanh, lr 0.5, B 32, 2,000 steps: mean train accuracy of 256 networks >= 98%', async () => {
    // the check; testFraction 0: all 1,024 samples train (as the numpy peer does)
    const t0 = performance.now();
    const spec = { dataset: { kind: 'two-moons', samples: 1024, noise: 0.1, testFraction: 0 }, hidden: [32, 32], activation: 'tanh' };
    const step = { ...SGD, lr: 0.5, batch: 32 };
    const seed = 1, count = 256;
    const gpu = await run({ spec, step, count, seed, stream: 0, init: { kind: 'fan-in' }, chunks: [500, 500, 500, 500] });
    const m = model(spec, seed);
    const D = m.layout.params;
    let acc = 0, loss = 0, worst = 1;
    for (let p = 0; p < count; p++) {
      const e = evaluateNetwork(m.layout, m.activation, gpu.params, p * D, m.dataset, 0, m.dataset.nTrain);
      acc += e.accuracy / count;
      loss += e.loss / count;
      worst = Math.min(worst, e.accuracy);
    }
    const rate = (count * 2000) / (gpu.trainMs / 1000);
    console.log(`[network-train] two moons 32x2: mean train accuracy ${(100 * acc).toFixed(2)}% (worst ${(100 * worst).toFixed(1)}%), mean loss ${loss.toFixed(4)}; ` +
      `compile ${(gpu.createMs / 1000).toFixed(1)} s, GPU training ${(gpu.trainMs / 1000).toFixed(1)} s (${rate.toExponential(2)} network-steps/s), whole test ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(gpu.status.every((s) => s === 0)).toBe(true);
    expect(acc).toBeGreaterThanOrEqual(0.98);
  });

  // the largest architecture the schema allows (its pipelines compile in ~13 s on SwiftShader)
  it('the largest network (3 hidden layers of 64, D = 8,577) trains', async () => {
    // the step kernel keeps x and g of its network in private arrays (2 x D floats per thread)
    const spec = moons(64, [64, 64, 64], 'relu');
    const step = { ...SGD, lr: 0.05, momentum: 0.9, estimator: 'full', batch: 1, noiseScale: 0.01 } satisfies NetworkStepConfig;
    const gpu = await run({ spec, step, count: 8, seed: 2, stream: 0, init: { kind: 'fan-in' }, chunks: [3] });
    console.log(`[network-train] 3 x 64: compile ${gpu.createMs.toFixed(0)} ms, 3 steps ${gpu.trainMs.toFixed(0)} ms`);
    const cmp = compareWithReference(gpu, model(spec, 2), step, 2, 0, 3);
    expect(cmp.statusMismatches).toBe(0);
    expect(cmp.failures, `worst error/tolerance ${cmp.worstRatio}`).toBe(0);
  });
});
