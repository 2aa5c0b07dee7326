// ackley: f = -a exp(-b r) - exp((cos c x + cos c y) / 2) + a + e, with
// r = sqrt((x^2 + y^2) / 2) (Ackley, "A connectionist machine for genetic
// hillclimbing", 1987; standard a = 20, b = 0.2, c = 2 pi). A nearly flat
// plateau of ripples around one deep cone-shaped funnel at the origin (value 0).
//
// The cone's tip is not differentiable; r is replaced by
//   r_eps = sqrt(r^2 + eps^2) - eps,   eps = ACKLEY_TIP_RADIUS,
// which is 0 at the origin, differs from r by at most eps, and is smooth: the
// gradient is 0 at the origin and the Hessian finite there (about a b / (2 eps)
// on the diagonal), so nothing divides by zero, in f64 or in f32.
import { defineSurface } from '../define-surface';
import type { Vec2 } from '../surface-types';
import { searchCriticalPoints } from './critical';

/** Radius (in units of r) of the rounded cone tip; changes f by at most a b eps = 4e-9 at the defaults. */
export const ACKLEY_TIP_RADIUS = 1e-9;

export const ackley = defineSurface({
  name: 'ackley',
  title: 'Ackley funnel',
  blurb: 'A deep funnel hidden in a rippled plateau: the gradient far out says little about where the minimum is.',
  params: [
    { name: 'a', default: 20, min: 0, max: 50, description: 'depth of the funnel (loss units)' },
    { name: 'b', default: 0.2, min: 0.01, max: 2, description: 'funnel decay rate (per unit of r)' },
    { name: 'c', default: 2 * Math.PI, min: 0.5, max: 10, description: 'ripple wavenumber (radians per unit length)' },
  ],
  defaultDomain: { x: [-5, 5], y: [-5, 5] },
  formula: '−a exp(−b √((x²+y²)/2)) − exp((cos cx + cos cy)/2) + a + e',
  bind({ values: { a, b, c }, domain: d }) {
    const eps = ACKLEY_TIP_RADIUS;
    // q = sqrt(r^2 + eps^2); r_eps = q - eps, written r^2 / (q + eps) against cancellation
    const q = (x: number, y: number) => Math.sqrt((x * x + y * y) / 2 + eps * eps);
    const rEps = (x: number, y: number) => (x * x + y * y) / 2 / (q(x, y) + eps);
    // E = exp((cos c x + cos c y) / 2), the ripple term's exponential
    const ripple = (x: number, y: number) => Math.exp((Math.cos(c * x) + Math.cos(c * y)) / 2);
    const value = (x: number, y: number) => -a * Math.exp(-b * rEps(x, y)) - ripple(x, y) + a + Math.E;
    const gradient = (x: number, y: number): Vec2 => {
      // funnel: a b exp(-b r_eps) grad r_eps with grad r_eps = p / (2q)
      const k = (a * b * Math.exp(-b * rEps(x, y))) / (2 * q(x, y));
      const e = (c / 2) * ripple(x, y);
      return [k * x + e * Math.sin(c * x), k * y + e * Math.sin(c * y)];
    };
    const hessian = (x: number, y: number): [number, number, number] => {
      const qq = q(x, y);
      const k = a * b * Math.exp(-b * rEps(x, y));
      // funnel: k (hess r_eps - b grad r_eps grad r_eps^T), hess r_eps = I/(2q) - p p^T / (4 q^3)
      const fxx = k * (1 / (2 * qq) - (x * x) / (4 * qq ** 3) - (b * x * x) / (4 * qq * qq));
      const fxy = k * (-(x * y) / (4 * qq ** 3) - (b * x * y) / (4 * qq * qq));
      const fyy = k * (1 / (2 * qq) - (y * y) / (4 * qq ** 3) - (b * y * y) / (4 * qq * qq));
      // ripple: -E with E = exp((cos cx + cos cy)/2)
      const E = ripple(x, y), sx = Math.sin(c * x), sy = Math.sin(c * y);
      const c2 = c * c;
      return [
        fxx + E * c2 * (Math.cos(c * x) / 2 - (sx * sx) / 4),
        fxy - E * c2 * (sx * sy) / 4,
        fyy + E * c2 * (Math.cos(c * y) / 2 - (sy * sy) / 4),
      ];
    };
    // Newton from every point of the half-period lattice (ripple minima, saddles and maxima sit near it)
    const half = Math.PI / c;
    const axis = (lo: number, hi: number) => {
      const ts: number[] = [];
      for (let k = Math.ceil(lo / half); k * half <= hi; k++) ts.push(k * half);
      return ts;
    };
    const seeds: Vec2[] = axis(d.x[0], d.x[1]).flatMap((x) => axis(d.y[0], d.y[1]).map((y): Vec2 => [x, y]));
    const criticalPoints = searchCriticalPoints({ value, gradient, hessian }, seeds, d, 'Newton from the half-period lattice; the origin is the global minimum (Ackley 1987)');
    return { value, gradient, hessian, criticalPoints };
  },
});
