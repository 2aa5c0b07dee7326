// double-well: f = h (x^2 - 1)^2 + y^2 / 2 + tilt x. Two minima near x = +-1
// separated by a saddle near the origin; barrier h when tilt = 0.
import { defineSurface } from '../define-surface';
import type { KnownCriticalPoint } from '../surface-types';
import { depressedCubicRoots } from './roots';

export const doubleWell = defineSurface({
  name: 'double-well',
  title: 'Double well',
  blurb: 'Two minima at x = ±1 over a barrier of height h: the simplest landscape with a choice of basin.',
  params: [
    { name: 'h', default: 1, min: 0.01, max: 100, description: 'barrier height at tilt 0 (loss units)' },
    { name: 'tilt', default: 0, min: -10, max: 10, description: 'linear tilt along x; makes one well deeper (loss units per x)' },
  ],
  defaultDomain: { x: [-2, 2], y: [-2, 2] },
  formula: 'h (x² − 1)² + y²/2 + tilt·x',
  bind({ values: { h, tilt } }) {
    const value = (x: number, y: number) => h * (x * x - 1) ** 2 + 0.5 * y * y + tilt * x;
    // the critical x on y = 0: roots of 4 h x (x^2 - 1) + tilt, i.e. x^3 - x + tilt / (4h) = 0
    const criticalPoints: KnownCriticalPoint[] = depressedCubicRoots(-1, tilt / (4 * h)).map((x) => ({
      kind: h * (12 * x * x - 4) > 0 ? 'minimum' : 'saddle',
      at: [x, 0],
      value: value(x, 0),
      source: 'analytic: roots of 4h x (x^2 - 1) + tilt',
    }));
    return {
      value,
      gradient: (x, y) => [4 * h * x * (x * x - 1) + tilt, y],
      hessian: (x) => [h * (12 * x * x - 4), 0, 1],
      criticalPoints,
    };
  },
});
