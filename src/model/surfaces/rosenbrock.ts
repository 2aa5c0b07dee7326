// rosenbrock: f = scale [(a - x)^2 + b (y - x^2)^2] (Rosenbrock, Comput. J. 3,
// 175 (1960)). A curved, flat-bottomed valley along y = x^2 with its only
// minimum at (a, a^2), value 0: gradient descent crawls along the valley floor.
import { defineSurface } from '../define-surface';

export const rosenbrock = defineSurface({
  name: 'rosenbrock',
  title: 'Rosenbrock valley',
  blurb: 'A narrow curved valley: steep walls, a nearly flat floor, and a slow crawl to the minimum at (a, a²).',
  params: [
    { name: 'a', default: 1, min: -1.5, max: 1.5, description: 'minimum at (a, a²)' },
    { name: 'b', default: 100, min: 0.1, max: 1000, description: 'steepness of the valley walls (loss units per length⁴)' },
    { name: 'scale', default: 1, min: 0.001, max: 10, description: 'multiplies the whole loss (dimensionless)' },
  ],
  defaultDomain: { x: [-2, 2], y: [-1, 3] },
  formula: 'scale [(a − x)² + b (y − x²)²]',
  bind({ values: { a, b, scale } }) {
    // the valley: y - x^2 = 0
    const valley = (x: number, y: number) => y - x * x;
    return {
      value: (x, y) => scale * ((a - x) ** 2 + b * valley(x, y) ** 2),
      gradient: (x, y) => [scale * (-2 * (a - x) - 4 * b * x * valley(x, y)), 2 * scale * b * valley(x, y)],
      hessian: (x, y) => [scale * (2 - 4 * b * valley(x, y) + 8 * b * x * x), -4 * scale * b * x, 2 * scale * b],
      criticalPoints: [{ kind: 'minimum', at: [a, a * a], value: 0, source: 'analytic (Rosenbrock 1960)' }],
    };
  },
});
