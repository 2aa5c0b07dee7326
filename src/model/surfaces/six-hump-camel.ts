// six-hump-camel: f = scale [(4 - 2.1 x^2 + x^4/3) x^2 + x y + (-4 + 4 y^2) y^2]
// (Dixon & Szegő, Towards Global Optimisation 2, 1978). Six minima: two global
// ones at ±(0.0898, -0.7126), value -1.0316, and two pairs of shallower ones,
// joined by saddles, with two maxima.
import { defineSurface } from '../define-surface';
import type { CriticalKind, Vec2 } from '../surface-types';
import { scaledCriticalPoints } from './critical';

/** All critical points at scale 1: Newton on the exact gradient from an 80 x 80 grid over the domain widened by 1, to rounding. */
const CRITICAL: { kind: CriticalKind; at: Vec2; value: number }[] = [
  { kind: 'minimum', at: [0.08984201310031807, -0.7126564030207397], value: -1.0316284534898772 },
  { kind: 'minimum', at: [-0.08984201310031807, 0.7126564030207396], value: -1.0316284534898774 },
  { kind: 'minimum', at: [1.703606714969981, -0.7960835686726251], value: -0.2154638243837188 },
  { kind: 'minimum', at: [-1.703606714969981, 0.7960835686726252], value: -0.2154638243837188 },
  { kind: 'minimum', at: [1.6071047529201974, 0.5686514548841314], value: 2.104250310311257 },
  { kind: 'minimum', at: [-1.6071047529201976, -0.5686514548841314], value: 2.1042503103112598 },
  { kind: 'maximum', at: [1.2302298765166524, 0.16233458445899493], value: 2.496295351023577 },
  { kind: 'maximum', at: [-1.2302298765166526, -0.16233458445899498], value: 2.4962953510235764 },
  { kind: 'saddle', at: [0, 0], value: 0 },
  { kind: 'saddle', at: [1.1092053368047863, -0.7682680925095399], value: 0.5437186009781851 },
  { kind: 'saddle', at: [-1.1092053368047865, 0.7682680925095399], value: 0.5437186009781854 },
  { kind: 'saddle', at: [1.2960702671671094, 0.6050843880386585], value: 2.2294708180298595 },
  { kind: 'saddle', at: [-1.2960702671671094, -0.6050843880386585], value: 2.2294708180298595 },
  { kind: 'saddle', at: [1.6380679841897787, 0.2286740690443941], value: 2.229357197530713 },
  { kind: 'saddle', at: [-1.6380679841897785, -0.22867406904439408], value: 2.2293571975307147 },
];

export const sixHumpCamel = defineSurface({
  name: 'six-hump-camel',
  title: 'Six-hump camel',
  blurb: 'Six minima of three depths: two global ones, and shallower traps beside them.',
  params: [
    { name: 'scale', default: 1, min: 0.001, max: 100, description: 'multiplies the whole loss (dimensionless)' },
  ],
  defaultDomain: { x: [-2, 2], y: [-1.2, 1.2] },
  formula: 'scale [(4 − 2.1x² + x⁴/3) x² + xy + (4y² − 4) y²]',
  bind({ values: { scale } }) {
    return {
      value: (x, y) => scale * ((4 - 2.1 * x * x + x ** 4 / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y),
      gradient: (x, y) => [scale * (8 * x - 8.4 * x ** 3 + 2 * x ** 5 + y), scale * (x - 8 * y + 16 * y ** 3)],
      hessian: (x, y) => [scale * (8 - 25.2 * x * x + 10 * x ** 4), scale, scale * (-8 + 48 * y * y)],
      criticalPoints: scaledCriticalPoints(CRITICAL, scale, 'Newton-refined; global minima as in Dixon & Szegő (1978)'),
    };
  },
});
