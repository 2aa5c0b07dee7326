import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPage, type LabPage } from './support/page';
import { RANDOM123_KAT, THREEFRY_KAT, hex } from '../support/random123-kat';
import { streamBits, normals4 } from '../../src/rng/philox';
import { stepBits, stepNormals2 } from '../../src/rng/threefry';
import { ksCritical, ksDistance, meanVar, normalCdf } from '../support/stats';

let lab: LabPage;
beforeAll(async () => { lab = await openLabPage(); });
afterAll(async () => {
  expect(lab.errors).toEqual([]);
  await lab.close();
});

type Draws = { bits: Uint32Array; normals: Float32Array };

/** The law of a large sample of GPU normals, with bounds from the sample size. */
function expectStandardNormal(z: Float32Array, neighbourStream: Float32Array, wordsPerCall: number) {
  const n = z.length;
  expect(z.every(Number.isFinite)).toBe(true); // sentinel (NaN) never survives
  const { mean, variance } = meanVar(z);
  expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n)); // 5 standard errors of the mean
  expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n)); // sd of s^2 is sqrt(2/n)
  // Kolmogorov: P(sqrt(n) D > t) ~ 2 exp(-2 t^2); alpha = 1e-6
  expect(ksDistance(z, normalCdf) * Math.sqrt(n)).toBeLessThan(ksCritical(1e-6));
  // correlations: |r| < 5 / sqrt(n) (mean 0 and variance 1 checked above)
  const corr = (a: ArrayLike<number>, b: ArrayLike<number>, m: number, stride = 1) => {
    let s = 0, c = 0;
    for (let i = 0; i < m; i += stride) { s += a[i] * b[i]; c++; }
    return { r: s / c, c };
  };
  const streams = corr(z, neighbourStream, n);
  expect(Math.abs(streams.r)).toBeLessThan(5 / Math.sqrt(streams.c));
  const neighbours = corr(z, z.subarray(wordsPerCall), n - wordsPerCall); // particle i vs i + 1
  expect(Math.abs(neighbours.r)).toBeLessThan(5 / Math.sqrt(neighbours.c));
  const pair = corr(z, z.subarray(1), n - 1, 2); // the two normals of one Box–Muller pair
  expect(Math.abs(pair.r)).toBeLessThan(5 / Math.sqrt(pair.c));
}

// Box–Muller in f32: log, sqrt, cos/sin carry a few ulp (WGSL allows 2^-11 absolute for sin/cos
// on (-pi, pi)); |z| <= 5.8, so |gpu - cpu| <= 5.8 * 2^-11 + rounding < 3e-3.
const NORMAL_TOLERANCE = 3e-3;

describe('Philox4x32-10 on the GPU (initial clouds, datasets)', () => {
  it('reports a real WebGPU adapter', async () => {
    const info = await lab.call<{ vendor: string; architecture: string }>('gpu', 'adapterInfo');
    console.log(`[adapter] ${info.vendor} / ${info.architecture}`);
    expect(info.vendor.length).toBeGreaterThan(0);
  });

  it('reproduces the Random123 known-answer vectors', async () => {
    const out = await lab.call<Uint32Array>('rng', 'philoxKat', RANDOM123_KAT.map(({ counter, key }) => ({ counter, key })));
    RANDOM123_KAT.forEach((kat, i) => expect(hex(out.subarray(4 * i, 4 * i + 4))).toEqual(hex(kat.expected)));
  });

  const N_CALLS = 1 << 18; // 2^18 calls -> 2^20 normals
  let gpu: Draws, neighbour: Draws;
  beforeAll(async () => {
    gpu = await lab.call('rng', 'normals', 20261128, 3, 41, N_CALLS);
    neighbour = await lab.call('rng', 'normals', 20261128, 4, 41, N_CALLS);
  });

  it('integer stream equals the CPU reference bit for bit (every call)', () => {
    let mismatches = 0;
    for (let i = 0; i < N_CALLS; i++) {
      const ref = streamBits(20261128, 3, i, 41);
      for (let w = 0; w < 4; w++) if (gpu.bits[4 * i + w] !== ref[w]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('normals equal the CPU reference to float32 transcendental accuracy', () => {
    let worst = 0;
    for (let i = 0; i < N_CALLS; i += 97) {
      const ref = normals4(20261128, 3, i, 41);
      for (let w = 0; w < 4; w++) worst = Math.max(worst, Math.abs(gpu.normals[4 * i + w] - ref[w]));
    }
    console.log(`[philox] worst |gpu - cpu| normal: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(NORMAL_TOLERANCE);
  });

  it('2^20 normals: mean, variance, KS distance and correlations within bounds from the sample size', () => {
    expectStandardNormal(gpu.normals, neighbour.normals, 4);
  });
});

describe('Threefry-2x32-20 on the GPU (the particle steps\' noise and minibatch draws)', () => {
  it('reproduces the Random123 known-answer vectors', async () => {
    const out = await lab.call<Uint32Array>('rng', 'threefryKat', THREEFRY_KAT.map(({ counter, key }) => ({ counter, key })));
    THREEFRY_KAT.forEach((kat, i) => expect(hex(out.subarray(2 * i, 2 * i + 2))).toEqual(hex(kat.expected)));
  });

  const N_CALLS = 1 << 19; // 2^19 calls -> 2^20 normals
  let gpu: Draws, neighbour: Draws;
  beforeAll(async () => {
    gpu = await lab.call('rng', 'stepNormals', 99, 2, 12345, N_CALLS);
    neighbour = await lab.call('rng', 'stepNormals', 99, 3, 12345, N_CALLS);
  });

  it('integer stream equals the CPU reference bit for bit (every call)', () => {
    let mismatches = 0;
    for (let i = 0; i < N_CALLS; i++) {
      const ref = stepBits(99, 2, i, 12345, 0);
      if (gpu.bits[2 * i] !== ref[0] || gpu.bits[2 * i + 1] !== ref[1]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('normals equal the CPU reference to float32 transcendental accuracy', () => {
    let worst = 0;
    for (let i = 0; i < N_CALLS; i += 97) {
      const ref = stepNormals2(99, 2, i, 12345);
      worst = Math.max(worst, Math.abs(gpu.normals[2 * i] - ref[0]), Math.abs(gpu.normals[2 * i + 1] - ref[1]));
    }
    console.log(`[threefry] worst |gpu - cpu| normal: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(NORMAL_TOLERANCE);
  });

  it('2^20 normals: mean, variance, KS distance and correlations within bounds from the sample size', () => {
    expectStandardNormal(gpu.normals, neighbour.normals, 2);
  });
});
