// monkey-saddle: f = x^3 - 3 x y^2 + confine (x^2 + y^2)^2. The cubic is the
// monkey saddle: a degenerate critical point at the origin (zero Hessian) with
// three descending valleys, where gradient descent stalls far longer than at a
// non-degenerate saddle. Alone it is unbounded below, so every particle
// eventually leaves; the quartic `confine` term (0 switches it off) turns the
// three valleys into minima at radius R = 3 / (4 confine), angles 60°, 180°,
// 300°, value -27 / (256 confine^3).
import { defineSurface } from '../define-surface';
import type { KnownCriticalPoint } from '../surface-types';

export const monkeySaddle = defineSurface({
  name: 'monkey-saddle',
  title: 'Monkey saddle',
  blurb: 'A degenerate saddle with three ways down: no curvature at the centre, so escape is slow.',
  params: [
    { name: 'confine', default: 0.5, min: 0, max: 10, description: 'quartic confinement (loss units per length⁴); 0 = pure monkey saddle, unbounded below' },
  ],
  defaultDomain: { x: [-2, 2], y: [-2, 2] },
  formula: 'x³ − 3 x y² + confine (x² + y²)²',
  bind({ values: { confine: c } }) {
    const value = (x: number, y: number) => x ** 3 - 3 * x * y * y + c * (x * x + y * y) ** 2;
    const criticalPoints: KnownCriticalPoint[] = [{
      kind: 'saddle',
      at: [0, 0],
      value: 0,
      source: 'analytic; degenerate (zero Hessian): a monkey saddle, three valleys down',
    }];
    if (c > 0) {
      const R = 3 / (4 * c);
      for (const angle of [Math.PI / 3, Math.PI, (5 * Math.PI) / 3]) {
        criticalPoints.push({
          kind: 'minimum',
          at: [R * Math.cos(angle), R * Math.sin(angle)],
          value: -27 / (256 * c ** 3),
          source: 'analytic: radius 3/(4 confine) where cos 3θ = -1',
        });
      }
    }
    return {
      value,
      gradient(x, y) {
        const r2 = x * x + y * y;
        return [3 * x * x - 3 * y * y + 4 * c * x * r2, -6 * x * y + 4 * c * y * r2];
      },
      hessian: (x, y) => [6 * x + c * (12 * x * x + 4 * y * y), -6 * y + 8 * c * x * y, -6 * x + c * (4 * x * x + 12 * y * y)],
      criticalPoints,
    };
  },
});
