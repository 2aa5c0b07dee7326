// Network datasets (src/model/network/datasets.ts) and the parameter layout
// (spec.ts networkLayout). Statistical checks use 5 standard errors of the
// quantity under the stated distribution.
import { describe, expect, it } from 'vitest';
import { makeDataset, type Dataset } from '../../src/model/network/datasets';
import { DATASET_KINDS, datasetSchema, networkLayout, type DatasetKind } from '../../src/model/network/spec';
import { hiddenUnits } from '../../src/model/network/mlp';

const make = (kind: DatasetKind, extra: Record<string, number> = {}, seed = 7): Dataset => makeDataset(datasetSchema.parse({ kind, ...extra }), seed);

const points = (d: Dataset) => Array.from(d.labels, (label, i) => ({ x: d.inputs[2 * i], y: d.inputs[2 * i + 1], label }));

describe('parameter layout', () => {
  it('width 64 x 2: 4,417 parameters, W0 b0 W1 b1 W2 b2 at their offsets', () => {
    const l = networkLayout([64, 64]);
    expect(l.params).toBe(4417);
    expect(l.weights).toBe(2 * 64 + 64 * 64 + 64);
    expect(l.sizes).toEqual([2, 64, 64, 1]);
    expect(l.blocks.map((b) => [b.layer, b.name, b.shape, b.offset])).toEqual([
      [0, 'W', [64, 2], 0], [0, 'b', [64], 128],
      [1, 'W', [64, 64], 192], [1, 'b', [64], 4288],
      [2, 'W', [1, 64], 4352], [2, 'b', [1], 4416],
    ]);
    expect(l.layers[1]).toEqual({ fanIn: 64, fanOut: 64, weightOffset: 192, biasOffset: 4288 });
    expect(hiddenUnits(l)).toBe(128);
  });

  it('width 32 x 2 has 1,185 parameters (the WGSL default PARAM_COUNT); 2 -> 3 -> 1 has 13', () => {
    expect(networkLayout([32, 32]).params).toBe(1185);
    expect(networkLayout([3]).params).toBe(2 * 3 + 3 + 3 + 1);
    expect(networkLayout([2, 3, 4]).params).toBe(4 + 2 + 6 + 3 + 12 + 4 + 4 + 1);
  });
});

