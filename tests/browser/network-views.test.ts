// GPU views of clouds of networks against their CPU references: per-network
// evaluation, the cloud's spread, projection onto a plane, the principal
// plane, and the loss landscape over a plane (issue 14: "at the three
// particles that define a Garipov plane the drawn loss equals their own
// loss"), with its chunking, progress and cancel.
//
// Tolerances are float32 rounding bounds computed per case (first order,
// x 1.25 for the neglected higher-order terms), with u = 2^-24:
// - a dot product of n terms (bias + fanIn products) errs by at most
//   gamma_n sum |terms|, gamma_n = n u / (1 - n u); errors of the inputs carry
//   through |W|; tanh and relu are 1-Lipschitz; WGSL leaves tanh's accuracy to
//   the implementation (it is inherited from sinh / cosh, i.e. exp), allowed
//   here 2^-20 absolute per evaluation;
// - the loss per sample adds |sigmoid(z) - y| e_z <= e_z, log's 2^-21 absolute
//   (WGSL, on [0.5, 2]), exp's (3 + 2|x|) ulp and the adds' roundings; the
//   mean over n samples adds gamma_(64 + chunks) of the summed losses (chunks
//   of 64 samples, then the chunks);
// - accuracy differs only on samples whose |logit| is within its error bound.
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { bce, evaluateNetwork, lossGradient } from '../../src/model/network/mlp';
import { createNetworkModel, type NetworkModel } from '../../src/model/network/model';
import { networkLayout, networkSpecSchema, type NetworkLayout } from '../../src/model/network/spec';
import { cloudCentre, layerDistances } from '../../src/sim/network/spread-reference';
import { planeCoordinates, type WeightPlane } from '../../src/sim/network/plane';
import { planeLandscapeReference } from '../../src/sim/network/plane-landscape-reference';
import { gridNodes, type LandscapeRange } from '../../src/sim/network/plane-landscape';
import { pcaReference } from '../../src/sim/network/pca-reference';
import { EVALUATION_CHUNK } from '../../src/sim/network/evaluation';
import { SPREAD_CHUNK } from '../../src/sim/network/spread';

const lab = useLabPage();

const U = 2 ** -24;
const gamma = (n: number) => (n * U) / (1 - n * U);
const TANH_ABS = 2 ** -20;
const LOG_ABS = 2 ** -21;
const HIGHER_ORDER = 1.25;

/** Bound on |z_float32 - z| of one forward pass (z in float64) for parameters at params[offset..]. */
function logitBound(layout: NetworkLayout, tanh: boolean, params: ArrayLike<number>, offset: number, x: number, y: number): { z: number; err: number } {
  let h = [x, y], e = [0, 0];
  const last = layout.layers.length - 1;
  let z = 0, ez = 0;
  for (const [l, { fanIn, fanOut, weightOffset, biasOffset }] of layout.layers.entries()) {
    const nh: number[] = [], ne: number[] = [];
    for (let o = 0; o < fanOut; o++) {
      const b = params[offset + biasOffset + o];
      let s = b, mag = Math.abs(b), carried = 0;
      for (let i = 0; i < fanIn; i++) {
        const w = params[offset + weightOffset + o * fanIn + i];
        s += w * h[i];
        mag += Math.abs(w) * (Math.abs(h[i]) + e[i]);
        carried += Math.abs(w) * e[i];
      }
      const err = gamma(fanIn + 1) * mag + carried;
      if (l === last) { z = s; ez = err; }
      else {
        nh.push(tanh ? Math.tanh(s) : Math.max(s, 0));
        ne.push(err + (tanh ? TANH_ABS : 0));
      }
    }
    h = nh; e = ne;
  }
  return { z, err: ez };
}

