// Plane geometry of weight space (src/sim/network/plane.ts) and the CPU
// principal plane (pca-reference.ts). Tolerances: the plane's vectors are
// computed in float64 and rounded to float32, so each component carries a
// relative error of at most 2^-24 (u = 2^-24 below); sums of D products add
// float64 rounding, far smaller.
import { describe, expect, it } from 'vitest';
import { normals4 } from '../../src/rng/philox';
import { networkLayout } from '../../src/model/network/spec';
import {
  filterNormalizedDirection, filterNormalizedPlane, garipovPlane, packPlane, planeCoordinates, planeFromDirections, planePoint, type WeightPlane,
} from '../../src/sim/network/plane';
import { gridNodes, rangeAround } from '../../src/sim/network/plane-landscape';
import { pcaReference } from '../../src/sim/network/pca-reference';

const U = 2 ** -24;

/** D standard normals from Philox (test stream k). */
function gaussian(D: number, seed: number, k: number, scale = 1): Float32Array {
  return Float32Array.from({ length: D }, (_, d) => scale * normals4(seed, 0x54455354, k, 0, d >> 2)[d & 3]);
}

const dot = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
};

function expectOrthonormal(p: WeightPlane) {
  // |u|^2 = sum u_i^2 (1 + d_i)^2 with |d_i| <= 2^-24: within 2.5 u of 1; u.v within 2 u of 0
  expect(Math.abs(dot(p.u, p.u) - 1)).toBeLessThan(2.5 * U);
  expect(Math.abs(dot(p.v, p.v) - 1)).toBeLessThan(2.5 * U);
  expect(Math.abs(dot(p.u, p.v))).toBeLessThan(2 * U);
}

