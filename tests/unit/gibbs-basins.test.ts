// The Gibbs prediction per basin (src/sim/metrics/gibbs-basins.ts) against an
// independent quadrature. On the tilted double well
//   f = h (x² − 1)² + y²/2 + tilt·x
// gradient flow in x does not depend on y, so the basins are the half-planes
// either side of the barrier top x_s (the middle root of f_x = 0), and the
// y factor cancels from the occupations:
//   p_left = ∫_{−2}^{x_s} e^{−g/T} dx / ∫_{−2}^{2} e^{−g/T} dx,   g = h (x² − 1)² + tilt·x,
//   F_left = −T ln( ∫_{−2}^{x_s} e^{−g/T} dx · ∫_{−2}^{2} e^{−y²/(2T)} dy ),
// here by composite Simpson with 2·10⁴ intervals (error far below the tolerance).
import { describe, expect, it } from 'vitest';
import { findSurface } from '../../src/model/surfaces';
import { basinMap } from '../../src/sim/metrics/loss-range';
import { gibbsBasins } from '../../src/sim/metrics/gibbs-basins';
import type { Domain } from '../../src/model/surface-types';

const DOMAIN: Domain = { x: [-2, 2], y: [-2, 2] };

function simpson(fn: (x: number) => number, a: number, b: number, n = 20_000): number {
  const h = (b - a) / n;
  let s = fn(a) + fn(b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * fn(a + i * h);
  return (s * h) / 3;
}

describe('Gibbs occupation and free energy per basin', () => {
  for (const [h, tilt, T] of [[1, 0.3, 0.4], [1, -0.5, 0.25], [0.5, 0.2, 1]] as const) {
    it(`double well h ${h}, tilt ${tilt}, T ${T}: matches the 1-D quadrature within the grid's resolution of the basin boundary`, () => {
      const surface = findSurface('double-well')!.create({ h, tilt }, 0);
      const minima = surface.criticalPoints.filter((c) => c.kind === 'minimum');
      expect(minima.length).toBe(2);
      const grid = 128;
      const r = gibbsBasins(surface, DOMAIN, basinMap(surface, DOMAIN, grid), grid, minima.length, T)!;
      const xs = surface.criticalPoints.find((c) => c.kind === 'saddle')!.at[0];
      const g = (x: number) => h * (x * x - 1) ** 2 + tilt * x;
      const w = (x: number) => Math.exp(-g(x) / T);
      const zx = simpson(w, -2, 2), zy = simpson((y) => Math.exp(-(y * y) / (2 * T)), -2, 2);
      const left = minima.findIndex((m) => m.at[0] < xs);
      const pLeft = simpson(w, -2, xs) / zx;
      // tolerance: the basin map resolves the boundary to one coarse cell (4/64 wide: basinMap
      // descends from a 64² grid for finer ones), so at most that strip's Gibbs mass moves
      // between basins; plus the midpoint rule's O(h²) error (h = 4/128), well under 1e-3 here
      const strip = (4 / 64) * w(xs) / zx;
      const tol = strip + 1e-3;
      expect(Math.abs(r.occupation[left] - pLeft)).toBeLessThan(tol);
      expect(Math.abs(r.occupation[1 - left] - (1 - pLeft))).toBeLessThan(tol);
      // every cell is in one basin here: the occupations sum to 1 up to rounding
      expect(r.occupation[0] + r.occupation[1]).toBeCloseTo(1, 12);
      // F_i = −T ln Z_i: the same relative error, times T
      const fLeft = -T * Math.log(simpson(w, -2, xs) * zy);
      expect(Math.abs(r.freeEnergy[left] - fLeft)).toBeLessThan(T * tol / pLeft + 1e-3);
      // the law the chart draws: p_i = exp(−F_i/T) / Σ_j exp(−F_j/T)
      const e = r.freeEnergy.map((f) => Math.exp(-f / T));
      expect(r.occupation[left]).toBeCloseTo(e[left] / (e[0] + e[1]), 10);
    });
  }

  it('no temperature, no prediction', () => {
    const surface = findSurface('double-well')!.create({ h: 1, tilt: 0 }, 0);
    expect(gibbsBasins(surface, DOMAIN, basinMap(surface, DOMAIN, 32), 32, 2, 0)).toBeNull();
  });
});