/** Bounds of the float32 mean loss and accuracy over samples [from, to) against the float64 reference. */
function evaluationBound(model: NetworkModel, params: ArrayLike<number>, offset: number, from: number, to: number): { loss: number; accuracy: number } {
  const { inputs, labels } = model.dataset;
  const tanh = model.activation === 'tanh';
  const n = to - from;
  let sumErr = 0, sumLoss = 0, ambiguous = 0;
  for (let s = from; s < to; s++) {
    const { z, err } = logitBound(model.layout, tanh, params, offset, inputs[2 * s], inputs[2 * s + 1]);
    const f = bce(z, labels[s]);
    sumLoss += f;
    sumErr += err + LOG_ABS + U * (6 + 4 * Math.abs(z) + f);
    if (Math.abs(z) <= err) ambiguous++;
  }
  const chunks = Math.ceil(n / EVALUATION_CHUNK);
  const mean = sumLoss / n;
  return { loss: HIGHER_ORDER * (sumErr / n + (gamma(EVALUATION_CHUNK + chunks) + U) * mean), accuracy: ambiguous / n };
}

const TANH_SPEC = { dataset: { kind: 'two-moons', samples: 256, noise: 0.1, testFraction: 0.25 }, hidden: [8, 8], activation: 'tanh' };
const RELU_SPEC = { dataset: { kind: 'spirals', samples: 203, noise: 0.05, labelNoise: 0.1, testFraction: 0.3 }, hidden: [6], activation: 'relu' };
const NO_TEST_SPEC = { dataset: { kind: 'xor', samples: 64, noise: 0.1, testFraction: 0 }, hidden: [4, 4, 4], activation: 'tanh' };

type Evaluated = { params: Float32Array; perParticle: Float32Array };

describe('NetworkEvaluation', () => {
  it.each([
    { name: 'tanh 8x8, two moons', spec: TANH_SPEC },
    { name: 'relu 6, spirals (partial chunks: 142 train, 61 test samples)', spec: RELU_SPEC },
    { name: 'tanh 4x4x4, xor, no test split', spec: NO_TEST_SPEC },
  ])('matches the CPU reference within float32 rounding: $name', async ({ spec }) => {
    const count = 32, seed = 11;
    const gpu = await lab.call<Evaluated>('network-views', 'evaluateCloud', spec, seed, count, 3);
    const model = createNetworkModel(networkSpecSchema.parse(spec), seed);
    const { nTrain, nTest } = model.dataset;
    const D = model.layout.params;
    let worst = 0;
    for (let p = 0; p < count; p++) {
      const splits: [number, number, number][] = [[0, 0, nTrain], [2, nTrain, nTrain + nTest]];
      for (const [col, from, to] of splits) {
        const got = gpu.perParticle.slice(4 * p + col, 4 * p + col + 2);
        if (to === from) {
          expect(Number.isNaN(got[0]) && Number.isNaN(got[1]), `network ${p}: no test split gives NaN`).toBe(true);
          continue;
        }
        const cpu = evaluateNetwork(model.layout, model.activation, gpu.params, p * D, model.dataset, from, to);
        const tol = evaluationBound(model, gpu.params, p * D, from, to);
        worst = Math.max(worst, Math.abs(got[0] - cpu.loss) / tol.loss);
        expect(Math.abs(got[0] - cpu.loss), `network ${p} loss (columns ${col})`).toBeLessThanOrEqual(tol.loss);
        expect(Math.abs(got[1] - cpu.accuracy), `network ${p} accuracy`).toBeLessThanOrEqual(tol.accuracy + 1e-7);
      }
    }
    console.log(`[network-views] evaluation ${spec.activation} ${spec.hidden.join('x')}: worst |gpu - cpu| / bound ${worst.toFixed(3)}`);
    // the losses of random networks differ: a kernel that evaluated one network for all would not pass
    expect(new Set(Array.from({ length: count }, (_, p) => gpu.perParticle[4 * p])).size).toBe(count);
  });

  it('test: false evaluates the training split only, to the same bits', async () => {
    const both = await lab.call<Evaluated>('network-views', 'evaluateCloud', TANH_SPEC, 11, 16, 4);
    const train = await lab.call<Evaluated>('network-views', 'evaluateCloud', TANH_SPEC, 11, 16, 4, false);
    for (let p = 0; p < 16; p++) {
      expect(train.perParticle[4 * p]).toBe(both.perParticle[4 * p]);
      expect(train.perParticle[4 * p + 1]).toBe(both.perParticle[4 * p + 1]);
      expect(Number.isNaN(train.perParticle[4 * p + 2])).toBe(true);
    }
  });
});

