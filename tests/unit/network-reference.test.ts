// The CPU reference of network training (src/sim/network/reference.ts,
// step-config.ts): initialisation, the optimizer step against a step computed
// by hand on a 2 -> 2 -> 1 network, weight decay, noise, minibatch indices,
// chunking determinism and divergence freezing.
import { describe, expect, it } from 'vitest';
import { createNetworkModel, type NetworkModel } from '../../src/model/network/model';
import { lossGradient } from '../../src/model/network/mlp';
import { networkSpecSchema, NOISE_DRAW_BASE, type NetworkInitSpec } from '../../src/model/network/spec';
import { panelSchema } from '../../src/model/scenario-schema';
import { boxMuller, mulhi32, uniformOpen } from '../../src/rng/philox';
import { stepBits } from '../../src/rng/threefry';
import {
  gradientNoise, initialNetworkParams, initialNetworkState, minibatchIndices, stepNetwork, weightMask, type NetworkState,
} from '../../src/sim/network/reference';
import { networkStepConfig, type NetworkStepConfig } from '../../src/sim/network/step-config';

const model = (hidden: number[], extra: Record<string, unknown> = {}, dataset: Record<string, unknown> = {}): NetworkModel =>
  createNetworkModel(networkSpecSchema.parse({ dataset: { kind: 'two-moons', samples: 64, testFraction: 0.25, ...dataset }, hidden, ...extra }), 5);

const config = (panel: unknown, m: NetworkModel): NetworkStepConfig => networkStepConfig(panelSchema.parse(panel), m.spec);

const copy = (s: NetworkState): NetworkState => ({ params: s.params.slice(), moment1: s.moment1.slice(), moment2: s.moment2.slice(), status: s.status.slice() });

const FAN_IN: NetworkInitSpec = { kind: 'fan-in' };

/**
 * Hand-written loss and gradient of a 2 -> 2 -> 1 tanh network, mean over samples:
 * params [w00 w01 w10 w11 | b0 b1 | v0 v1 | c], h_o = tanh(b_o + w_o0 x + w_o1 y), z = c + v0 h0 + v1 h1.
 */
function tinyGradient(p: ArrayLike<number>, xs: [number, number, number][]): { loss: number; grad: number[] } {
  const grad = new Array(9).fill(0);
  let loss = 0;
  for (const [x, y, t] of xs) {
    const h0 = Math.tanh(p[4] + p[0] * x + p[1] * y), h1 = Math.tanh(p[5] + p[2] * x + p[3] * y);
    const z = p[8] + p[6] * h0 + p[7] * h1;
    loss += Math.log(1 + Math.exp(z)) - t * z;
    const e = 1 / (1 + Math.exp(-z)) - t;
    const d0 = e * p[6] * (1 - h0 * h0), d1 = e * p[7] * (1 - h1 * h1);
    const g = [d0 * x, d0 * y, d1 * x, d1 * y, d0, d1, e * h0, e * h1, e];
    g.forEach((v, d) => (grad[d] += v));
  }
  return { loss: loss / xs.length, grad: grad.map((v) => v / xs.length) };
}

const samplesOf = (m: NetworkModel, indices: ArrayLike<number>): [number, number, number][] =>
  Array.from(indices, (n) => [m.dataset.inputs[2 * n], m.dataset.inputs[2 * n + 1], m.dataset.labels[n]]);

const trainIndices = (m: NetworkModel) => Array.from({ length: m.dataset.nTrain }, (_, n) => n);

describe('network step config', () => {
  const m = model([4], { weightDecay: 0.01 });
  it.each([
    [{ optimizer: { kind: 'sgd', lr: 0.5 } }, { optimizer: 0, lr: 0.5, estimator: 'full', batch: 1, noiseScale: 0, weightDecay: 0.01 }],
    [{ optimizer: { kind: 'sgd', lr: 0.5, momentum: 0.9, nesterov: true }, noise: { kind: 'minibatch', batchSize: 32 } }, { optimizer: 1, momentum: 0.9, estimator: 'minibatch', batch: 32, noiseScale: 0 }],
    [{ optimizer: { kind: 'sgd', lr: 0.02 }, noise: { kind: 'langevin', temperature: 0.01 } }, { estimator: 'full', noiseScale: 1 }], // sqrt(2 T / lr)
    [{ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'gaussian', batchSize: 16, gradientStd: 2 } }, { estimator: 'full', noiseScale: 0.5 }], // s / sqrt(B)
    [{ optimizer: { kind: 'adam', lr: 0.001 } }, { optimizer: 2, momentum: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8 }],
  ])('%j', (panel, want) => {
    expect(config(panel, m)).toMatchObject(want);
  });

  it('refuses a Langevin diffusion matrix (2-D only)', () => {
    expect(() => config({ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'langevin', temperature: 1, diffusion: [[1, 0], [0, 1]] } }, m)).toThrow(/diffusion/);
  });
});

