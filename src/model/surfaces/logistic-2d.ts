// logistic-2d: logistic regression with two weights w = (x, y) and no bias.
// Labels l_i = +1 for even i, -1 for odd i; features from two Gaussian blobs,
// z_i = l_i (separation / 2) d + spread (n0_i, n1_i) with d = (0.8, 0.6) and
// (n0_i, n1_i) standard normals from the dataset. Per-sample loss
// softplus(-m_i) = log(1 + exp(-m_i)) with margin m_i = l_i w.z_i, evaluated
// without overflow. Convex: one minimum while the blobs overlap, none (the loss
// falls forever along a separating direction) once the data are separable.
import type { Vec2 } from '../surface-types';
import { gridSeeds, searchCriticalPoints } from './critical';
import { defineFiniteSumSurface } from './finite-sum';

/** Unit vector from the -1 blob's centre to the +1 blob's. */
export const LOGISTIC_AXIS: Vec2 = [0.8, 0.6];

/** log(1 + exp(t)) for any t, without overflow or loss of the small tail. */
export function softplus(t: number): number {
  return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
}

/** 1 / (1 + exp(-t)) for any t, without overflow. */
export function sigmoid(t: number): number {
  const e = Math.exp(-Math.abs(t));
  return t >= 0 ? 1 / (1 + e) : e / (1 + e);
}

export const logistic2d = defineFiniteSumSurface({
  name: 'logistic-2d',
  title: 'Logistic regression',
  blurb: 'A convex finite-sum loss whose minibatch noise is anisotropic and changes from place to place.',
  params: [
    { name: 'separation', default: 2, min: 0, max: 8, description: 'distance between the two blob centres (feature units)' },
    { name: 'spread', default: 1, min: 0.05, max: 4, description: 'standard deviation of each blob (feature units)' },
  ],
  defaultDomain: { x: [-4, 4], y: [-4, 4] },
  formula: 'mean_i log(1 + exp(−l_i w·z_i)),  z_i from two Gaussian blobs',
  bindSamples({ separation, spread }, data) {
    // v_s = l_s z_s, the label-signed features: margin m = w . v
    const signed = (s: number): Vec2 => {
      const l = s % 2 === 0 ? 1 : -1;
      return [
        (separation / 2) * LOGISTIC_AXIS[0] + l * spread * data[4 * s],
        (separation / 2) * LOGISTIC_AXIS[1] + l * spread * data[4 * s + 1],
      ];
    };
    return {
      value(x, y, s) {
        const [vx, vy] = signed(s);
        return softplus(-(x * vx + y * vy));
      },
      gradient(x, y, s) {
        const [vx, vy] = signed(s);
        const k = -sigmoid(-(x * vx + y * vy));
        return [k * vx, k * vy];
      },
      hessian(x, y, s) {
        const [vx, vy] = signed(s);
        const m = x * vx + y * vy;
        const k = sigmoid(m) * sigmoid(-m);
        return [k * vx * vx, k * vx * vy, k * vy * vy];
      },
    };
  },
  criticalPoints: (loss, domain) => searchCriticalPoints(loss, gridSeeds(domain, 4), domain, 'Newton on the exact gradient; convex, so the only minimum'),
});
