// Formulas that together use every function of the formula language, both
// kinds of power (integer: products; otherwise: pow), negative and large
// integer exponents, implicit multiplication, pi and e, and the kinks of abs,
// min and max. tests/unit/expression.test.ts checks them against finite
// differences (float64); tests/browser/expression.test.ts evaluates the same
// list on the GPU (float32 WGSL).
import type { Domain } from '../../src/model/surface-types';

export const SQUARE: Domain = { x: [-2, 2], y: [-2, 2] };

export const FORMULA_CASES: readonly { formula: string; domain: Domain }[] = [
  { formula: 'sin(3*x)*cos(2*y) + 0.1*(x^2+y^2)', domain: SQUARE },
  { formula: '(x^2-1)^2 + 0.5*y^2', domain: SQUARE },
  { formula: 'x^3 - 3*x*y^2', domain: SQUARE },
  { formula: 'exp(-(x^2+y^2)/2) * tan(0.5*x) + sinh(0.5*x)*cosh(0.3*y)', domain: SQUARE },
  { formula: 'log(1 + x^2 + y^2) + sqrt(x^2 + 2*y^2 + 1)', domain: SQUARE },
  { formula: 'atan(x*y) + asin(0.4*x) - acos(0.3*y) + tanh(2*x - y)', domain: SQUARE },
  { formula: 'x^y + 2^x * e^(y/2)', domain: { x: [0.5, 2], y: [-2, 2] } },
  { formula: 'atan2(y, x + 3) / (1 + x^2) - x^4/4 + 1/(x^2 + y^2 + 0.5)', domain: SQUARE },
  { formula: '(x^2 + 1)^1.5 + (y^2 + 2)^(-0.5) + pow(x - y, 5)/40', domain: SQUARE },
  { formula: 'abs(x - 0.5)*y + max(x, y)^2 + min(x^2, y + 1) + 2x y + pi*y', domain: SQUARE },
  { formula: 'x^-3 + y^6 - 2x y', domain: { x: [0.5, 2], y: [-1.5, 1.5] } },
];

/** Deterministic uniform numbers in [0, 1) from `seed` (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
