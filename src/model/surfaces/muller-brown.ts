// muller-brown: V = scale * sum_k A_k exp(a_k dx^2 + b_k dx dy + c_k dy^2),
// dx = x - x0_k, dy = y - y0_k (Müller & Brown, Theor. Chim. Acta 53, 75
// (1979)): the classic model of a chemical reaction. Three minima joined by
// two saddles along a curved minimum-energy path; energies are ~100s, so
// `scale` brings them to the temperatures of interest.
import { defineSurface } from '../define-surface';
import type { CriticalKind, Vec2 } from '../surface-types';
import { scaledCriticalPoints } from './critical';

/** The standard coefficients, one entry per Gaussian term k. */
export const MULLER_BROWN = {
  A: [-200, -100, -170, 15],
  a: [-1, -1, -6.5, 0.7],
  b: [0, 0, 11, 0.6],
  c: [-10, -10, -6.5, 0.7],
  x0: [1, 0, -0.5, -1],
  y0: [0, 0.5, 1.5, 1],
};

/** All critical points at scale 1: Newton on the exact gradient from an 80 x 80 grid over the domain widened by 1, to rounding. */
const CRITICAL: { kind: CriticalKind; at: Vec2; value: number }[] = [
  { kind: 'minimum', at: [-0.5582236346330243, 1.4417258418046686], value: -146.699517209954 },
  { kind: 'minimum', at: [0.6234994049308765, 0.028037758528685668], value: -108.16672411685236 },
  { kind: 'minimum', at: [-0.05001082299820603, 0.46669410487197205], value: -80.76781812965903 },
  { kind: 'saddle', at: [-0.8220015587327322, 0.6243128028148713], value: -40.6648435086574 },
  { kind: 'saddle', at: [0.212486582000662, 0.2929883251073678], value: -72.24894011232522 },
];

export const mullerBrown = defineSurface({
  name: 'muller-brown',
  title: 'Müller–Brown',
  blurb: 'A model chemical reaction: three minima, two saddles, and a curved path between them.',
  params: [
    { name: 'scale', default: 1, min: 0.0001, max: 10, description: 'multiplies the potential (dimensionless); the deepest well is -146.7 scale' },
  ],
  defaultDomain: { x: [-1.5, 1.2], y: [-0.5, 2] },
  formula: 'scale Σ_k A_k exp(a_k (x−x0_k)² + b_k (x−x0_k)(y−y0_k) + c_k (y−y0_k)²)',
  bind({ values: { scale } }) {
    const { A, a, b, c, x0, y0 } = MULLER_BROWN;
    /** Term k at (x, y): its weight scale A_k exp(phi_k) and the gradient of phi_k. */
    const term = (k: number, x: number, y: number) => {
      const dx = x - x0[k], dy = y - y0[k];
      const w = scale * A[k] * Math.exp(a[k] * dx * dx + b[k] * dx * dy + c[k] * dy * dy);
      return { w, px: 2 * a[k] * dx + b[k] * dy, py: b[k] * dx + 2 * c[k] * dy };
    };
    return {
      value(x, y) {
        let v = 0;
        for (let k = 0; k < 4; k++) v += term(k, x, y).w;
        return v;
      },
      gradient(x, y) {
        let gx = 0, gy = 0;
        for (let k = 0; k < 4; k++) {
          const { w, px, py } = term(k, x, y);
          gx += w * px;
          gy += w * py;
        }
        return [gx, gy];
      },
      hessian(x, y) {
        // sum_k w_k (grad phi_k grad phi_k^T + hess phi_k)
        let xx = 0, xy = 0, yy = 0;
        for (let k = 0; k < 4; k++) {
          const { w, px, py } = term(k, x, y);
          xx += w * (px * px + 2 * a[k]);
          xy += w * (px * py + b[k]);
          yy += w * (py * py + 2 * c[k]);
        }
        return [xx, xy, yy];
      },
      criticalPoints: scaledCriticalPoints(CRITICAL, scale, 'Newton-refined from Müller & Brown (1979), table 1'),
    };
  },
});
