// The float64 MLP (src/model/network/mlp.ts): forward pass against an
// independent layer-by-layer evaluation (same summation order as
// shaders/lib/network.wgsl, so equal bit for bit), the loss's gradient against
// central finite differences for each activation and depth, and the evaluation.
import { describe, expect, it } from 'vitest';
import { bce, evaluateNetwork, forward, hiddenUnits, lossGradient, sigmoid } from '../../src/model/network/mlp';
import { makeDataset } from '../../src/model/network/datasets';
import { datasetSchema, networkLayout, type Activation, type NetworkLayout } from '../../src/model/network/spec';
import { normals4 } from '../../src/rng/philox';

/** Parameters N(0, scale^2 / fanIn) for weights and N(0, 0.25) for biases, so no gradient is trivially 0. */
function randomParams(layout: NetworkLayout, seed: number, scale = 1.5): Float64Array {
  const p = new Float64Array(layout.params);
  for (let d = 0; d < p.length; d++) p[d] = normals4(seed, 99, d, 0)[0];
  for (const { fanIn, fanOut, weightOffset, biasOffset } of layout.layers) {
    for (let d = weightOffset; d < weightOffset + fanIn * fanOut; d++) p[d] *= scale / Math.sqrt(fanIn);
    for (let d = biasOffset; d < biasOffset + fanOut; d++) p[d] *= 0.5;
  }
  return p;
}

/** Every layer's pre-activations and the logit, layer by layer (an independent evaluation, bias first then inputs in order). */
function preActivations(layout: NetworkLayout, activation: Activation, p: ArrayLike<number>, x: number, y: number): { z: number[][]; logit: number } {
  let a = [x, y];
  const z: number[][] = [];
  for (const [l, { fanIn, fanOut, weightOffset, biasOffset }] of layout.layers.entries()) {
    const zl: number[] = [];
    for (let o = 0; o < fanOut; o++) {
      let s = p[biasOffset + o];
      for (let i = 0; i < fanIn; i++) s += p[weightOffset + o * fanIn + i] * a[i];
      zl.push(s);
    }
    z.push(zl);
    if (l === layout.layers.length - 1) return { z, logit: zl[0] };
    a = zl.map((v) => (activation === 'relu' ? Math.max(v, 0) : Math.tanh(v)));
  }
  throw new Error('no output layer');
}

const data = makeDataset(datasetSchema.parse({ kind: 'two-moons', samples: 64, noise: 0.2 }), 3);

describe('network forward pass', () => {
  it.each([['tanh', [5]], ['relu', [4, 3]], ['tanh', [3, 4, 5]]] as [Activation, number[]][])('%s %j: equals the layer-by-layer evaluation bit for bit, hidden activations packed', (activation, hidden) => {
    const layout = networkLayout(hidden);
    const p = randomParams(layout, 1);
    const h = new Float64Array(hiddenUnits(layout));
    for (let n = 0; n < 16; n++) {
      const x = data.inputs[2 * n], y = data.inputs[2 * n + 1];
      const ref = preActivations(layout, activation, p, x, y);
      expect(forward(layout, activation, p, 0, x, y, h)).toBe(ref.logit);
      const act = ref.z.slice(0, -1).flat().map((v) => (activation === 'relu' ? Math.max(v, 0) : Math.tanh(v)));
      expect(Array.from(h)).toEqual(act);
    }
  });

  it('reads network p at offset p * D of a float32 cloud', () => {
    const layout = networkLayout([4]);
    const a = randomParams(layout, 1), b = randomParams(layout, 2);
    const cloud = new Float32Array(2 * layout.params);
    cloud.set(a, 0);
    cloud.set(b, layout.params);
    const bF32 = Float64Array.from(b, Math.fround);
    expect(forward(layout, 'tanh', cloud, layout.params, 0.3, -0.2)).toBe(forward(layout, 'tanh', bF32, 0, 0.3, -0.2));
  });
});

describe('logistic loss', () => {
  it('bce is softplus(z) - y z without overflow, and its slope is sigmoid(z) - y', () => {
    expect(bce(0, 0)).toBeCloseTo(Math.LN2, 15);
    expect(bce(0, 1)).toBeCloseTo(Math.LN2, 15);
    expect(bce(1000, 0)).toBe(1000);
    expect(bce(-1000, 1)).toBe(1000);
    expect(bce(1000, 1)).toBe(0);
    expect(bce(40, 1)).toBeCloseTo(Math.exp(-40), 30);
    expect(bce(2, 1)).toBeCloseTo(Math.log(1 + Math.exp(-2)), 15);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    // slope by central difference (h = 1e-5: error h^2/6 |bce'''| < 1e-11)
    for (const z of [-3, -0.5, 0.7, 4]) {
      for (const y of [0, 1]) expect((bce(z + 1e-5, y) - bce(z - 1e-5, y)) / 2e-5).toBeCloseTo(sigmoid(z) - y, 9);
    }
  });
});

/**
 * Gradient check: central differences (L(p + h e_d) - L(p - h e_d)) / 2h in
 * float64 with h = 1e-5. Truncation error h^2/6 |L'''| ~ 2e-11 |L'''| (|L'''| < 100
 * for these O(1) networks) plus rounding ~ 2^-52 |L| / h ~ 2e-11: both far below
 * the tolerance 1e-7, while a wrong component (a missing slope, a transposed
 * weight) errs by the order of the gradient itself (> 1e-3 here).
 */
const H = 1e-5;
const TOL = 1e-7;