describe('NetworkSpread', () => {
  it('centre and per-layer distances match the CPU reference; dead networks are left out', async () => {
    const hidden = [8, 4], count = 150, dead = [3, 64, 149];
    const gpu = await lab.call<{ params: Float32Array; status: Uint32Array; centre: Float32Array; distances: Float32Array }>('network-views', 'spreadCloud', hidden, count, 5, dead);
    const layout = networkLayout(hidden);
    const D = layout.params, L = layout.layers.length;
    const centre = cloudCentre(gpu.params, D, gpu.status);
    const alive = count - dead.length;
    const chunks = Math.ceil(count / SPREAD_CHUNK);
    const centreErr = new Float64Array(D);
    for (let d = 0; d < D; d++) {
      let abs = 0;
      for (let p = 0; p < count; p++) if (gpu.status[p] === 0) abs += Math.abs(gpu.params[p * D + d]);
      // two-level sum (chunks of 64, then the chunks) and the division
      centreErr[d] = HIGHER_ORDER * (gamma(SPREAD_CHUNK + chunks) * abs / alive + U * Math.abs(centre[d]));
      expect(Math.abs(gpu.centre[d] - centre[d]), `centre[${d}]`).toBeLessThanOrEqual(centreErr[d]);
    }
    const dist = layerDistances(layout, gpu.params, count, centre);
    const starts = [...layout.layers.map((l) => l.weightOffset), D];
    for (let p = 0; p < count; p++) {
      for (let l = 0; l < L; l++) {
        const n = starts[l + 1] - starts[l];
        let cErr = 0;
        for (let d = starts[l]; d < starts[l + 1]; d++) cErr += centreErr[d] ** 2;
        // the centre's error moves the distance by at most its norm; each squared difference carries 3 u, their sum gamma_n, sqrt u
        const tol = HIGHER_ORDER * (Math.sqrt(cErr) + (gamma(n) + 3 * U + U) * dist[p * L + l]);
        expect(Math.abs(gpu.distances[p * L + l] - dist[p * L + l]), `network ${p} layer ${l}`).toBeLessThanOrEqual(tol);
      }
    }
    // a dead network's parameters (1000) would have moved the centre far
    expect(Math.max(...Array.from(gpu.centre, Math.abs))).toBeLessThan(10);
  });

  it('no alive network: the centre is NaN', async () => {
    const count = 8;
    const gpu = await lab.call<{ centre: Float32Array; distances: Float32Array }>('network-views', 'spreadCloud', [4], count, 6, Array.from({ length: count }, (_, p) => p));
    expect(Array.from(gpu.centre).every(Number.isNaN)).toBe(true);
    expect(Array.from(gpu.distances).every(Number.isNaN)).toBe(true);
  });
});

