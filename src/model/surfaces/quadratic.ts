// quadratic: f = (a u^2 + b v^2) / 2 where u is the coordinate along the unit
// vector e = (cos angle, sin angle) and v the one across it (the point (x, y)
// seen in axes rotated by `angle`). Curvature a along e, b across; one critical
// point at the origin, a minimum, saddle or maximum by the signs of a and b.
import { defineSurface } from '../define-surface';
import type { KnownCriticalPoint } from '../surface-types';
import { classifyHessian } from './critical';

export const quadratic = defineSurface({
  name: 'quadratic',
  title: 'Quadratic bowl',
  blurb: 'A rotated quadratic: the landscape near any minimum, with exact Gibbs density and Ornstein–Uhlenbeck dynamics.',
  params: [
    { name: 'a', default: 1, min: -10, max: 10, description: 'curvature along the direction at `angle` (loss units per length²)' },
    { name: 'b', default: 1, min: -10, max: 10, description: 'curvature across that direction (loss units per length²)' },
    { name: 'angle', default: 0, min: -Math.PI, max: Math.PI, description: 'direction of the a-axis from the x axis (radians)' },
  ],
  defaultDomain: { x: [-2, 2], y: [-2, 2] },
  formula: '(a u² + b v²)/2,  (u, v) = (x, y) rotated by angle',
  bind({ values: { a, b, angle } }) {
    const c = Math.cos(angle), s = Math.sin(angle);
    const u = (x: number, y: number) => c * x + s * y;
    const v = (x: number, y: number) => c * y - s * x;
    const hessian = (): [number, number, number] => [a * c * c + b * s * s, (a - b) * c * s, a * s * s + b * c * c];
    // a or b = 0: a line of critical points through the origin, none isolated
    const kind = classifyHessian(hessian());
    const criticalPoints: KnownCriticalPoint[] = kind ? [{ kind, at: [0, 0], value: 0, source: 'analytic' }] : [];
    return {
      value: (x, y) => 0.5 * (a * u(x, y) ** 2 + b * v(x, y) ** 2),
      gradient(x, y) {
        // a u e + b v e_perp with e = (c, s), e_perp = (-s, c)
        const au = a * u(x, y), bv = b * v(x, y);
        return [au * c - bv * s, au * s + bv * c];
      },
      hessian,
      criticalPoints,
    };
  },
});