describe('weight-space planes', () => {
  const D = networkLayout([8, 8]).params; // 105

  it('garipovPlane: orthonormal, and its coordinates of a, b, c give back a, b, c', () => {
    const a = gaussian(D, 1, 0), b = gaussian(D, 1, 1), c = gaussian(D, 1, 2);
    const { plane, points } = garipovPlane(a, b, c);
    expectOrthonormal(plane);
    expect(points[0]).toEqual([0, 0]); // the origin is a itself
    expect(Math.abs(points[1][1])).toBeLessThan(4 * U * Math.hypot(...Array.from(b, (x, i) => x - a[i])));
    expect(points[1][0]).toBeCloseTo(Math.hypot(...Array.from(b, (x, i) => x - a[i])), 5);
    [a, b, c].forEach((x, k) => {
      const [pa, pb] = points[k];
      const back = planePoint(plane, pa, pb);
      for (let d = 0; d < D; d++) {
        // x - a lies in the float64 plane; with u, v rounded to float32 (|du|, |dv| <= 2^-24) the projection
        // u (u.x') + v (v.x') errs by du (u.x') + u (du.x') + (the same for v): per component at most
        // 2^-24 (|u_d| (|pa| + r) + |v_d| (|pb| + r)), r = |x - a|; x 1.5 for the float64 sums and second order
        const r = Math.hypot(...Array.from(x, (xi, i) => xi - a[i]));
        const tol = 1.5 * U * (Math.abs(plane.u[d]) * (Math.abs(pa) + r) + Math.abs(plane.v[d]) * (Math.abs(pb) + r)) + 1e-12;
        expect(Math.abs(back[d] - x[d]), `point ${k} parameter ${d}`).toBeLessThan(tol);
      }
      expect(planeCoordinates(plane, x).distance).toBeLessThan(1e-5);
    });
    // the third point is off the u axis, on the positive v side (v is the part of c - a orthogonal to u)
    expect(points[2][1]).toBeGreaterThan(0);
  });

  it('garipovPlane refuses equal or collinear networks', () => {
    const a = gaussian(D, 2, 0), b = gaussian(D, 2, 1);
    expect(() => garipovPlane(a, a, b)).toThrow(/equal/);
    const mid = Float32Array.from(a, (x, i) => x + 2 * (b[i] - x));
    expect(() => garipovPlane(a, b, mid)).toThrow(/parallel/);
  });

  it('planeCoordinates recovers (a, b) and the distance of a point built off the plane', () => {
    const plane = planeFromDirections(gaussian(D, 3, 0), gaussian(D, 3, 1), gaussian(D, 3, 2));
    // a unit normal: a fourth direction with its plane part removed
    const n = Float64Array.from(gaussian(D, 3, 3));
    const cu = dot(n, plane.u), cv = dot(n, plane.v);
    for (let d = 0; d < D; d++) n[d] -= cu * plane.u[d] + cv * plane.v[d];
    const nn = Math.sqrt(dot(n, n));
    const x = Float64Array.from(planePoint(plane, 1.5, -2), (o, d) => o + (0.3 * n[d]) / nn);
    const p = planeCoordinates(plane, x);
    expect(p.a).toBeCloseTo(1.5, 6);
    expect(p.b).toBeCloseTo(-2, 6);
    expect(p.distance).toBeCloseTo(0.3, 6);
  });

  it('filterNormalizedPlane: each filter (row of W) has the centre row norm, biases 0, seeded', () => {
    const layout = networkLayout([8, 4]);
    const centre = gaussian(layout.params, 4, 0, 0.7);
    for (const k of [0, 1]) {
      const dir = filterNormalizedDirection(layout, centre, 9, k);
      for (const { fanIn, fanOut, weightOffset, biasOffset } of layout.layers) {
        for (let o = 0; o < fanOut; o++) {
          const row = weightOffset + o * fanIn;
          const nd = Math.hypot(...dir.subarray(row, row + fanIn));
          const nc = Math.hypot(...centre.subarray(row, row + fanIn));
          expect(Math.abs(nd - nc)).toBeLessThan(1e-12 * nc);
          expect(dir[biasOffset + o]).toBe(0);
        }
      }
    }
    const { plane, scale } = filterNormalizedPlane(layout, centre, 9);
    expectOrthonormal(plane);
    expect(Array.from(plane.origin)).toEqual(Array.from(centre));
    // u is d1 / |d1|: its rows rescaled by |d1| have the centre's row norms (float32 rounding of u)
    for (const { fanIn, fanOut, weightOffset, biasOffset } of layout.layers) {
      for (let o = 0; o < fanOut; o++) {
        const row = weightOffset + o * fanIn;
        const nu = scale[0] * Math.hypot(...plane.u.subarray(row, row + fanIn));
        const nc = Math.hypot(...centre.subarray(row, row + fanIn));
        expect(Math.abs(nu - nc)).toBeLessThan(2 * U * nc);
        expect(plane.u[biasOffset + o]).toBe(0);
        expect(plane.v[biasOffset + o]).toBe(0);
      }
    }
    // the same seed gives the same plane, another seed another
    expect(Array.from(filterNormalizedPlane(layout, centre, 9).plane.v)).toEqual(Array.from(plane.v));
    expect(Array.from(filterNormalizedPlane(layout, centre, 10).plane.u)).not.toEqual(Array.from(plane.u));
    expect(() => filterNormalizedPlane(layout, new Float32Array(layout.params), 9)).toThrow(/zero/);
  });

  it('packPlane and gridNodes', () => {
    const plane = planeFromDirections([1, 2, 3], [1, 0, 0], [1, 1, 0]);
    expect(Array.from(packPlane(plane))).toEqual([1, 2, 3, 1, 0, 0, 0, 1, 0]);
    const g = gridNodes(-0.3, 0.7, 11);
    expect(g[0]).toBe(-0.3);
    expect(g[10]).toBe(0.7);
    expect(g[5]).toBeCloseTo(0.2, 15);
    expect(rangeAround([[0, 0], [2, 0], [1, 1.5]])).toEqual({ a: [-0.5, 2.5], b: [-0.5, 2] });
    expect(rangeAround([[1, 1]])).toEqual({ a: [0, 2], b: [0, 2] });
  });

  it('pcaReference finds the known dominant directions of a cloud', () => {
    // 64 networks: centre + 3 z1 e1 + 1.5 z2 e2 + 0.1 noise, e1, e2 orthonormal random directions
    const count = 64;
    const e = planeFromDirections(new Float32Array(D), gaussian(D, 5, 0), gaussian(D, 5, 1));
    const centre = gaussian(D, 5, 2);
    const params = new Float32Array(count * D);
    for (let p = 0; p < count; p++) {
      const z = normals4(5, 0x434c4f55, p, 0, 0);
      const noise = gaussian(D, 6, p, 0.1);
      for (let d = 0; d < D; d++) params[p * D + d] = centre[d] + 3 * z[0] * e.u[d] + 1.5 * z[1] * e.v[d] + noise[d];
    }
    const status = new Uint32Array(count);
    status[7] = 12; // a dead network is left out
    const r = pcaReference(params, D, status, 200);
    // sampling: the empirical principal axes of 63 draws deviate from e1, e2 by ~ (0.1 sqrt(D) / 3) / sqrt(63) ~ 0.04
    expect(Math.abs(dot(r.u, e.u))).toBeGreaterThan(0.98);
    expect(Math.abs(dot(r.v, e.v))).toBeGreaterThan(0.95);
    expect(Math.abs(dot(r.u, r.v))).toBeLessThan(1e-12);
    expect(r.variances[0]).toBeGreaterThan(r.variances[1]);
  });
});
