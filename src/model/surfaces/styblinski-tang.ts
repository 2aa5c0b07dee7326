// styblinski-tang: f = scale * sum over x, y of (t^4 - 16 t^2 + 5 t) / 2
// (Styblinski & Tang, Neural Networks 3, 467 (1990); the /2 is the standard
// form). Separable: each axis has two wells, t ≈ -2.9035 (deeper) and
// t ≈ 2.7468, split by a bump at t ≈ 0.1567; so 4 minima (global at
// (-2.9035, -2.9035), value ≈ -78.332 scale), 4 saddles and 1 maximum.
import { packParams, type KnownCriticalPoint, type SurfaceDefinition } from '../surface-types';
import { classifyHessian } from './critical';

/** The three real roots, ascending, of h'(t) = 2 t^3 - 16 t + 5/2 (t^3 - 8 t + 5/4 = 0, trigonometric form). */
function axisCriticalTs(): number[] {
  const p = -8, q = 1.25;
  const r = 2 * Math.sqrt(-p / 3);
  const phi = Math.acos((3 * q) / (p * r));
  return [0, 1, 2].map((k) => r * Math.cos(phi / 3 - (2 * Math.PI * k) / 3)).sort((a, b) => a - b);
}

export const styblinskiTang: SurfaceDefinition = {
  name: 'styblinski-tang',
  title: 'Styblinski–Tang',
  blurb: 'Four wells of different depths on a separable quartic: the deepest one is not the nearest.',
  params: [
    { name: 'scale', default: 1, min: 0.001, max: 10, description: 'multiplies the whole loss (dimensionless)' },
  ],
  defaultDomain: { x: [-5, 5], y: [-5, 5] },
  finiteSum: false,
  create(given) {
    const { values, packed } = packParams(this.params, given);
    const { scale } = values;
    // one axis: h(t) = (t^4 - 16 t^2 + 5 t) / 2 and its derivatives
    const h = (t: number) => 0.5 * (t ** 4 - 16 * t * t + 5 * t);
    const dh = (t: number) => 2 * t ** 3 - 16 * t + 2.5;
    const d2h = (t: number) => 6 * t * t - 16;
    const value = (x: number, y: number) => scale * (h(x) + h(y));
    const hessian = (x: number, y: number): [number, number, number] => [scale * d2h(x), 0, scale * d2h(y)];
    const ts = axisCriticalTs();
    const criticalPoints: KnownCriticalPoint[] = ts.flatMap((x) => ts.map((y): KnownCriticalPoint => ({
      kind: classifyHessian(hessian(x, y))!,
      at: [x, y],
      value: value(x, y),
      source: 'analytic: roots of 4t³ − 32t + 5 = 0 on each axis (Styblinski & Tang 1990)',
    })));
    return {
      name: 'styblinski-tang',
      formula: 'scale Σ (t⁴ − 16t² + 5t)/2 over t = x, y',
      packedParams: packed,
      wgslModule: 'lib/surfaces/styblinski-tang.wgsl',
      wgslSources: {},
      value,
      gradient: (x, y) => [scale * dh(x), scale * dh(y)],
      hessian,
      criticalPoints,
      domain: this.defaultDomain,
    };
  },
};
