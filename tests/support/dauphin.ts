// Dauphin et al. 2014, Fig. 1, as checked on a critical-point search's result:
// minima and saddles are both found, the index grows with the loss, the lowest
// point is a minimum.
import { expect } from 'vitest';
import type { CriticalSearch } from '../../src/sim/network/critical-points';

export function expectIndexRisingWithLoss(r: CriticalSearch): void {
  const minima = r.points.filter((p) => p.index === 0), saddles = r.points.filter((p) => p.index > 0);
  expect(minima.length).toBeGreaterThan(0);
  expect(saddles.length).toBeGreaterThan(0);
  // Under independence Spearman's rho has sd ~ 1/sqrt(n - 1) (0.38 for n = 8): rho > 0.7 with
  // n >= 8 points rejects independence at p < 0.04, at p < 0.01 for the ~12 points found here
  expect(r.points.length).toBeGreaterThanOrEqual(8);
  expect(r.rankCorrelation).toBeGreaterThan(0.7);
  // the lowest critical point found is a minimum (low-loss critical points are minima)
  const lowest = r.points.reduce((a, b) => (b.loss < a.loss ? b : a));
  expect(lowest.index).toBe(0);
}