describe('PlaneProjection', () => {
  it('(a, b, distance) per network match the CPU projection on a Garipov and a filter-normalised plane', async () => {
    const hidden = [8, 8], count = 48;
    const gpu = await lab.call<{ params: Float32Array; planes: WeightPlane[]; coords: Float32Array[] }>('network-views', 'projectCloud', hidden, count, 7);
    const D = networkLayout(hidden).params;
    let worst = 0;
    gpu.planes.forEach((plane, k) => {
      for (let p = 0; p < count; p++) {
        const cpu = planeCoordinates(plane, gpu.params, p * D);
        let sa = 0, sb = 0, sx = 0;
        for (let d = 0; d < D; d++) {
          const e = Math.abs(gpu.params[p * D + d] - plane.origin[d]);
          sa += e * Math.abs(plane.u[d]);
          sb += e * Math.abs(plane.v[d]);
          sx += e * e;
        }
        // a, b: D products of a rounded difference, summed: gamma_(D + 2) sum |e_d u_d|
        const ea = HIGHER_ORDER * gamma(D + 2) * sa, eb = HIGHER_ORDER * gamma(D + 2) * sb;
        // residual r_d = e_d - a u_d - b v_d: its components err by 3 u (|e_d| + |a u_d| + |b v_d|) + |da| |u_d| + |db| |v_d|,
        // so |r| errs by at most sqrt(sum of their squares), bounded by 3 u (|e| + |a| + |b|) + |da| + |db|; plus gamma_(D + 1) |r|
        const ed = HIGHER_ORDER * (3 * U * (Math.sqrt(sx) + Math.abs(cpu.a) + Math.abs(cpu.b)) + ea + eb + gamma(D + 1) * cpu.distance);
        const [a, b, dist, zero] = gpu.coords[k].slice(4 * p, 4 * p + 4);
        expect(Math.abs(a - cpu.a), `plane ${k} network ${p} a`).toBeLessThanOrEqual(ea);
        expect(Math.abs(b - cpu.b), `plane ${k} network ${p} b`).toBeLessThanOrEqual(eb);
        expect(Math.abs(dist - cpu.distance), `plane ${k} network ${p} distance`).toBeLessThanOrEqual(ed);
        expect(zero).toBe(0);
        if (ea > 0 && ed > 0) worst = Math.max(worst, Math.abs(a - cpu.a) / ea, Math.abs(dist - cpu.distance) / ed);
      }
    });
    console.log(`[network-views] projection: worst |gpu - cpu| / bound ${worst.toFixed(3)}`);
    // the three networks that define the Garipov plane lie on it
    for (const p of [0, 1, 2]) expect(gpu.coords[0][4 * p + 2]).toBeLessThan(1e-4);
    expect(gpu.coords[0][4 * 3 + 2]).toBeGreaterThan(0.1);
  });
});

describe('NetworkPca', () => {
  it('finds the known dominant directions of a cloud, as the CPU power iteration does', async () => {
    const hidden = [8, 8], count = 64, dead = 17;
    const gpu = await lab.call<{
      params: Float32Array; status: Uint32Array; e: WeightPlane;
      result: { plane: WeightPlane; variances: [number, number]; iterations: number; converged: boolean; alive: number } | null; identical: null;
      warm: { u: Float32Array; iterations: number; converged: boolean } | null;
    }>('network-views', 'pcaCloud', hidden, count, 21, dead, {});
    const D = networkLayout(hidden).params;
    expect(gpu.result).not.toBeNull();
    const r = gpu.result!;
    expect(r.alive).toBe(count - 1);
    expect(r.converged).toBe(true);
    const ref = pcaReference(gpu.params, D, gpu.status, 200);
    const dot = (x: ArrayLike<number>, y: ArrayLike<number>) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * y[i]; return s; };
    const [l1, l2] = ref.variances;
    // Davis-Kahan: float32 rounding perturbs the covariance by ~ (D + count) u lambda1 (the sums of X v and X^T w),
    // which turns a direction by at most that over its eigengap (lambda1 - lambda2 for u, lambda2 - lambda3 ~ lambda2 for v);
    // x 4 for the constants, plus the power iteration's remainder (lambda2 / lambda1)^iterations
    const pert = 4 * (D + count) * U * l1;
    // sin of the angle from the residual (1 - cos^2 would drown in the float32 rounding of |u| = 1)
    const sine = (x: ArrayLike<number>, y: Float64Array) => {
      const c = dot(x, y);
      return Math.sqrt(Array.from(x, (xi, i) => (xi - c * y[i]) ** 2).reduce((a, b) => a + b, 0) / dot(x, x));
    };
    const sinU = sine(r.plane.u, ref.u), sinV = sine(r.plane.v, ref.v);
    console.log(`[network-views] pca: ${r.iterations} iterations, converged ${r.converged}, variances ${r.variances.map((v) => v.toFixed(4))} (cpu ${l1.toFixed(4)}, ${l2.toFixed(4)}), sin angles ${sinU.toExponential(2)}, ${sinV.toExponential(2)}`);
    expect(sinU).toBeLessThanOrEqual(pert / (l1 - l2) + (l2 / l1) ** r.iterations);
    expect(sinV).toBeLessThanOrEqual(pert / (0.9 * l2) + (l2 / l1) ** r.iterations);
    // the sign convention: both agree on it
    expect(dot(r.plane.u, ref.u)).toBeGreaterThan(0);
    expect(dot(r.plane.v, ref.v)).toBeGreaterThan(0);
    for (const k of [0, 1]) expect(Math.abs(r.variances[k] - ref.variances[k])).toBeLessThanOrEqual(pert + 1e-6 * l1);
    for (let d = 0; d < D; d++) expect(Math.abs(r.plane.origin[d] - ref.centre[d])).toBeLessThan(1e-5);
    // and the generating directions (sampling error ~ 0.1 sqrt(D) / 3 / sqrt(63) ~ 0.04)
    expect(Math.abs(dot(r.plane.u, gpu.e.u))).toBeGreaterThan(0.98);
    expect(Math.abs(dot(r.plane.v, gpu.e.v))).toBeGreaterThan(0.95);
    expect(gpu.identical).toBeNull();
    // a warm start from the converged directions converges in one batch of 10, to the same direction
    expect(gpu.warm?.converged).toBe(true);
    expect(gpu.warm?.iterations).toBe(10);
    expect(sine(gpu.warm!.u, Float64Array.from(r.plane.u))).toBeLessThan(1e-4);
  });
});