describe('datasets', () => {
  it.each(DATASET_KINDS)('%s: sizes, split, float32 labels 0|1, both classes about half each (5 sigma)', (kind) => {
    const d = make(kind, { samples: 2000, testFraction: 0.25 });
    expect(d.kind).toBe(kind);
    expect(d.inputs).toBeInstanceOf(Float32Array);
    expect(d.labels).toBeInstanceOf(Float32Array);
    expect(d.inputs.length).toBe(4000);
    expect(d.labels.length).toBe(2000);
    expect([d.nTrain, d.nTest]).toEqual([1500, 500]);
    expect(Array.from(d.labels).every((v) => v === 0 || v === 1)).toBe(true);
    expect(Array.from(d.inputs).every(Number.isFinite)).toBe(true);
    for (const [from, to] of [[0, d.nTrain], [d.nTrain, 2000]]) {
      const n = to - from;
      const ones = d.labels.slice(from, to).reduce((s, v) => s + v, 0);
      // class 1 with probability 1/2 per sample (xor: P(x y > 0) = 1/2): binomial sd sqrt(n)/2
      expect(Math.abs(ones - n / 2)).toBeLessThan(5 * Math.sqrt(n) / 2);
    }
  });

  it('the test split is the last round(testFraction * N) samples', () => {
    expect(make('xor', { samples: 66, testFraction: 0.25 })).toMatchObject({ nTrain: 49, nTest: 17 }); // 16.5 rounds up
    expect(make('xor', { samples: 64, testFraction: 0 })).toMatchObject({ nTrain: 64, nTest: 0 });
    expect(make('xor', { samples: 1000, testFraction: 0.9 })).toMatchObject({ nTrain: 100, nTest: 900 });
    // the split does not move samples: sample i is the same whatever testFraction is
    expect(make('spirals', { testFraction: 0.5 }).inputs).toEqual(make('spirals', { testFraction: 0.1 }).inputs);
  });

  it.each(DATASET_KINDS)('%s: the same seed gives the same data; another seed other data', (kind) => {
    const a = make(kind, {}, 11), b = make(kind, {}, 11), c = make(kind, {}, 12);
    expect(a.inputs).toEqual(b.inputs);
    expect(a.labels).toEqual(b.labels);
    expect(a.inputs).not.toEqual(c.inputs);
    // a longer dataset extends a shorter one (sample i depends on (seed, i) only)
    expect(make(kind, { samples: 2048 }, 11).inputs.slice(0, 2048)).toEqual(a.inputs.slice(0, 2048));
  });

  it('noise-free shapes: two moons (as mlp_numpy.py), circles, xor, spirals', () => {
    const close = (v: number, want: number) => expect(Math.abs(v - want)).toBeLessThan(1e-6); // float32 rounding of O(1) values
    for (const p of points(make('two-moons', { noise: 0 }))) {
      if (p.label === 0) { close(Math.hypot(p.x, p.y), 1); expect(p.y).toBeGreaterThanOrEqual(0); }
      else { close(Math.hypot(p.x - 1, p.y - 0.5), 1); expect(p.y).toBeLessThanOrEqual(0.5); }
    }
    for (const p of points(make('circles', { noise: 0 }))) close(Math.hypot(p.x, p.y), p.label === 1 ? 0.5 : 1);
    for (const p of points(make('xor', { noise: 0 }))) {
      expect(Math.max(Math.abs(p.x), Math.abs(p.y))).toBeLessThanOrEqual(1);
      expect(p.label).toBe(p.x * p.y > 0 ? 1 : 0);
    }
    for (const p of points(make('spirals', { noise: 0 }))) expect(Math.hypot(p.x, p.y)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('blobs: class means near (-1, 0) and (1, 0) (5 standard errors of the blob spread 0.4)', () => {
    const ps = points(make('blobs', { samples: 4000, noise: 0 }));
    for (const [label, cx] of [[0, -1], [1, 1]]) {
      const own = ps.filter((p) => p.label === label);
      const se = (5 * 0.4) / Math.sqrt(own.length);
      expect(Math.abs(own.reduce((s, p) => s + p.x, 0) / own.length - cx)).toBeLessThan(se);
      expect(Math.abs(own.reduce((s, p) => s + p.y, 0) / own.length)).toBeLessThan(se);
    }
  });

  it('input noise: noise * N(0, 1) on each coordinate (same seed, noise 0.3 vs 0: the difference has sd 0.3, mean 0)', () => {
    const a = make('circles', { samples: 8000, noise: 0.3 }), b = make('circles', { samples: 8000, noise: 0 });
    expect(a.labels).toEqual(b.labels);
    const n = a.inputs.length;
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const d = a.inputs[i] - b.inputs[i];
      s += d; s2 += d * d;
    }
    expect(Math.abs(s / n)).toBeLessThan((5 * 0.3) / Math.sqrt(n));
    // sample variance of n normals: sd sigma^2 sqrt(2/n)
    expect(Math.abs(s2 / n - 0.09)).toBeLessThan(5 * 0.09 * Math.sqrt(2 / n));
  });

  it.each([0.05, 0.2, 0.5])('labelNoise %s: labels flipped independently with that probability (binomial, 5 sigma); inputs unchanged', (p) => {
    const N = 16_384;
    const clean = make('two-moons', { samples: N }), noisy = make('two-moons', { samples: N, labelNoise: p });
    expect(noisy.inputs).toEqual(clean.inputs);
    let flipped = 0;
    for (let i = 0; i < N; i++) flipped += noisy.labels[i] !== clean.labels[i] ? 1 : 0;
    expect(Math.abs(flipped - p * N)).toBeLessThan(5 * Math.sqrt(N * p * (1 - p)));
  });
});