describe('initialisation', () => {
  it('fan-in: weights N(0, gain / fanIn) (5 standard errors of mean and variance), biases 0, each network its own', () => {
    for (const [activation, gain] of [['tanh', 1], ['relu', 2]] as const) {
      const m = model([64, 64], { activation });
      const p = initialNetworkParams(m.layout, activation, FAN_IN, 3, 0);
      for (const { fanIn, fanOut, weightOffset, biasOffset } of m.layout.layers) {
        const w = p.subarray(weightOffset, weightOffset + fanIn * fanOut);
        const n = w.length, v = gain / fanIn;
        const mean = w.reduce((s, x) => s + x, 0) / n;
        const variance = w.reduce((s, x) => s + x * x, 0) / n;
        expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(v / n));
        expect(Math.abs(variance - v)).toBeLessThan(5 * v * Math.sqrt(2 / n));
        expect(Array.from(p.subarray(biasOffset, biasOffset + fanOut)).every((b) => b === 0)).toBe(true);
      }
      expect(initialNetworkParams(m.layout, activation, FAN_IN, 3, 1)).not.toEqual(p);
      expect(initialNetworkParams(m.layout, activation, FAN_IN, 4, 0)).not.toEqual(p);
    }
  });

  it('shared: every network starts from network 0 of fan-in; moments and status 0', () => {
    const m = model([8, 8]);
    const s = initialNetworkState(m, { kind: 'shared' }, 9, 5);
    const p0 = initialNetworkParams(m.layout, 'tanh', FAN_IN, 9, 0);
    const D = m.layout.params;
    for (let p = 0; p < 5; p++) expect(s.params.subarray(p * D, (p + 1) * D)).toEqual(p0);
    expect(s.moment1.every((v) => v === 0) && s.moment2.every((v) => v === 0) && s.status.every((v) => v === 0)).toBe(true);
    const f = initialNetworkState(m, FAN_IN, 9, 2);
    expect(f.params.subarray(0, D)).toEqual(p0);
    expect(f.params.subarray(D)).toEqual(initialNetworkParams(m.layout, 'tanh', FAN_IN, 9, 1));
  });
});

describe('the optimizer step, by hand on a 2 -> 2 -> 1 tanh network', () => {
  const m = model([2]);
  const start = (): NetworkState => {
    const s = initialNetworkState(m, FAN_IN, 1, 1);
    s.params.set([0.3, -0.8, 1.1, 0.4, 0.1, -0.2, 0.9, -1.3, 0.05]);
    return s;
  };

  it('agrees with the hand-written gradient', () => {
    const g = new Float64Array(9);
    const idx = [0, 5, 5, 9];
    const loss = lossGradient(m.layout, 'tanh', start().params, 0, m.dataset.inputs, m.dataset.labels, idx, g);
    const want = tinyGradient(start().params, samplesOf(m, idx));
    expect(loss).toBeCloseTo(want.loss, 14);
    want.grad.forEach((v, d) => expect(g[d]).toBeCloseTo(v, 14));
  });

  it('SGD with heavy ball, two full-batch steps: m1 = g1, m2 = beta m1 + g2, x -= lr m', () => {
    const s = start(), lr = 0.3, beta = 0.8;
    stepNetwork(s, m, config({ optimizer: { kind: 'sgd', lr, momentum: beta } }, m), 1, 0, 0, 0, 2);
    const x0 = Array.from(start().params);
    const g1 = tinyGradient(x0, samplesOf(m, trainIndices(m))).grad;
    const x1 = x0.map((x, d) => x - lr * g1[d]);
    const g2 = tinyGradient(x1, samplesOf(m, trainIndices(m))).grad;
    const m2 = g1.map((v, d) => beta * v + g2[d]);
    m2.forEach((v, d) => {
      expect(s.moment1[d]).toBeCloseTo(v, 13);
      expect(s.params[d]).toBeCloseTo(x1[d] - lr * v, 13);
    });
    expect(s.status[0]).toBe(0);
  });

  it('Nesterov, one minibatch step: x -= lr (g + beta m) with m = g, over the drawn indices', () => {
    const s = start(), lr = 0.2, beta = 0.5;
    stepNetwork(s, m, config({ optimizer: { kind: 'sgd', lr, momentum: beta, nesterov: true }, noise: { kind: 'minibatch', batchSize: 5 } }, m), 1, 3, 0, 7, 1);
    const g = tinyGradient(start().params, samplesOf(m, minibatchIndices(1, 3, 0, 7, 5, m.dataset.nTrain))).grad;
    g.forEach((v, d) => expect(s.params[d]).toBeCloseTo(start().params[d] - lr * (1 + beta) * v, 13));
  });

  it('Adam, first step at global step k = 4: bias correction with t = k + 1', () => {
    const s = start(), lr = 0.01, b1 = 0.9, b2 = 0.99, eps = 1e-3;
    stepNetwork(s, m, config({ optimizer: { kind: 'adam', lr, beta1: b1, beta2: b2, eps } }, m), 1, 0, 0, 4, 1);
    const g = tinyGradient(start().params, samplesOf(m, trainIndices(m))).grad;
    g.forEach((v, d) => {
      const m1 = (1 - b1) * v, v2 = (1 - b2) * v * v;
      const step = (lr * (m1 / (1 - b1 ** 5))) / (Math.sqrt(v2 / (1 - b2 ** 5)) + eps);
      expect(s.moment1[d]).toBeCloseTo(m1, 14);
      expect(s.moment2[d]).toBeCloseTo(v2, 14);
      expect(s.params[d]).toBeCloseTo(start().params[d] - step, 13);
    });
  });

  it('weight decay lambda W on weights only: the step is the gradient of loss + lambda/2 |W|^2 (central differences, h = 1e-5)', () => {
    const lambda = 0.7, lr = 1e-3;
    const md = model([2], { weightDecay: lambda });
    const s = start();
    stepNetwork(s, md, config({ optimizer: { kind: 'sgd', lr } }, md), 1, 0, 0, 0, 1);
    const x0 = Array.from(start().params);
    const mask = weightMask(md.layout);
    expect(Array.from(mask)).toEqual([1, 1, 1, 1, 0, 0, 1, 1, 0]);
    const objective = (x: number[]) => tinyGradient(x, samplesOf(md, trainIndices(md))).loss + (lambda / 2) * x.reduce((t, v, d) => t + mask[d] * v * v, 0);
    for (let d = 0; d < 9; d++) {
      const up = x0.slice(), down = x0.slice();
      up[d] += 1e-5; down[d] -= 1e-5;
      const fd = (objective(up) - objective(down)) / 2e-5;
      // float64: truncation h^2/6 |f'''| and rounding eps |f| / h are both ~1e-11, far below 1e-8
      expect(Math.abs((x0[d] - s.params[d]) / lr - fd)).toBeLessThan(1e-8);
    }
  });
});