describe('PlaneLandscape', () => {
  type Garipov = { params: Float32Array; plane: WeightPlane; points: [number, number][]; own: Float32Array; landscape: Float32Array; progress: number[]; chunkPoints: number };

  it('at the three networks that define a Garipov plane the drawn loss equals their own loss; the whole grid matches the CPU', async () => {
    const grid = 17, seed = 13;
    const range: LandscapeRange = { a: [-1, 3], b: [-1, 3] };
    const gpu = await lab.call<Garipov>('network-views', 'garipovLandscape', TANH_SPEC, seed, 8, grid, range);
    const model = createNetworkModel(networkSpecSchema.parse(TANH_SPEC), seed);
    const { layout, activation, dataset } = model;
    const D = layout.params, nTrain = dataset.nTrain;
    expect(gpu.progress.at(-1)).toBe(1);
    const as = Float32Array.from(gridNodes(range.a[0], range.a[1], grid));
    const bs = Float32Array.from(gridNodes(range.b[0], range.b[1], grid));
    const { origin, u, v } = gpu.plane;
    const train = Array.from({ length: nTrain }, (_, i) => i);
    const grad = new Float64Array(D);
    /** Bound on |GPU loss at node (i, j) - CPU loss of x|, x near the node: first order in the node's float32 error, plus the loss's own rounding. */
    const nodeBound = (i: number, j: number, x: ArrayLike<number>, xOffset: number) => {
      lossGradient(layout, activation, x, xOffset, dataset.inputs, dataset.labels, train, grad);
      let first = 0;
      for (let d = 0; d < D; d++) {
        const exact = origin[d] + as[i] * u[d] + bs[j] * v[d];
        // the kernel's o + a u + b v: up to 4 roundings, each at most u |partial result|
        const kernel = 2 * U * (Math.abs(origin[d]) + Math.abs(as[i] * u[d]) + Math.abs(bs[j] * v[d]));
        first += Math.abs(grad[d]) * (Math.abs(exact - x[xOffset + d]) + kernel);
      }
      return HIGHER_ORDER * first + evaluationBound(model, x, xOffset, 0, nTrain).loss;
    };
    // the three networks sit on nodes: (0, 0), (2, 0), (1, 1.5) are nodes (4, 4), (12, 4), (8, 10) of the 0.25 grid
    const nodes: [number, number][] = [[4, 4], [12, 4], [8, 10]];
    let worst = 0;
    for (const [k, [i, j]] of nodes.entries()) {
      expect(Math.abs(gpu.points[k][0] - as[i])).toBeLessThan(1e-5);
      expect(Math.abs(gpu.points[k][1] - bs[j])).toBeLessThan(1e-5);
      const drawn = gpu.landscape[j * grid + i];
      const cpu = evaluateNetwork(layout, activation, gpu.params, k * D, dataset, 0, nTrain).loss;
      const tol = nodeBound(i, j, gpu.params, k * D);
      const ownTol = evaluationBound(model, gpu.params, k * D, 0, nTrain).loss;
      console.log(`[network-views] garipov point ${k}: drawn ${drawn.toFixed(7)}, own (GPU) ${gpu.own[4 * k].toFixed(7)}, CPU ${cpu.toFixed(7)}, bound ${tol.toExponential(2)}`);
      expect(Math.abs(drawn - cpu), `point ${k}: drawn vs CPU`).toBeLessThanOrEqual(tol);
      // drawn vs the network's own GPU loss: both bounds around the CPU value
      expect(Math.abs(drawn - gpu.own[4 * k]), `point ${k}: drawn vs its own loss`).toBeLessThanOrEqual(tol + ownTol);
      worst = Math.max(worst, Math.abs(drawn - cpu) / tol);
    }
    // the three losses differ (else a constant landscape would pass)
    expect(new Set(nodes.map(([i, j]) => gpu.landscape[j * grid + i])).size).toBe(3);
    // every node against the CPU reference (nodes rounded to float32 there)
    const ref = planeLandscapeReference(model, dataset, gpu.plane, range, grid);
    for (let j = 0; j < grid; j++) {
      for (let i = 0; i < grid; i++) {
        const x = Float32Array.from({ length: D }, (_, d) => origin[d] + as[i] * u[d] + bs[j] * v[d]);
        const tol = nodeBound(i, j, x, 0);
        const err = Math.abs(gpu.landscape[j * grid + i] - ref[j * grid + i]);
        worst = Math.max(worst, err / tol);
        expect(err, `node (${i}, ${j})`).toBeLessThanOrEqual(tol);
      }
    }
    console.log(`[network-views] landscape ${grid}^2 in chunks of ${gpu.chunkPoints}: worst |gpu - cpu| / bound ${worst.toFixed(3)}`);
  });

  it('cancel stops between chunks and frees each buffer once; progress reaches 1; chunking does not change the bits', async () => {
    const grid = 16;
    const r = await lab.call<{
      chunkPoints: number; abortError: string; aborted: number[]; preError: string; pre: number[]; full: number[];
      byRows: Float32Array; oneChunk: Float32Array; afterDestroy: string; buffers: { label: string; destroys: number }[];
    }>('network-views', 'landscapeCancel', RELU_SPEC, 3, grid);
    expect(r.chunkPoints).toBe(grid);
    expect(r.abortError).toBe('AbortError');
    expect(r.aborted).toEqual([1, 2, 3].map((k) => k / grid)); // stopped after the third of 16 chunks
    expect(r.preError).toBe('AbortError');
    expect(r.pre).toEqual([]);
    expect(r.full).toEqual(Array.from({ length: grid }, (_, k) => (k + 1) / grid));
    expect(r.full.at(-1)).toBe(1);
    expect(Array.from(r.byRows).every(Number.isFinite)).toBe(true);
    expect(Buffer.from(r.byRows.buffer).equals(Buffer.from(r.oneChunk.buffer))).toBe(true);
    expect(r.afterDestroy).toMatch(/destroyed/);
    expect(r.buffers.length).toBeGreaterThan(10);
    const wrong = r.buffers.filter((b) => b.destroys !== 1);
    expect(wrong, 'buffers destroyed other than once').toEqual([]);
  });
});
