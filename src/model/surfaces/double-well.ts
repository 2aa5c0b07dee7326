// double-well: f = h (x^2 - 1)^2 + y^2 / 2 + tilt x. Two minima near x = +-1
// separated by a saddle near the origin; barrier h when tilt = 0.
import { packParams, type SurfaceDefinition, type KnownCriticalPoint } from '../surface-types';

/** Real roots of 4 h x (x^2 - 1) + tilt = 0 (the critical x on y = 0), sorted. */
function criticalXs(h: number, tilt: number): number[] {
  // depressed cubic x^3 + p x + q = 0 with p = -1, q = tilt / (4h)
  const p = -1, q = tilt / (4 * h);
  const disc = -(4 * p ** 3 + 27 * q * q);
  if (disc <= 0) {
    const c = Math.cbrt(-q / 2 + Math.sqrt(q * q / 4 + p ** 3 / 27)) + Math.cbrt(-q / 2 - Math.sqrt(q * q / 4 + p ** 3 / 27));
    return [c];
  }
  const r = 2 * Math.sqrt(-p / 3);
  const phi = Math.acos((3 * q) / (p * r));
  return [0, 1, 2].map((k) => r * Math.cos(phi / 3 - (2 * Math.PI * k) / 3)).sort((a, b) => a - b);
}

export const doubleWell: SurfaceDefinition = {
  name: 'double-well',
  title: 'Double well',
  blurb: 'Two minima at x = ±1 over a barrier of height h: the simplest landscape with a choice of basin.',
  params: [
    { name: 'h', default: 1, min: 0.01, max: 100, description: 'barrier height at tilt 0 (loss units)' },
    { name: 'tilt', default: 0, min: -10, max: 10, description: 'linear tilt along x; makes one well deeper (loss units per x)' },
  ],
  defaultDomain: { x: [-2, 2], y: [-2, 2] },
  finiteSum: false,
  create(given) {
    const { values, packed } = packParams(this.params, given);
    const { h, tilt } = values;
    const value = (x: number, y: number) => h * (x * x - 1) ** 2 + 0.5 * y * y + tilt * x;
    const criticalPoints: KnownCriticalPoint[] = criticalXs(h, tilt).map((x) => ({
      kind: h * (12 * x * x - 4) > 0 ? 'minimum' : 'saddle',
      at: [x, 0],
      value: value(x, 0),
      source: 'analytic: roots of 4h x (x^2 - 1) + tilt',
    }));
    return {
      name: 'double-well',
      formula: 'h (x² − 1)² + y²/2 + tilt·x',
      packedParams: packed,
      wgslModule: 'lib/surfaces/double-well.wgsl',
      wgslSources: {},
      value,
      gradient: (x, y) => [4 * h * x * (x * x - 1) + tilt, y],
      hessian: (x) => [h * (12 * x * x - 4), 0, 1],
      criticalPoints,
      domain: this.defaultDomain,
    };
  },
};