describe('random draws', () => {
  it('minibatch slot b: mulhi32(stepBits(seed, panel, i, k, 1 + floor(b / 2))[b % 2], nTrain), uniform over the training split (5 sigma)', () => {
    const idx = minibatchIndices(7, 2, 3, 11, 5, 48);
    for (let b = 0; b < 5; b++) expect(idx[b]).toBe(mulhi32(stepBits(7, 2, 3, 11, 1 + Math.floor(b / 2))[b % 2], 48));
    const n = 48, draws = 20_000;
    const all = minibatchIndices(1, 0, 0, 0, draws, n);
    expect(Math.max(...all)).toBe(n - 1);
    expect(Math.min(...all)).toBe(0);
    const mean = all.reduce((s, v) => s + v, 0) / draws;
    expect(Math.abs(mean - (n - 1) / 2)).toBeLessThan(5 * Math.sqrt((n * n - 1) / 12 / draws));
  });

  it('additive noise: Langevin x += -lr grad - sqrt(2 lr T) xi, xi_d from draw NOISE_DRAW_BASE + floor(d / 2), N(0, 1) (5 sigma)', () => {
    const m = model([32, 32]);
    const lr = 0.05, T = 0.2;
    const base = initialNetworkState(m, FAN_IN, 2, 1);
    const quiet = copy(base), noisy = copy(base);
    stepNetwork(quiet, m, config({ optimizer: { kind: 'sgd', lr } }, m), 2, 1, 0, 3, 1);
    stepNetwork(noisy, m, config({ optimizer: { kind: 'sgd', lr }, noise: { kind: 'langevin', temperature: T } }, m), 2, 1, 0, 3, 1);
    const D = m.layout.params;
    const xi = gradientNoise(2, 1, 0, 3, D);
    const bits = stepBits(2, 1, 0, 3, NOISE_DRAW_BASE + 7); // parameters 14 and 15
    expect([xi[14], xi[15]]).toEqual(boxMuller(uniformOpen(bits[0]), uniformOpen(bits[1])));
    const amp = Math.sqrt(2 * lr * T);
    let s = 0, s2 = 0;
    for (let d = 0; d < D; d++) {
      expect(noisy.params[d] - quiet.params[d]).toBeCloseTo(-amp * xi[d], 12);
      s += xi[d]; s2 += xi[d] * xi[d];
    }
    expect(Math.abs(s / D)).toBeLessThan(5 / Math.sqrt(D));
    expect(Math.abs(s2 / D - 1)).toBeLessThan(5 * Math.sqrt(2 / D));
    // another network, another step: other noise
    expect(gradientNoise(2, 1, 1, 3, D)).not.toEqual(xi);
    expect(gradientNoise(2, 1, 0, 4, D)).not.toEqual(xi);
  });
});

