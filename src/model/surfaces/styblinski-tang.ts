// styblinski-tang: f = scale * sum over x, y of (t^4 - 16 t^2 + 5 t) / 2
// (Styblinski & Tang, Neural Networks 3, 467 (1990); the /2 is the standard
// form). Separable: each axis has two wells, t ≈ -2.9035 (deeper) and
// t ≈ 2.7468, split by a bump at t ≈ 0.1567; so 4 minima (global at
// (-2.9035, -2.9035), value ≈ -78.332 scale), 4 saddles and 1 maximum.
import { defineSurface } from '../define-surface';
import type { KnownCriticalPoint } from '../surface-types';
import { classifyHessian } from './critical';
import { depressedCubicRoots } from './roots';

export const styblinskiTang = defineSurface({
  name: 'styblinski-tang',
  title: 'Styblinski–Tang',
  blurb: 'Four wells of different depths on a separable quartic: the deepest one is not the nearest.',
  params: [
    { name: 'scale', default: 1, min: 0.001, max: 10, description: 'multiplies the whole loss (dimensionless)' },
  ],
  defaultDomain: { x: [-5, 5], y: [-5, 5] },
  formula: 'scale Σ (t⁴ − 16t² + 5t)/2 over t = x, y',
  bind({ values: { scale } }) {
    // one axis: h(t) = (t^4 - 16 t^2 + 5 t) / 2 and its derivatives
    const h = (t: number) => 0.5 * (t ** 4 - 16 * t * t + 5 * t);
    const dh = (t: number) => 2 * t ** 3 - 16 * t + 2.5;
    const d2h = (t: number) => 6 * t * t - 16;
    const value = (x: number, y: number) => scale * (h(x) + h(y));
    const hessian = (x: number, y: number): [number, number, number] => [scale * d2h(x), 0, scale * d2h(y)];
    // the three real roots, ascending, of h'(t) = 2 t^3 - 16 t + 5/2, i.e. t^3 - 8 t + 5/4 = 0
    const ts = depressedCubicRoots(-8, 1.25);
    const criticalPoints: KnownCriticalPoint[] = ts.flatMap((x) => ts.map((y): KnownCriticalPoint => ({
      kind: classifyHessian(hessian(x, y))!,
      at: [x, y],
      value: value(x, y),
      source: 'analytic: roots of 4t³ − 32t + 5 = 0 on each axis (Styblinski & Tang 1990)',
    })));
    return { value, gradient: (x, y) => [scale * dh(x), scale * dh(y)], hessian, criticalPoints };
  },
});
