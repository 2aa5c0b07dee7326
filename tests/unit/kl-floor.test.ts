// The sampling floor of KL(histogram ‖ p) (src/sim/fokker-planck/kl-floor.ts)
// against an independent evaluation: φ(λ) by direct summation in the
// limits it must reach, and the floor against the Monte Carlo law of
// tests/support/multinomial.ts (simulated Poisson histograms) within its error.
import { describe, expect, it } from 'vitest';
import { klSamplingFloor, poissonEntropyExcess } from '../../src/sim/fokker-planck/kl-floor';
import { klSamplingLaw } from '../support/multinomial';

describe('KL(histogram ‖ p) sampling floor', () => {
  it('φ(λ) → 1/2 for full cells (the χ² law), ≈ λ ln(1/λ) for nearly empty ones, continuous at the switch to the series', () => {
    expect(poissonEntropyExcess(1e4)).toBeCloseTo(0.5, 4);
    const small = 1e-3;
    expect(poissonEntropyExcess(small) / (small * Math.log(1 / small))).toBeCloseTo(1, 1);
    // both sides of λ = 200: the summed value and the series agree to 1e-6
    expect(Math.abs(poissonEntropyExcess(200) - (0.5 + 1 / 2400 + 1 / 480000))).toBeLessThan(1e-6);
    expect(Math.abs(poissonEntropyExcess(200.0001) - poissonEntropyExcess(200))).toBeLessThan(1e-6);
  });

  it('matches simulated histograms of a Gaussian on a 64² grid (n = 2e4 and 1e6) within 4 Monte Carlo standard errors', () => {
    const n = 64, p = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
      const x = -2 + (i + 0.5) * (4 / n), y = -2 + (j + 0.5) * (4 / n);
      p[j * n + i] = Math.exp(-(x * x / 0.5 + y * y / 0.2));
    }
    for (const [draws, reps] of [[2e4, 200], [1e6, 60]] as const) {
      const mc = klSamplingLaw(p, draws, reps, 3);
      const floor = klSamplingFloor(p, draws);
      const se = mc.sd / Math.sqrt(reps);
      console.log(`[kl-floor] n ${draws}: analytic ${floor.toExponential(4)}, Monte Carlo ${mc.mean.toExponential(4)} ± ${se.toExponential(1)}`);
      // plus the O(1/n) relative difference of normalising by the histogram's own total
      expect(Math.abs(floor - mc.mean)).toBeLessThan(4 * se + floor / draws);
    }
  });
});