describe('stepping', () => {
  it.each([
    ['sgd minibatch', { optimizer: { kind: 'sgd', lr: 0.5, momentum: 0.9 }, noise: { kind: 'minibatch', batchSize: 8 } }],
    ['adam gaussian', { optimizer: { kind: 'adam', lr: 0.01 }, noise: { kind: 'gaussian', batchSize: 4, gradientStd: 1 } }],
  ])('%s: 30 steps in one call equal 10 + 20 (chunking does not matter); networks and panels differ', (_, panel) => {
    const m = model([6, 5], { activation: 'relu', weightDecay: 1e-3 });
    const cfg = config(panel, m);
    const a = initialNetworkState(m, { kind: 'shared' }, 4, 2), b = copy(a), c = copy(a);
    for (const i of [0, 1]) {
      stepNetwork(a, m, cfg, 4, 0, i, 0, 30);
      stepNetwork(b, m, cfg, 4, 0, i, 0, 10);
      stepNetwork(b, m, cfg, 4, 0, i, 10, 20);
      stepNetwork(c, m, cfg, 4, 1, i, 0, 30);
    }
    expect(b).toEqual(a);
    const D = m.layout.params;
    expect(a.params.subarray(0, D)).not.toEqual(a.params.subarray(D)); // shared start, own noise
    expect(c.params).not.toEqual(a.params); // another panel stream
  });

  it('trains: a 2 x 8 tanh network on two moons loses most of its loss in 300 minibatch steps', () => {
    const m = model([8, 8], {}, { samples: 512, testFraction: 0 });
    const s = initialNetworkState(m, FAN_IN, 1, 1);
    const g = new Float64Array(m.layout.params);
    const all = trainIndices(m);
    const before = lossGradient(m.layout, 'tanh', s.params, 0, m.dataset.inputs, m.dataset.labels, all, g);
    stepNetwork(s, m, config({ optimizer: { kind: 'sgd', lr: 0.5 }, noise: { kind: 'minibatch', batchSize: 32 } }, m), 1, 0, 0, 0, 300);
    const after = lossGradient(m.layout, 'tanh', s.params, 0, m.dataset.inputs, m.dataset.labels, all, g);
    expect(after).toBeLessThan(0.5 * before);
  });
});

describe('divergence', () => {
  it('lr 10 with weight decay 10 (x -> (1 - lr lambda) x = -99 x per step): the step that would overflow float32 is not taken, status = 1 + k, frozen after', () => {
    const m = model([4], { weightDecay: 10 });
    const cfg = config({ optimizer: { kind: 'sgd', lr: 10 } }, m);
    const a = initialNetworkState(m, FAN_IN, 2, 1);
    stepNetwork(a, m, cfg, 2, 0, 0, 0, 60);
    // |W| ~ 99^k: float32's 3.4e38 is passed near k = 19
    const k = a.status[0] - 1;
    expect(k).toBeGreaterThanOrEqual(10);
    expect(k).toBeLessThan(30);
    // the same network stepped to just before step k: alive, and equal to the frozen one (parameters and moments)
    const b = initialNetworkState(m, FAN_IN, 2, 1);
    stepNetwork(b, m, cfg, 2, 0, 0, 0, k);
    expect(b.status[0]).toBe(0);
    expect(a.params).toEqual(b.params);
    expect(a.moment1).toEqual(b.moment1);
    expect(Array.from(a.params).every((v) => Math.abs(v) <= 3.4028234663852886e38)).toBe(true);
    // and step k itself diverges from there
    stepNetwork(b, m, cfg, 2, 0, 0, k, 1);
    expect(b.status[0]).toBe(k + 1);
    const frozen = copy(a);
    stepNetwork(a, m, cfg, 2, 0, 0, 60, 50);
    expect(a).toEqual(frozen);
  });

  it('a non-finite loss (NaN parameter) freezes at the first step of the call: status = 1 + start', () => {
    const m = model([3]);
    const s = initialNetworkState(m, FAN_IN, 2, 2);
    s.params[m.layout.params + 4] = NaN; // network 1 only
    const cfg = config({ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'minibatch', batchSize: 4 } }, m);
    for (const i of [0, 1]) stepNetwork(s, m, cfg, 2, 0, i, 40, 5);
    expect(Array.from(s.status)).toEqual([0, 41]);
  });
});
