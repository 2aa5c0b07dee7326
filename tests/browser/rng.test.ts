import { beforeAll, describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { RANDOM123_KAT, THREEFRY_KAT, hex, hexPerCase, katInputs } from '../support/random123-kat';
import { adapterMismatches, expectedAdapterKind } from '../support/expected-adapter';
import { streamBits, normals4 } from '../../src/rng/philox';
import { stepBits, stepNormals2 } from '../../src/rng/threefry';
import { ksCritical, ksDistance, meanVar, normalCdf } from '../support/stats';

const lab = useLabPage();

type Draws = { bits: Uint32Array; normals: Float32Array };

/** Calls (`words` u32 each, all `calls` of them) whose GPU words differ from the CPU reference's. */
function mismatchedCalls(bits: Uint32Array, words: number, calls: number, reference: (i: number) => ArrayLike<number>): number {
  let mismatches = 0;
  for (let i = 0; i < calls; i++) {
    const ref = reference(i);
    for (let w = 0; w < words; w++) {
      if (bits[words * i + w] !== ref[w]) { mismatches++; break; }
    }
  }
  return mismatches;
}

/** Largest |gpu - cpu| over the normals of every 97th call (`words` normals per call). */
function worstNormalError(normals: Float32Array, words: number, calls: number, reference: (i: number) => ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < calls; i += 97) {
    const ref = reference(i);
    for (let w = 0; w < words; w++) worst = Math.max(worst, Math.abs(normals[words * i + w] - ref[w]));
  }
  return worst;
}

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

describe('the WebGPU adapter', () => {
  it('runs on the adapter the test run asked for (SwiftShader unless SGD_LAB_GPU=hardware)', async () => {
    const info = await lab.call<{ vendor: string; architecture: string; isFallbackAdapter: boolean }>('gpu', 'adapterInfo');
    console.log(`[adapter] ${info.vendor} / ${info.architecture}`);
    expect(adapterMismatches(info, expectedAdapterKind())).toEqual([]);
  });
});

/** A generator's GPU harness calls, its CPU reference and the stream it is checked on. */
interface GeneratorCase {
  title: string;
  tag: string;
  /** u32 words (and normals) per call */
  words: number;
  kats: readonly { counter: number[]; key: number[]; expected: number[] }[];
  /** harness/rng.ts functions: known answers, and `count` calls' words and normals */
  katCall: string;
  drawsCall: string;
  seed: number;
  stream: number;
  step: number;
  referenceBits(seed: number, stream: number, i: number, step: number): ArrayLike<number>;
  referenceNormals(seed: number, stream: number, i: number, step: number): ArrayLike<number>;
}

const GENERATORS: GeneratorCase[] = [
  {
    title: 'Philox4x32-10 on the GPU (initial clouds, datasets)', tag: 'philox', words: 4, kats: RANDOM123_KAT,
    katCall: 'philoxKat', drawsCall: 'normals', seed: 20261128, stream: 3, step: 41,
    referenceBits: streamBits, referenceNormals: normals4,
  },
  {
    title: 'Threefry-2x32-20 on the GPU (the particle steps\' noise and minibatch draws)', tag: 'threefry', words: 2, kats: THREEFRY_KAT,
    katCall: 'threefryKat', drawsCall: 'stepNormals', seed: 99, stream: 2, step: 12345,
    referenceBits: (seed, stream, i, step) => stepBits(seed, stream, i, step, 0), referenceNormals: stepNormals2,
  },
];

describe.each(GENERATORS)('$title', (g) => {
  it('reproduces the Random123 known-answer vectors', async () => {
    const out = await lab.call<Uint32Array>('rng', g.katCall, katInputs(g.kats));
    expect(hexPerCase(out, g.words)).toEqual(g.kats.map((kat) => hex(kat.expected)));
  });

  const N_CALLS = (1 << 20) / g.words; // 2^20 normals
  let gpu: Draws, neighbour: Draws;
  beforeAll(async () => {
    gpu = await lab.call('rng', g.drawsCall, g.seed, g.stream, g.step, N_CALLS);
    neighbour = await lab.call('rng', g.drawsCall, g.seed, g.stream + 1, g.step, N_CALLS);
  });

  it('integer stream equals the CPU reference bit for bit (every call)', () => {
    expect(mismatchedCalls(gpu.bits, g.words, N_CALLS, (i) => g.referenceBits(g.seed, g.stream, i, g.step))).toBe(0);
  });

  it('normals equal the CPU reference to float32 transcendental accuracy', () => {
    const worst = worstNormalError(gpu.normals, g.words, N_CALLS, (i) => g.referenceNormals(g.seed, g.stream, i, g.step));
    console.log(`[${g.tag}] worst |gpu - cpu| normal: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(NORMAL_TOLERANCE);
  });

  it('2^20 normals: mean, variance, KS distance and correlations within bounds from the sample size', () => {
    expectStandardNormal(gpu.normals, neighbour.normals, g.words);
  });
});
