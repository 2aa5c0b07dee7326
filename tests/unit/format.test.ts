// The one number formatter of the lab (model/format.ts): significant figures,
// exponent form outside [1e-3, 1e5), points, counts with their nouns.
import { describe, expect, it } from 'vitest';
import { countOf, formatNumber, formatPoint, klShown } from '../../src/model/format';
import { formatTicks } from '../../src/ui/axis-ticks';

describe('format', () => {
  it('numbers to 3 significant figures in their shortest form, exponents outside [1e-3, 1e5)', () => {
    expect(formatNumber(0.25)).toBe('0.25');
    expect(formatNumber(2 / 3)).toBe('0.667');
    expect(formatNumber(123456)).toBe('1.23e5');
    expect(formatNumber(-0.000123)).toBe('-1.23e-4');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Math.PI, 5)).toBe('3.1416');
    expect(formatPoint([1, -0.5])).toBe('(1, -0.5)');
  });

  it('axis ticks keep neighbours apart: decimals (or mantissa digits) from the tick spacing', () => {
    expect(formatTicks([0.999, 0.9995, 1])).toEqual(['0.9990', '0.9995', '1.0000']);
    expect(formatTicks([0.1, 0.15, 0.2, 0.25])).toEqual(['0.10', '0.15', '0.20', '0.25']);
    expect(formatTicks([0.25, 0.5, 0.75])).toEqual(['0.25', '0.50', '0.75']);
    expect(formatTicks([-2.5e-4, 0, 2.5e-4])).toEqual(['-2.5e-4', '0', '2.5e-4']);
    expect(formatTicks([-2e-4, 0, 2e-4])).toEqual(['-2e-4', '0', '2e-4']);
    expect(formatTicks([1e5, 2e5, 3e5])).toEqual(['1e5', '2e5', '3e5']);
    expect(formatTicks([0, 500, 1000])).toEqual(['0', '500', '1000']);
    expect(formatTicks([-0.05, 0])).toEqual(['-0.05', '0']);
    expect(formatTicks([null, 1, 2])).toEqual(['', '1', '2']);
    // every label distinct where the values are
    const vals = [0.9985, 0.999, 0.9995, 1];
    expect(new Set(formatTicks(vals)).size).toBe(vals.length);
  });

  it('counts with the noun in the right number', () => {
    expect(countOf(1, 'maximum', 'maxima')).toBe('1 maximum');
    expect(countOf(0, 'saddle', 'saddles')).toBe('0 saddles');
    expect(countOf(4, 'minimum', 'minima')).toBe('4 minima');
  });

  it('KL as drawn: rounding below zero shows as 0, no value stays no value', () => {
    expect(klShown(-3e-9)).toBe(0);
    expect(klShown(0.31)).toBe(0.31);
    expect(klShown(null)).toBeNull();
    expect(klShown(undefined)).toBeNull();
  });
});