function finiteDifference(layout: NetworkLayout, activation: Activation, p: Float64Array, indices: number[], d: number): number {
  const g = new Float64Array(layout.params);
  const q = p.slice();
  q[d] = p[d] + H;
  const up = lossGradient(layout, activation, q, 0, data.inputs, data.labels, indices, g);
  q[d] = p[d] - H;
  const down = lossGradient(layout, activation, q, 0, data.inputs, data.labels, indices, g);
  return (up - down) / (2 * H);
}

/** Smallest |pre-activation| of a hidden unit over the samples. */
function kinkMargin(layout: NetworkLayout, p: ArrayLike<number>, indices: number[]): number {
  let m = Infinity;
  for (const n of indices) {
    const { z } = preActivations(layout, 'relu', p, data.inputs[2 * n], data.inputs[2 * n + 1]);
    for (const v of z.slice(0, -1).flat()) m = Math.min(m, Math.abs(v));
  }
  return m;
}

/** The sign pattern of every hidden pre-activation over the samples. */
function pattern(layout: NetworkLayout, p: ArrayLike<number>, indices: number[]): string {
  return indices.map((n) => preActivations(layout, 'relu', p, data.inputs[2 * n], data.inputs[2 * n + 1]).z.slice(0, -1).flat().map((v) => (v > 0 ? 1 : 0)).join('')).join('|');
}

describe('loss gradient against central finite differences (float64)', () => {
  it.each([
    ['tanh', [6]], ['tanh', [5, 4]], ['tanh', [4, 3, 5]],
    ['relu', [6]], ['relu', [5, 4]], ['relu', [4, 3, 5]],
  ] as [Activation, number[]][])('%s, hidden %j: every component within 1e-7', (activation, hidden) => {
    const layout = networkLayout(hidden);
    const p = randomParams(layout, hidden.length * 10 + (activation === 'relu' ? 1 : 0));
    // a minibatch with a repeat (counts twice), drawn from the first 40 samples
    let indices = [0, 3, 3, 7, 12, 19, 25, 31, 38];
    if (activation === 'relu') {
      // relu has kinks at z = 0: keep the samples whose hidden pre-activations are all at least 1e-3 from 0.
      // One parameter moved by h = 1e-5 moves a pre-activation by < 100 h = 1e-3 for these O(1) weights and
      // inputs, so no kink lies between p - h e_d and p + h e_d (checked below by the unchanged sign pattern).
      indices = Array.from({ length: 40 }, (_, n) => n).filter((n) => kinkMargin(layout, p, [n]) > 1e-3);
      expect(indices.length).toBeGreaterThanOrEqual(8);
      expect(kinkMargin(layout, p, indices)).toBeGreaterThan(1e-3);
    }
    const grad = new Float64Array(layout.params);
    const loss = lossGradient(layout, activation, p, 0, data.inputs, data.labels, indices, grad);
    const mean = indices.reduce((s, n) => s + bce(forward(layout, activation, p, 0, data.inputs[2 * n], data.inputs[2 * n + 1]), data.labels[n]), 0) / indices.length;
    expect(loss).toBeCloseTo(mean, 14);
    let largest = 0;
    const before = activation === 'relu' ? pattern(layout, p, indices) : '';
    for (let d = 0; d < layout.params; d++) {
      const fd = finiteDifference(layout, activation, p, indices, d);
      expect(Math.abs(grad[d] - fd), `parameter ${d}: backprop ${grad[d]}, finite difference ${fd}`).toBeLessThan(TOL);
      largest = Math.max(largest, Math.abs(grad[d]));
      if (activation === 'relu') {
        for (const s of [H, -H]) {
          const q = p.slice();
          q[d] += s;
          expect(pattern(layout, q, indices)).toBe(before);
        }
      }
    }
    expect(largest).toBeGreaterThan(1e-2);
  });

  it('averages over the indices: a repeated index weighs twice; the gradient has no weight-decay term', () => {
    const layout = networkLayout([3]);
    const p = randomParams(layout, 5);
    const g1 = new Float64Array(layout.params), g2 = new Float64Array(layout.params), g12 = new Float64Array(layout.params);
    lossGradient(layout, 'tanh', p, 0, data.inputs, data.labels, [1], g1);
    lossGradient(layout, 'tanh', p, 0, data.inputs, data.labels, [2], g2);
    lossGradient(layout, 'tanh', p, 0, data.inputs, data.labels, [1, 2, 2], g12);
    for (let d = 0; d < layout.params; d++) expect(g12[d]).toBeCloseTo((g1[d] + 2 * g2[d]) / 3, 14);
    // at zero loss slope nothing remains: a network whose logit is huge with the right sign has gradient ~ 0
    const q = new Float64Array(layout.params);
    q[layout.layers[1].biasOffset] = data.labels[1] > 0.5 ? 800 : -800;
    const g = new Float64Array(layout.params).fill(7);
    lossGradient(layout, 'tanh', q, 0, data.inputs, data.labels, [1], g);
    expect(Array.from(g).every((v) => v === 0)).toBe(true);
  });
});

describe('evaluateNetwork', () => {
  it('constant logit 1: the loss is the mean BCE and the accuracy the share of label 1; an empty range gives NaN', () => {
    const layout = networkLayout([4, 4]);
    const p = new Float64Array(layout.params);
    p[layout.layers[2].biasOffset] = 1;
    let ones = 0, loss = 0;
    for (let n = 10; n < 50; n++) {
      ones += data.labels[n];
      loss += bce(1, data.labels[n]);
    }
    const r = evaluateNetwork(layout, 'relu', p, 0, data, 10, 50);
    expect(r.accuracy).toBe(ones / 40);
    expect(r.loss).toBeCloseTo(loss / 40, 14);
    expect(evaluateNetwork(layout, 'relu', p, 0, data, 50, 50)).toEqual({ loss: NaN, accuracy: NaN });
  });
});
