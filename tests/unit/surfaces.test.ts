// The surfaces catalogue against itself and the literature: analytic
// derivatives vs finite differences, critical points (gradient zero, kind from
// the Hessian's eigenvalues), published locations and values, and the
// finite-sum machinery (means, gradient covariance, seeded datasets).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SURFACES, findSurface } from '../../src/model/surfaces';
import { classifyHessian } from '../../src/model/surfaces/critical';
import { SURFACE_PARAM_SLOTS, type KnownCriticalPoint, type Surface, type SurfaceDefinition, type Vec2 } from '../../src/model/surface-types';
import { OTHER_PARAMS, SURFACE_CASES, uniformPoints } from '../support/surface-cases';

const SEED = 20260214;

/** n points uniform over the surface's domain, from Philox (key (SEED, stream)). */
const randomPoints = (s: Surface, n: number, stream: number): Vec2[] => uniformPoints(s.domain, n, SEED, stream);

const width = (s: Surface) => Math.max(s.domain.x[1] - s.domain.x[0], s.domain.y[1] - s.domain.y[0]);
const maxAbs = (xs: number[]) => xs.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Central difference of `f` along `dir` at p, and the tolerance it can be held
 * to. With step h the truncation error is c h^2 (c = f'''/6); D(h) - D(2h) =
 * -3 c h^2, so 2 |D(h) - D(2h)| is six times the estimated truncation error.
 * Rounding: f is computed to ~1 ulp of the magnitude T of its terms, giving
 * eps T / h in D; we allow 1000 eps T / h. With h = 1e-5 of the domain width,
 * both are ~1e-9 of the derivative's own scale: a wrong coefficient is never
 * inside the tolerance.
 */
function centralDifference(f: (x: number, y: number) => number, p: Vec2, dir: 0 | 1, h: number, T: number) {
  const at = (t: number) => (dir === 0 ? f(p[0] + t, p[1]) : f(p[0], p[1] + t));
  const d1 = (at(h) - at(-h)) / (2 * h);
  const d2 = (at(2 * h) - at(-2 * h)) / (4 * h);
  return { d: d1, tol: 2 * Math.abs(d1 - d2) + (1000 * Number.EPSILON * T) / h };
}

describe('surfaces catalogue', () => {
  it('has unique names, at most SURFACE_PARAM_SLOTS params with defaults in range, and a WGSL module for each', () => {
    expect(new Set(SURFACES.map((s) => s.name)).size).toBe(SURFACES.length);
    for (const def of SURFACES) {
      expect(findSurface(def.name)).toBe(def);
      expect(def.params.length).toBeLessThanOrEqual(SURFACE_PARAM_SLOTS);
      expect(def.params.length, `${def.name}: every WGSL function reads a param, so the group(1) layout always has binding 0`).toBeGreaterThan(0);
      for (const p of def.params) {
        expect(p.default, `${def.name}.${p.name}`).toBeGreaterThanOrEqual(p.min);
        expect(p.default, `${def.name}.${p.name}`).toBeLessThanOrEqual(p.max);
      }
      const s = def.create({}, SEED);
      expect(existsSync(`shaders/${s.wgslModule}`), s.wgslModule).toBe(true);
      expect(s.name).toBe(def.name);
      expect(s.finiteSum !== undefined).toBe(def.finiteSum);
      expect(Array.from(s.packedParams.subarray(0, def.params.length))).toEqual(def.params.map((p) => Math.fround(p.default)));
      const other = OTHER_PARAMS[def.name];
      expect(other, `${def.name} needs a non-default parameter set in OTHER_PARAMS`).toBeDefined();
      for (const [k, v] of Object.entries(other)) expect(def.params.find((p) => p.name === k)?.default, `${def.name}.${k}`).not.toBe(v);
    }
    expect(findSurface('quadratic')!.params.map((p) => p.name)).toEqual(['a', 'b', 'angle']);
  });

  describe.each(SURFACE_CASES)('$label', ({ def, params }) => {
    const s = def.create(params, SEED);
    const points = randomPoints(s, 50, SURFACES.indexOf(def));
    const values = points.map(([x, y]) => s.value(x, y));
    const grads = points.map(([x, y]) => s.gradient(x, y));
    const T = maxAbs(values) + 1e-300; // magnitude of the loss over the domain
    const G = maxAbs(grads.flat()) + 1e-300; // magnitude of its gradient
    const h = 1e-5 * width(s);

    it('gradient equals central differences of the value at 50 random points', () => {
      for (const p of points) {
        const g = s.gradient(p[0], p[1]);
        for (const dir of [0, 1] as const) {
          const { d, tol } = centralDifference(s.value, p, dir, h, T);
          expect(Math.abs(g[dir] - d), `d/d${'xy'[dir]} at (${p})`).toBeLessThanOrEqual(tol);
        }
      }
    });

    it('Hessian equals central differences of the gradient at 50 random points', () => {
      for (const p of points) {
        const [hxx, hxy, hyy] = s.hessian(p[0], p[1]);
        const gx = (x: number, y: number) => s.gradient(x, y)[0];
        const gy = (x: number, y: number) => s.gradient(x, y)[1];
        const checks: [number, ReturnType<typeof centralDifference>, string][] = [
          [hxx, centralDifference(gx, p, 0, h, G), 'f_xx'],
          [hxy, centralDifference(gx, p, 1, h, G), 'f_xy = d(f_x)/dy'],
          [hxy, centralDifference(gy, p, 0, h, G), 'f_xy = d(f_y)/dx'],
          [hyy, centralDifference(gy, p, 1, h, G), 'f_yy'],
        ];
        for (const [exact, { d, tol }, what] of checks) expect(Math.abs(exact - d), `${what} at (${p})`).toBeLessThanOrEqual(tol);
      }
    });

    it('lists critical points with zero gradient, their value, and the kind their Hessian (or neighbourhood) says', () => {
      for (const c of s.criticalPoints) {
        const [x, y] = c.at;
        // stored to rounding: the gradient is ~1e-16 of its scale there; 1e-9 G leaves room for Newton's stopping rule
        expect(Math.hypot(...s.gradient(x, y)), `|grad| at ${c.kind} (${c.at})`).toBeLessThanOrEqual(1e-9 * G);
        expect(c.value, `value at (${c.at})`).toBeDefined();
        expect(Math.abs(c.value! - s.value(x, y))).toBeLessThanOrEqual(1e-12 * Math.max(T, 1));
        expect(kindAt(s, c), `kind at (${c.at})`).toBe(c.kind);
      }
      let closest = Infinity; // no point listed twice
      s.criticalPoints.forEach((c, i) => s.criticalPoints.slice(0, i).forEach((d) => {
        closest = Math.min(closest, Math.hypot(c.at[0] - d.at[0], c.at[1] - d.at[1]));
      }));
      expect(closest).toBeGreaterThan(1e-7 * width(s));
    });

    it('value, gradient and Hessian stay finite over the domain and at the critical points', () => {
      for (const [x, y] of [...points, ...s.criticalPoints.map((c) => c.at)]) {
        expect([s.value(x, y), ...s.gradient(x, y), ...s.hessian(x, y)].every(Number.isFinite), `at (${x}, ${y})`).toBe(true);
      }
    });
  });
});

/**
 * The kind of a critical point: from the Hessian's eigenvalue signs; where the
 * Hessian is singular (a monkey saddle), from the loss on a small circle around
 * it: above everywhere = minimum, below = maximum, both = saddle.
 */
function kindAt(s: Surface, c: KnownCriticalPoint): string {
  const [x, y] = c.at;
  const fromHessian = classifyHessian(s.hessian(x, y));
  if (fromHessian) return fromHessian;
  const rho = 1e-3 * width(s), f0 = s.value(x, y);
  const diffs = Array.from({ length: 72 }, (_, k) => s.value(x + rho * Math.cos((k * Math.PI) / 36), y + rho * Math.sin((k * Math.PI) / 36)) - f0);
  if (diffs.every((d) => d > 0)) return 'minimum';
  if (diffs.every((d) => d < 0)) return 'maximum';
  return diffs.some((d) => d > 0) && diffs.some((d) => d < 0) ? 'saddle' : 'degenerate';
}

function count(s: Surface, kind: string): number {
  return s.criticalPoints.filter((c) => c.kind === kind).length;
}

/** The listed point nearest to `at` (throws if none is within `tol` in each coordinate). */
function pointNear(s: Surface, at: Vec2, tol: number): KnownCriticalPoint {
  const c = s.criticalPoints.find((p) => Math.abs(p.at[0] - at[0]) <= tol && Math.abs(p.at[1] - at[1]) <= tol);
  if (!c) throw new Error(`${s.name}: no listed critical point within ${tol} of (${at})`);
  return c;
}

describe('published critical points', () => {
  const create = (name: string, params: Record<string, number> = {}) => findSurface(name)!.create(params, SEED);

  it('rosenbrock: the minimum (a, a²), value 0 (Rosenbrock, Comput. J. 3, 175 (1960))', () => {
    const s = create('rosenbrock');
    expect(s.criticalPoints).toHaveLength(1);
    expect(s.criticalPoints[0]).toMatchObject({ kind: 'minimum', at: [1, 1], value: 0 });
  });

  it('himmelblau: four minima of value 0 and the local maximum 181.617 (Himmelblau 1972, as tabulated in Wikipedia "Himmelblau\'s function")', () => {
    const s = create('himmelblau');
    const minima: Vec2[] = [[3, 2], [-2.805118, 3.131312], [-3.77931, -3.283186], [3.584428, -1.848126]];
    // published with 6 decimals, some truncated (3.1313125 appears as 3.131312): within 1e-6
    for (const at of minima) expect(pointNear(s, at, 1e-6)).toMatchObject({ kind: 'minimum', value: 0 });
    const max = pointNear(s, [-0.270845, -0.923039], 1e-6);
    expect(max.kind).toBe('maximum');
    expect(Math.abs(max.value! - 181.617)).toBeLessThanOrEqual(5e-4);
    expect([count(s, 'minimum'), count(s, 'saddle'), count(s, 'maximum')]).toEqual([4, 4, 1]);
  });

  it('six-hump camel: global minima ±(0.0898, -0.7126), value -1.0316, among 6 minima (Dixon & Szegő 1978; Surjanovic & Bingham, Virtual Library of Simulation Experiments)', () => {
    const s = create('six-hump-camel');
    // published truncated to 4 decimals (the refined minimum is (0.089842, -0.712656)): within 1e-4
    for (const at of [[0.0898, -0.7126], [-0.0898, 0.7126]] as Vec2[]) {
      const c = pointNear(s, at, 1e-4);
      expect(c.kind).toBe('minimum');
      expect(Math.abs(c.value! - -1.0316)).toBeLessThanOrEqual(5e-5);
    }
    expect(Math.min(...s.criticalPoints.map((c) => c.value!))).toBeCloseTo(-1.0316, 4);
    // 15 critical points in all: 6 minima, 7 saddles, 2 maxima
    expect([count(s, 'minimum'), count(s, 'saddle'), count(s, 'maximum')]).toEqual([6, 7, 2]);
  });

  it('muller-brown: 3 minima and 2 saddles with the coordinates and energies of Müller & Brown (1979), table 1', () => {
    const s = create('muller-brown');
    const published: [string, Vec2, number][] = [
      ['minimum', [-0.558, 1.442], -146.70],
      ['minimum', [0.623, 0.028], -108.17],
      ['minimum', [-0.050, 0.467], -80.77],
      ['saddle', [-0.822, 0.624], -40.66],
      ['saddle', [0.212, 0.293], -72.25],
    ];
    // coordinates to 3 decimals and energies to 2: the refined values must round to them
    for (const [kind, at, energy] of published) {
      const c = pointNear(s, at, 5e-4 + 1e-12);
      expect(c.kind).toBe(kind);
      expect(Math.abs(c.value! - energy)).toBeLessThanOrEqual(5e-3 + 1e-12);
    }
    expect(s.criticalPoints).toHaveLength(5);
    // scale multiplies the energies, not the locations
    const scaled = create('muller-brown', { scale: 0.01 });
    expect(scaled.criticalPoints[0].value).toBeCloseTo(0.01 * s.criticalPoints[0].value!, 12);
  });

  it('styblinski-tang: global minimum at t* = -2.903534 on each axis, -39.166 per axis (Styblinski & Tang 1990; Surjanovic & Bingham)', () => {
    const s = create('styblinski-tang');
    const c = pointNear(s, [-2.903534, -2.903534], 5e-7 + 1e-12);
    expect(c.kind).toBe('minimum');
    // Surjanovic & Bingham list -39.16599 per axis; the exact root gives -39.166166 (their last digits are off)
    expect(Math.abs(c.value! / 2 - -39.16599)).toBeLessThanOrEqual(2e-4);
    expect(Math.min(...s.criticalPoints.map((p) => p.value!))).toBe(c.value);
    expect([count(s, 'minimum'), count(s, 'saddle'), count(s, 'maximum')]).toEqual([4, 4, 1]);
  });

  it('rastrigin and ackley: global minimum 0 at the origin (Rastrigin 1974; Ackley 1987), and 121 ripple minima in the view', () => {
    for (const name of ['rastrigin', 'ackley']) {
      const s = create(name);
      const c = pointNear(s, [0, 0], 0);
      expect(c.kind).toBe('minimum');
      expect(Math.abs(c.value!)).toBeLessThanOrEqual(1e-12);
      expect(Math.min(...s.criticalPoints.map((p) => p.value!))).toBe(c.value);
      // one ripple minimum near each integer point of [-5, 5]^2, maxima near the cell centres, saddles between
      expect([count(s, 'minimum'), count(s, 'saddle'), count(s, 'maximum')], name).toEqual([121, 220, 100]);
    }
  });

  it('ackley: the rounded cone tip gives a zero gradient and a finite Hessian at the origin', () => {
    const s = create('ackley');
    for (const [x, y] of [[0, 0], [1e-300, 0], [0, -5e-324], [1e-12, 1e-12]] as Vec2[]) {
      expect([s.value(x, y), ...s.gradient(x, y), ...s.hessian(x, y)].every(Number.isFinite)).toBe(true);
    }
    expect(s.gradient(0, 0)).toEqual([0, 0]);
    // away from the tip it is Ackley's function: f(1, 1) = -20 exp(-0.2) - exp(cos 2pi) + 20 + e
    expect(s.value(1, 1)).toBeCloseTo(-20 * Math.exp(-0.2) - Math.E + 20 + Math.E, 8);
  });

  it('monkey-saddle, ring-valley, double-well, quadratic: the analytic critical points', () => {
    const monkey = create('monkey-saddle', { confine: 0.5 });
    expect(pointNear(monkey, [0, 0], 0).kind).toBe('saddle');
    expect(count(monkey, 'minimum')).toBe(3);
    for (const c of monkey.criticalPoints.filter((p) => p.kind === 'minimum')) {
      expect(Math.hypot(...c.at)).toBeCloseTo(1.5, 12); // R = 3 / (4 confine)
      expect(c.value).toBeCloseTo(-27 / (256 * 0.125), 12);
    }
    expect(create('monkey-saddle', { confine: 0 }).criticalPoints).toHaveLength(1);
    expect(create('ring-valley', { R: 1.4, height: 3 }).criticalPoints).toEqual([expect.objectContaining({ kind: 'maximum', at: [0, 0], value: 3 })]);
    const dw = create('double-well');
    expect(dw.criticalPoints.map((c) => c.kind)).toEqual(['minimum', 'saddle', 'minimum']);
    dw.criticalPoints.forEach((c, i) => expect(c.at[0]).toBeCloseTo(i - 1, 12));
    expect(create('quadratic', { a: 2, b: -1 }).criticalPoints[0].kind).toBe('saddle');
    expect(create('quadratic', { a: -2, b: -1 }).criticalPoints[0].kind).toBe('maximum');
    expect(create('quadratic', { a: 0 }).criticalPoints).toEqual([]); // a line of minima, none isolated
  });
});

describe('finite-sum surfaces', () => {
  const finite = SURFACES.filter((d) => d.finiteSum);
  const fsCases = SURFACE_CASES.filter((c) => c.def.finiteSum);

  it('are deep-linear, logistic-2d and tanh-neuron', () => {
    expect(finite.map((d) => d.name)).toEqual(['deep-linear', 'logistic-2d', 'tanh-neuron']);
  });

  describe.each(fsCases)('$label', ({ def, params }) => {
    const s = def.create(params, SEED);
    const fs = s.finiteSum!;
    const points = randomPoints(s, 20, 1000 + SURFACES.indexOf(def));

    it('has one vec4f per sample, as many samples as asked', () => {
      const asked = params.samples ?? def.params.find((p) => p.name === 'samples')!.default;
      expect(fs.sampleCount).toBe(asked);
      expect(fs.dataset.length).toBe(4 * asked);
      expect(fs.dataset.every(Number.isFinite)).toBe(true);
    });

    it('value and gradient are the means of the per-sample ones', () => {
      for (const [x, y] of points) {
        let v = 0, gx = 0, gy = 0;
        for (let i = 0; i < fs.sampleCount; i++) {
          v += fs.sampleValue(x, y, i);
          const g = fs.sampleGradient(x, y, i);
          gx += g[0];
          gy += g[1];
        }
        const n = fs.sampleCount;
        const [ex, ey] = s.gradient(x, y);
        // same sums in the same order: equal to rounding
        expect(s.value(x, y)).toBeCloseTo(v / n, 12);
        expect(Math.abs(ex - gx / n)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(ex)));
        expect(Math.abs(ey - gy / n)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(ey)));
      }
    });

    it('per-sample gradients equal central differences of per-sample values', () => {
      const h = 1e-5 * width(s);
      for (const p of points.slice(0, 5)) {
        for (let i = 0; i < fs.sampleCount; i += 7) {
          const f = (x: number, y: number) => fs.sampleValue(x, y, i);
          const T = Math.abs(f(p[0], p[1])) + 1;
          const g = fs.sampleGradient(p[0], p[1], i);
          for (const dir of [0, 1] as const) {
            const { d, tol } = centralDifference(f, p, dir, h, T);
            expect(Math.abs(g[dir] - d), `sample ${i} at (${p})`).toBeLessThanOrEqual(tol);
          }
        }
      }
    });

    it('gradientCovariance is the population covariance (1/N) of the per-sample gradients', () => {
      for (const [x, y] of points) {
        const gs = Array.from({ length: fs.sampleCount }, (_, i) => fs.sampleGradient(x, y, i));
        const n = gs.length;
        const mx = gs.reduce((a, g) => a + g[0], 0) / n, my = gs.reduce((a, g) => a + g[1], 0) / n;
        // E[g g^T] - mean mean^T: a different formula from the surface's centred sums
        const direct = [
          gs.reduce((a, g) => a + g[0] * g[0], 0) / n - mx * mx,
          gs.reduce((a, g) => a + g[0] * g[1], 0) / n - mx * my,
          gs.reduce((a, g) => a + g[1] * g[1], 0) / n - my * my,
        ];
        const scale = gs.reduce((a, g) => a + g[0] * g[0] + g[1] * g[1], 0) / n; // E|g|^2 bounds every term
        const cov = fs.gradientCovariance(x, y);
        for (let k = 0; k < 3; k++) expect(Math.abs(cov[k] - direct[k])).toBeLessThanOrEqual(1e-12 * scale);
        expect(cov[0]).toBeGreaterThanOrEqual(0);
        expect(cov[0] * cov[2] - cov[1] * cov[1]).toBeGreaterThanOrEqual(-1e-12 * scale * scale);
      }
    });

    it('dataset is a function of the seed: equal for the same seed, different for another', () => {
      expect(def.create(params, SEED).finiteSum!.dataset).toEqual(fs.dataset);
      const other = def.create(params, SEED + 1).finiteSum!.dataset;
      let differing = 0;
      for (let i = 0; i < other.length; i++) if (other[i] !== fs.dataset[i]) differing++;
      expect(differing).toBe(other.length);
    });
  });

  it('samples is rounded to an integer in [1, 4096]', () => {
    const def = findSurface('deep-linear')!;
    expect(def.create({ samples: 10.4 }, 1).finiteSum!.sampleCount).toBe(10);
    expect(def.create({ samples: 0 }, 1).finiteSum!.sampleCount).toBe(1);
    expect(def.create({ samples: 1e6 }, 1).finiteSum!.sampleCount).toBe(4096);
  });

  it('dataset samples are standard normals (mean 0, variance 1 within 5 standard errors)', () => {
    const data = findSurface('deep-linear')!.create({ samples: 4096 }, 3).finiteSum!.dataset;
    const n = data.length;
    const mean = data.reduce((a, v) => a + v, 0) / n;
    const variance = data.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('deep-linear: the minima fill the hyperbola w1 w2 = <u t>/<u²>; the origin is a saddle of value <t²>', () => {
    const s = findSurface('deep-linear')!.create({}, SEED);
    const fs = s.finiteSum!;
    let uu = 0, ut = 0, tt = 0;
    for (let i = 0; i < fs.sampleCount; i++) {
      const u = fs.dataset[4 * i], t = 1 * u + 0.1 * fs.dataset[4 * i + 1];
      uu += u * u; ut += u * t; tt += t * t;
    }
    const n = fs.sampleCount, c = ut / uu;
    for (const w1 of [0.5, 1, -1.7]) {
      expect(Math.hypot(...s.gradient(w1, c / w1))).toBeLessThan(1e-12);
      expect(s.value(w1, c / w1)).toBeCloseTo(tt / n - (ut * ut) / (uu * n), 12);
    }
    expect(s.criticalPoints).toEqual([expect.objectContaining({ kind: 'saddle', at: [0, 0] })]);
    expect(s.criticalPoints[0].value).toBeCloseTo(tt / n, 12);
  });

  it('logistic-2d: one minimum while the blobs overlap, none once the data are separable', () => {
    const def = findSurface('logistic-2d')!;
    expect(def.create({}, SEED).criticalPoints.map((c) => c.kind)).toEqual(['minimum']);
    expect(def.create({ separation: 6, spread: 0.3 }, SEED).criticalPoints).toEqual([]);
    // no overflow far out along a margin
    const s = def.create({}, SEED);
    expect([s.value(1e3, 1e3), ...s.gradient(1e3, 1e3), ...s.hessian(-1e3, 1e3)].every(Number.isFinite)).toBe(true);
  });

  it('tanh-neuron: the minimum lies near the teacher (weight, bias)', () => {
    const s = findSurface('tanh-neuron')!.create({}, SEED);
    const minima = s.criticalPoints.filter((c) => c.kind === 'minimum');
    const best = minima.reduce((a, b) => (a.value! <= b.value! ? a : b));
    expect(Math.abs(best.at[0] - 1.5)).toBeLessThan(0.3);
    expect(Math.abs(best.at[1] - -0.5)).toBeLessThan(0.3);
  });
});

/** Every catalogue surface is covered by the cases above. */
it('tests every surface of the catalogue', () => {
  const tested = new Set(SURFACE_CASES.map((c) => c.def));
  expect(SURFACES.every((d: SurfaceDefinition) => tested.has(d))).toBe(true);
});
