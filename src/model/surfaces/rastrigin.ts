// rastrigin: f = 2A + sum over x, y of (t^2 - A cos(2 pi t)) (Rastrigin 1974;
// Mühlenbein et al., Parallel Computing 17, 619 (1991)). A bowl covered by an
// egg-crate: a local minimum near every integer point, global minimum 0 at
// the origin. Separable, so its critical points are the pairs of the roots of
// one axis's derivative, found completely by bracketing.
import { defineSurface } from '../define-surface';
import type { KnownCriticalPoint } from '../surface-types';
import { classifyHessian } from './critical';
import { bracketedRoots } from './roots';

export const rastrigin = defineSurface({
  name: 'rastrigin',
  title: 'Rastrigin egg-crate',
  blurb: 'Hundreds of local minima on a bowl: noise (temperature) lets particles hop to the global minimum.',
  params: [
    { name: 'A', default: 10, min: 0, max: 50, description: 'ripple amplitude (loss units); 0 leaves the bowl x² + y²' },
  ],
  defaultDomain: { x: [-5.12, 5.12], y: [-5.12, 5.12] },
  formula: '2A + Σ (t² − A cos 2πt) over t = x, y',
  bind({ values: { A }, domain: d }) {
    const w = 2 * Math.PI; // ripple wavenumber (radians per unit length)
    // one axis: h(t) = t^2 - A cos(w t) and its derivatives
    const h = (t: number) => t * t - A * Math.cos(w * t);
    const dh = (t: number) => 2 * t + A * w * Math.sin(w * t);
    const d2h = (t: number) => 2 + A * w * w * Math.cos(w * t);
    const value = (x: number, y: number) => 2 * A + h(x) + h(y);
    const hessian = (x: number, y: number): [number, number, number] => [d2h(x), 0, d2h(y)];
    // 400 cells per unit length: adjacent roots of dh are ~0.5 apart unless A is near a tangency
    const xs = bracketedRoots(dh, d.x[0], d.x[1], 4096), ys = bracketedRoots(dh, d.y[0], d.y[1], 4096);
    const criticalPoints: KnownCriticalPoint[] = [];
    for (const x of xs) {
      for (const y of ys) {
        const kind = classifyHessian(hessian(x, y));
        if (kind) criticalPoints.push({ kind, at: [x, y], value: value(x, y), source: 'analytic: roots of 2t + 2πA sin 2πt on each axis, bisected' });
      }
    }
    return { value, gradient: (x, y) => [dh(x), dh(y)], hessian, criticalPoints };
  },
});
