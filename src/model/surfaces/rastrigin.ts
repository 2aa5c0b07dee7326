// rastrigin: f = 2A + sum over x, y of (t^2 - A cos(2 pi t)) (Rastrigin 1974;
// Mühlenbein et al., Parallel Computing 17, 619 (1991)). A bowl covered by an
// egg-crate: a local minimum near every integer point, global minimum 0 at
// the origin. Separable, so its critical points are the pairs of the roots of
// one axis's derivative, found completely by bracketing.
import { packParams, type KnownCriticalPoint, type SurfaceDefinition } from '../surface-types';
import { classifyHessian } from './critical';

/** Every root in [lo, hi] of g, bracketed on `intervals` cells (two roots in one cell are missed) and bisected to rounding. */
function roots1d(g: (t: number) => number, lo: number, hi: number, intervals: number): number[] {
  const roots: number[] = [];
  const bisect = (l: number, r: number, gl: number) => {
    for (let m = 0.5 * (l + r); m !== l && m !== r; m = 0.5 * (l + r)) {
      const gm = g(m);
      if (gm === 0) return m;
      if (gm * gl < 0) r = m;
      else { l = m; gl = gm; }
    }
    return 0.5 * (l + r);
  };
  let a = lo, ga = g(a);
  if (ga === 0) roots.push(a);
  for (let i = 1; i <= intervals; i++) {
    const b = lo + ((hi - lo) * i) / intervals, gb = g(b);
    if (gb === 0) roots.push(b);
    else if (ga * gb < 0) roots.push(bisect(a, b, ga));
    a = b;
    ga = gb;
  }
  return roots;
}

export const rastrigin: SurfaceDefinition = {
  name: 'rastrigin',
  title: 'Rastrigin egg-crate',
  blurb: 'Hundreds of local minima on a bowl: noise (temperature) lets particles hop to the global minimum.',
  params: [
    { name: 'A', default: 10, min: 0, max: 50, description: 'ripple amplitude (loss units); 0 leaves the bowl x² + y²' },
  ],
  defaultDomain: { x: [-5.12, 5.12], y: [-5.12, 5.12] },
  finiteSum: false,
  create(given) {
    const { values, packed } = packParams(this.params, given);
    const { A } = values;
    const w = 2 * Math.PI; // ripple wavenumber (radians per unit length)
    // one axis: h(t) = t^2 - A cos(w t) and its derivatives
    const h = (t: number) => t * t - A * Math.cos(w * t);
    const dh = (t: number) => 2 * t + A * w * Math.sin(w * t);
    const d2h = (t: number) => 2 + A * w * w * Math.cos(w * t);
    const value = (x: number, y: number) => 2 * A + h(x) + h(y);
    const hessian = (x: number, y: number): [number, number, number] => [d2h(x), 0, d2h(y)];
    const d = this.defaultDomain;
    // 400 cells per unit length: adjacent roots of dh are ~0.5 apart unless A is near a tangency
    const xs = roots1d(dh, d.x[0], d.x[1], 4096), ys = roots1d(dh, d.y[0], d.y[1], 4096);
    const criticalPoints: KnownCriticalPoint[] = [];
    for (const x of xs) {
      for (const y of ys) {
        const kind = classifyHessian(hessian(x, y));
        if (kind) criticalPoints.push({ kind, at: [x, y], value: value(x, y), source: 'analytic: roots of 2t + 2πA sin 2πt on each axis, bisected' });
      }
    }
    return {
      name: 'rastrigin',
      formula: '2A + Σ (t² − A cos 2πt) over t = x, y',
      packedParams: packed,
      wgslModule: 'lib/surfaces/rastrigin.wgsl',
      wgslSources: {},
      value,
      gradient: (x, y) => [dh(x), dh(y)],
      hessian,
      criticalPoints,
      domain: d,
    };
  },
};
