import { describe, expect, it } from 'vitest';
import { philox4x32, mulhi32, uniformOpen, normals4, streamBits } from '../../src/rng/philox';
import { RANDOM123_KAT, THREEFRY_KAT, hex } from '../support/random123-kat';
import { stepBits, threefry2x32 } from '../../src/rng/threefry';
import { ksCritical, ksDistance, normalCdf } from '../support/stats';

describe('Philox4x32-10 CPU reference', () => {
  it.each(RANDOM123_KAT)('reproduces the Random123 known-answer vector %#', (kat) => {
    expect(hex(philox4x32(kat.counter, kat.key))).toEqual(hex(kat.expected));
  });

  it('mulhi32 agrees with BigInt arithmetic', () => {
    const cases = [[0xffffffff, 0xffffffff], [0xd2511f53, 0x12345678], [1, 0xffffffff], [0x10000, 0x10000], [0, 7]];
    for (const [a, b] of cases) {
      expect(mulhi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
    }
  });

  it('uniformOpen never returns 0 or 1 and stays exact in float32', () => {
    for (const u of [0, 1, 511, 512, 0xffffffff, 0xfffffe00]) {
      const x = uniformOpen(u);
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
      expect(Math.fround(x)).toBe(x);
    }
  });

  it('streams depend on every coordinate of (seed, stream, i, k)', () => {
    const base = Array.from(streamBits(7, 0, 3, 5));
    expect(Array.from(streamBits(8, 0, 3, 5))).not.toEqual(base);
    expect(Array.from(streamBits(7, 1, 3, 5))).not.toEqual(base);
    expect(Array.from(streamBits(7, 0, 4, 5))).not.toEqual(base);
    expect(Array.from(streamBits(7, 0, 3, 6))).not.toEqual(base);
    expect(Array.from(streamBits(7, 0, 3, 5))).toEqual(base);
  });

  it('normals have mean 0, variance 1 and a normal CDF (n = 2^18, bounds 5 standard errors)', () => {
    const n = 1 << 18;
    const z = new Float64Array(n);
    for (let i = 0; i < n / 4; i++) z.set(normals4(11, 2, i, 0), 4 * i);
    let m = 0, m2 = 0;
    for (const v of z) { m += v; m2 += v * v; }
    m /= n; const variance = m2 / n - m * m;
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(n));           // sd of the mean: 1/sqrt(n)
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n)); // sd of s^2: sqrt(2/n) for a normal
    // Kolmogorov: P(sqrt(n) D > t) ~ 2 exp(-2 t^2); alpha = 1e-6 gives t = 2.69.
    expect(ksDistance(z, normalCdf) * Math.sqrt(n)).toBeLessThan(ksCritical(1e-6));
  });
});

describe('Threefry-2x32-20 CPU reference', () => {
  it.each(THREEFRY_KAT)('reproduces the Random123 known-answer vector %#', (kat) => {
    expect(hex(threefry2x32(kat.counter, kat.key))).toEqual(hex(kat.expected));
  });

  it('step stream keys keep panel and draw apart', () => {
    const base = Array.from(stepBits(1, 2, 3, 4, 0));
    expect(Array.from(stepBits(1, 3, 3, 4, 0))).not.toEqual(base);
    expect(Array.from(stepBits(1, 2, 3, 4, 1))).not.toEqual(base);
    expect(Array.from(stepBits(1, 2, 3, 5, 0))).not.toEqual(base);
  });
});
