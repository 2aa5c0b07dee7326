// Every catalogue surface on the GPU (float32 WGSL) against its CPU reference
// (float64 TS): value, gradient and Hessian at random points of the domain and
// at the listed critical points, at default and non-default parameters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPage, type LabPage } from './support/page';
import { SURFACES } from '../../src/model/surfaces';
import type { Surface, SurfaceDefinition } from '../../src/model/surface-types';
import { streamBits, uniformOpen } from '../../src/rng/philox';

/** A non-default parameter set per surface. */
const OTHER_PARAMS: Record<string, Record<string, number>> = {
  'double-well': { h: 2.5, tilt: 0.7 },
  quadratic: { a: 3, b: -0.5, angle: 0.7 },
  rosenbrock: { a: -0.7, b: 20, scale: 0.05 },
  himmelblau: { scale: 0.01 },
  rastrigin: { A: 3 },
  ackley: { a: 10, b: 0.5, c: 3 },
  'six-hump-camel': { scale: 2.5 },
  'muller-brown': { scale: 0.01 },
  'monkey-saddle': { confine: 1.2 },
  'ring-valley': { R: 1.4, height: 3 },
  'styblinski-tang': { scale: 0.1 },
  'deep-linear': { teacher: -1.5, noise: 0.5, samples: 200 },
  'logistic-2d': { separation: 1, spread: 1.5, samples: 300 },
  'tanh-neuron': { teacherWeight: -2, teacherBias: 1, noise: 0.3, samples: 150 },
};

const SEED = 777;
const U = 2 ** -24; // float32 unit roundoff
const OUTPUTS = ['f', 'f_x', 'f_y', 'f_xx', 'f_xy', 'f_yy'];

/** Surfaces whose WGSL calls sin/cos (of their argument or of a parameter). */
const TRIG = new Set(['quadratic', 'rastrigin', 'ackley']);

/**
 * Allowed |gpu - cpu|, relative to the output's scale (its largest magnitude
 * over the random points, or its own magnitude if larger).
 * - Arithmetic, exp, log, tanh, sqrt: each output is a sum of a few terms no
 *   larger than a few times the scale, each a product of ~10 correctly rounded
 *   factors (0.5 ulp) and built-ins WGSL bounds by a few ulp (exp: 3 + 2|x| ulp,
 *   |x| <= ~5 where it matters here; log 3 ulp; sqrt 2.5 ulp): 64 u. A mean over
 *   N samples adds the summation error, a random walk of ~sqrt(N) u/sqrt(3) per
 *   unit of the mean's scale; 8 sqrt(N) u is about 14 standard deviations.
 * - sin/cos: WGSL allows 2^-11 absolute error on [-pi, pi] (SwiftShader uses
 *   about half of it); the WGSL reduces every argument to that range first. An
 *   output is a sum of trig terms whose coefficients add up to at most ~2x
 *   the scale, and Ackley's exp((cos cx + cos cy)/2) doubles the error again:
 *   4 * 2^-11.
 */
function tolerance(name: string, samples: number): number {
  return TRIG.has(name) ? 4 * 2 ** -11 : (64 + 8 * Math.sqrt(samples)) * U;
}

/** 64 float32 points uniform over the domain (Philox, key (SEED, stream)), then the critical points, as x0 y0 x1 y1 ... */
function testPoints(s: Surface, stream: number): number[] {
  const { x, y } = s.domain;
  const xy: number[] = [];
  for (let i = 0; i < 64; i++) {
    const b = streamBits(SEED, stream, i, 0);
    xy.push(x[0] + uniformOpen(b[0]) * (x[1] - x[0]), y[0] + uniformOpen(b[1]) * (y[1] - y[0]));
  }
  for (const c of s.criticalPoints) xy.push(...c.at);
  return xy.map(Math.fround);
}

let lab: LabPage;
beforeAll(async () => { lab = await openLabPage(); });
afterAll(async () => {
  expect(lab.errors).toEqual([]);
  await lab.close();
});

const cases = SURFACES.flatMap((def: SurfaceDefinition) => [
  { label: `${def.name} (defaults)`, def, params: {} as Record<string, number> },
  { label: `${def.name} (${JSON.stringify(OTHER_PARAMS[def.name])})`, def, params: OTHER_PARAMS[def.name] },
]);

describe('surfaces on the GPU', () => {
  it.each(cases)('$label: WGSL value, gradient and Hessian equal the CPU reference to float32 rounding', async ({ def, params }) => {
    const s = def.create(params, SEED);
    const xy = testPoints(s, SURFACES.indexOf(def));
    const n = xy.length / 2;
    const gpu = await lab.call<{ auto: Float32Array; explicit: Float32Array; packedParams: Float32Array; dataset: Float32Array }>('surfaces', 'evaluate', def.name, params, SEED, xy);
    // the page built the same surface: same parameters, same dataset bit for bit
    expect(Array.from(gpu.packedParams)).toEqual(Array.from(s.packedParams));
    expect(Array.from(gpu.dataset)).toEqual(Array.from(s.finiteSum?.dataset ?? []));
    // both group(1) routes (auto layout, SurfaceBinding.layout) give the same bits
    expect(Array.from(gpu.explicit)).toEqual(Array.from(gpu.auto));

    const ref = Array.from({ length: n }, (_, i) => {
      const [x, y] = [xy[2 * i], xy[2 * i + 1]];
      return [s.value(x, y), ...s.gradient(x, y), ...s.hessian(x, y)];
    });
    // magnitude of each output over the random points: the size of the terms rounding acts on
    const scale = OUTPUTS.map((_, k) => Math.max(...ref.slice(0, 64).map((r) => Math.abs(r[k]))));
    const tol = tolerance(def.name, s.finiteSum?.sampleCount ?? 0);
    const worst = OUTPUTS.map(() => 0); // largest |gpu - cpu| / scale per output
    for (let i = 0; i < n; i++) {
      const g = [gpu.auto[8 * i], gpu.auto[8 * i + 1], gpu.auto[8 * i + 2], gpu.auto[8 * i + 4], gpu.auto[8 * i + 5], gpu.auto[8 * i + 6]];
      // sentinel NaN: every point written, including the zero padding
      expect([gpu.auto[8 * i + 3], gpu.auto[8 * i + 7]], `padding of point ${i}`).toEqual([0, 0]);
      OUTPUTS.forEach((out, k) => {
        const relative = Math.abs(g[k] - ref[i][k]) / Math.max(scale[k], Math.abs(ref[i][k]), 1e-30);
        expect(relative, `${out} at (${xy[2 * i]}, ${xy[2 * i + 1]}): gpu ${g[k]}, cpu ${ref[i][k]}`).toBeLessThanOrEqual(tol);
        worst[k] = Math.max(worst[k], relative);
      });
    }
    console.log(`[surfaces] ${def.name} ${JSON.stringify(params)}: worst error / scale ${worst.map((w) => w.toExponential(1)).join(' ')} (allowed ${tol.toExponential(1)})`);
  });
});
