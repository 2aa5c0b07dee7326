// Every catalogue surface on the GPU (float32 WGSL) against its CPU reference
// (float64 TS): value, gradient and Hessian at random points of the domain and
// at the listed critical points, at default and non-default parameters.
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { SURFACES } from '../../src/model/surfaces';
import type { Surface } from '../../src/model/surface-types';
import { SURFACE_CASES, uniformPoints } from '../support/surface-cases';

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
  const xy = [...uniformPoints(s.domain, 64, SEED, stream), ...s.criticalPoints.map((c) => c.at)].flat();
  return xy.map(Math.fround);
}

const lab = useLabPage();

describe('surfaces on the GPU', () => {
  it.each(SURFACE_CASES)('$label: WGSL value, gradient and Hessian equal the CPU reference to float32 rounding', async ({ def, params }) => {
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

describe('one loss painter for the page and the videos', () => {
  // Himmelblau: contours, and markers of all three kinds (minima, saddles, a maximum)
  it("a video frame's map shows the page's loss image pixel for pixel", async () => {
    const width = 640, height = 240, panels = 3;
    const r = await lab.call<{ side: number; page: Uint8Array; video: Uint8Array }>('surfaces-paint', 'pageAndVideoLoss', 'himmelblau', {}, SEED, width, height, panels);
    expect(r.page.length).toBe(4 * r.side * r.side);
    expect(r.video.length).toBe(r.page.length);
    // the page's image is a colour map, not a flat fill: a blank frame cannot match it
    const colours = new Set<number>();
    for (let i = 0; i < r.page.length; i += 4) colours.add((r.page[i] << 16) | (r.page[i + 1] << 8) | r.page[i + 2]);
    expect(colours.size).toBeGreaterThan(100);
    // inside the map's 1-pixel frame (drawn over its edge) every pixel is the page's
    let differing = 0;
    for (let row = 1; row < r.side - 1; row++) {
      for (let col = 1; col < r.side - 1; col++) {
        const o = 4 * (row * r.side + col);
        for (let c = 0; c < 4; c++) if (r.page[o + c] !== r.video[o + c]) { differing++; break; }
      }
    }
    expect(differing, `pixels of ${(r.side - 2) ** 2} that differ`).toBe(0);
  });
});
