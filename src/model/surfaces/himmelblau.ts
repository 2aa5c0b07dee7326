// himmelblau: f = scale [(x^2 + y - 11)^2 + (x + y^2 - 7)^2] (Himmelblau,
// Applied Nonlinear Programming, McGraw-Hill 1972). Four minima of equal value
// 0, four saddles between them and one local maximum: which minimum a particle
// ends in depends only on where it started (and on the noise).
import { defineSurface } from '../define-surface';
import type { CriticalKind, Vec2 } from '../surface-types';
import { scaledCriticalPoints } from './critical';

/** All critical points at scale 1: Newton on the exact gradient from an 80 x 80 grid over [-6, 6]^2, to rounding. */
const CRITICAL: { kind: CriticalKind; at: Vec2; value: number }[] = [
  { kind: 'minimum', at: [3, 2], value: 0 },
  { kind: 'minimum', at: [-2.805118086952745, 3.131312518250573], value: 0 },
  { kind: 'minimum', at: [-3.779310253377747, -3.2831859912861696], value: 0 },
  { kind: 'minimum', at: [3.5844283403304917, -1.8481265269644036], value: 0 },
  { kind: 'maximum', at: [-0.27084459066734756, -0.9230385564799817], value: 181.6165215225827 },
  { kind: 'saddle', at: [0.08667750455539634, 2.884254701174776], value: 67.71915008752613 },
  { kind: 'saddle', at: [-3.0730257507643897, -0.08135304428796751], value: 104.01516291755811 },
  { kind: 'saddle', at: [-0.12796134673068008, -1.9537149802445766], value: 178.33723920192745 },
  { kind: 'saddle', at: [3.385154183607021, 0.07385187983774928], value: 13.311926270405587 },
];

export const himmelblau = defineSurface({
  name: 'himmelblau',
  title: 'Himmelblau',
  blurb: 'Four equal minima, four saddles and a hill: the basin a particle ends in is decided by where it starts.',
  params: [
    { name: 'scale', default: 1, min: 0.001, max: 10, description: 'multiplies the whole loss (dimensionless)' },
  ],
  defaultDomain: { x: [-5, 5], y: [-5, 5] },
  formula: 'scale [(x² + y − 11)² + (x + y² − 7)²]',
  bind({ values: { scale } }) {
    const P = (x: number, y: number) => x * x + y - 11;
    const Q = (x: number, y: number) => x + y * y - 7;
    return {
      value: (x, y) => scale * (P(x, y) ** 2 + Q(x, y) ** 2),
      gradient(x, y) {
        const p = P(x, y), q = Q(x, y);
        return [scale * (4 * x * p + 2 * q), scale * (2 * p + 4 * y * q)];
      },
      hessian: (x, y) => [scale * (4 * P(x, y) + 8 * x * x + 2), scale * 4 * (x + y), scale * (4 * Q(x, y) + 8 * y * y + 2)],
      criticalPoints: scaledCriticalPoints(CRITICAL, scale, 'Newton-refined; minima and maximum as in Himmelblau (1972)'),
    };
  },
});
