// Critical points of a small network and their index (src/sim/network/critical-points.ts),
// after Dauphin et al. 2014, Fig. 1: starts along gradient-descent trajectories of 6
// initialisations, Levenberg–Marquardt on grad L = 0 from each.
import { describe, expect, it } from 'vitest';
import { createNetworkModel } from '../../src/model/network/model';
import { networkSpecSchema } from '../../src/model/network/spec';
import { lossProblem } from '../../src/sim/network/sharpness-reference';
import { findNetworkCriticalPoints, spearman } from '../../src/sim/network/critical-points';
import { fullGradient } from '../../src/sim/network/stationary-covariance';
import { expectIndexRisingWithLoss } from '../support/dauphin';

describe('critical points of a network (Dauphin et al.)', () => {
  it('Spearman: +1 for the same order, -1 reversed, ties share their rank', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 15);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 15);
    expect(spearman([1, 1, 2], [5, 5, 9])).toBeCloseTo(1, 15);
  });

  it('2 → 4 → 1 on XOR: minima and saddles are found, and the index grows with the loss', { timeout: 60_000 }, () => {
    const model = createNetworkModel(networkSpecSchema.parse({ dataset: { kind: 'xor', samples: 128, noise: 0.1, labelNoise: 0.1, testFraction: 0 }, hidden: [4], activation: 'tanh', weightDecay: 0.001 }), 3);
    const problem = lossProblem(model);
    const D = model.layout.params;
    const r = findNetworkCriticalPoints(problem, model.layout, { seeds: [1, 2, 3, 4, 5, 6], checkpoints: [0, 10, 30, 100, 300, 1000] });
    // every point is a critical point of the loss (|grad| recomputed), its index its share of negative eigenvalues
    const g = new Float64Array(D);
    for (const p of r.points) {
      fullGradient(problem, p.params, g);
      expect(Math.hypot(...g)).toBeLessThan(1e-9);
      expect(p.index).toBe(Array.from(p.eigenvalues).filter((e) => e < -1e-9 * Math.max(...Array.from(p.eigenvalues, Math.abs))).length / D);
    }
    // measured: 12 distinct points from 36 starts, index 0 to 6/17, Spearman rho(index, loss) = 0.88
    expectIndexRisingWithLoss(r);
  });
});
