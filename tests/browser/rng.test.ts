import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPage, type LabPage } from './support/page';
import { RANDOM123_KAT, hex } from '../support/philox-kat';
import { streamBits, normals4 } from '../../src/sim/rng/reference';
import { ksCritical, ksDistance, meanVar, normalCdf } from '../support/stats';

let lab: LabPage;
beforeAll(async () => { lab = await openLabPage(); });
afterAll(async () => {
  expect(lab.errors).toEqual([]);
  await lab.close();
});

describe('Philox4x32-10 on the GPU', () => {
  it('reports a real WebGPU adapter', async () => {
    const info = await lab.call<{ vendor: string; architecture: string }>('gpu', 'adapterInfo');
    console.log(`[adapter] ${info.vendor} / ${info.architecture}`);
    expect(info.vendor.length).toBeGreaterThan(0);
  });

  it('reproduces the Random123 known-answer vectors', async () => {
    const out = await lab.call<Uint32Array>('rng', 'philoxKat', RANDOM123_KAT.map(({ counter, key }) => ({ counter, key })));
    RANDOM123_KAT.forEach((kat, i) => expect(hex(out.subarray(4 * i, 4 * i + 4))).toEqual(hex(kat.expected)));
  });

  const N_CALLS = 1 << 18; // 2^18 Philox calls -> 2^20 normals
  let gpu: { bits: Uint32Array; normals: Float32Array };
  let neighbour: { bits: Uint32Array; normals: Float32Array };
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
    // Box–Muller in f32: log, sqrt, cos/sin each carry a few ulp (WGSL allows
    // 2^-11 absolute error for sin/cos on [-pi, pi]); |z| <= 5.8, so 1e-3 absolute bounds it.
    let worst = 0;
    for (let i = 0; i < N_CALLS; i += 97) {
      const ref = normals4(20261128, 3, i, 41);
      for (let w = 0; w < 4; w++) worst = Math.max(worst, Math.abs(gpu.normals[4 * i + w] - ref[w]));
    }
    console.log(`[rng] worst |gpu - cpu| normal: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-3);
  });

  it('2^20 GPU normals: mean, variance, KS distance within bounds from the sample size', () => {
    const z = gpu.normals;
    const n = z.length;
    expect(z.every(Number.isFinite)).toBe(true); // sentinel (NaN) never survives
    const { mean, variance } = meanVar(z);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n)); // 5 standard errors of the mean
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n)); // sd of s^2 is sqrt(2/n)
    expect(ksDistance(z, normalCdf) * Math.sqrt(n)).toBeLessThan(ksCritical(1e-6));
  });

  it('neighbouring streams and neighbouring particles are uncorrelated (|r| < 5/sqrt(n))', () => {
    const corr = (a: ArrayLike<number>, b: ArrayLike<number>, n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i] * b[i];
      return s / n; // both have mean 0 and variance 1 (checked above)
    };
    const n = gpu.normals.length;
    expect(Math.abs(corr(gpu.normals, neighbour.normals, n))).toBeLessThan(5 / Math.sqrt(n));
    // particle i vs particle i+1 in the same stream (each normal vs the one 4 words later)
    expect(Math.abs(corr(gpu.normals, gpu.normals.subarray(4), n - 4))).toBeLessThan(5 / Math.sqrt(n - 4));
    // the two normals of one Box–Muller pair
    let s = 0;
    for (let i = 0; i < n; i += 2) s += gpu.normals[i] * gpu.normals[i + 1];
    expect(Math.abs(s / (n / 2))).toBeLessThan(5 / Math.sqrt(n / 2));
  });
});
