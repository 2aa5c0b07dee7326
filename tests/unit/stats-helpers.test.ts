// The tests' own statistics helpers (tests/support/stats.ts) on cases with known answers.
import { describe, expect, it } from 'vitest';
import { ksTwoSample } from '../support/stats';

describe('two-sample Kolmogorov–Smirnov distance', () => {
  it('is 0 for the same sample, 1 for samples that do not overlap, symmetric', () => {
    expect(ksTwoSample([3, 1, 2], [2, 3, 1])).toBe(0);
    expect(ksTwoSample([1, 2, 3], [4, 5])).toBe(1);
    expect(ksTwoSample([4, 5], [1, 2, 3])).toBe(1);
  });

  it('is the largest gap of the empirical CDFs, ties stepped together', () => {
    // F_a steps 1/4 at 1, 2, 3, 4; F_b 1/2 at 2 and 4: at x = 2, F_a = 1/2 and F_b = 1/2; at x = 1, 1/4 against 0;
    // at x = 3, 3/4 against 1/2: the largest gap is 1/4
    expect(ksTwoSample([1, 2, 3, 4], [2, 4])).toBeCloseTo(0.25, 15);
    // [0, 0, 1] against [0, 1, 1]: at x = 0, 2/3 against 1/3
    expect(ksTwoSample([0, 0, 1], [0, 1, 1])).toBeCloseTo(1 / 3, 15);
  });
});
