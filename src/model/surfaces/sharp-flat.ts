// sharp-flat: f = c r⁴ − A exp(−|p − a|²/s) − B exp(−|p − b|²/w), a = (−1, 0),
// b = (1, 0), r² = x² + y². A deep narrow minimum near a and a shallower wide
// one near b, joined by a saddle: at low T the Gibbs density sits in the deep
// one, at high T the wide basin's larger volume (entropy) outweighs its
// height, so hot clouds leave the deeper minimum for the higher, flatter one.
// The defaults are the example of issue 16 (the free energies of the two
// basins cross near T = 0.1; gibbs_basin_K gives them per panel).
import { defineSurface } from '../define-surface';
import type { Hessian3, Vec2 } from '../surface-types';
import { gridSeeds, searchCriticalPoints } from './critical';

export const sharpFlat = defineSurface({
  name: 'sharp-flat',
  title: 'Sharp deep vs flat shallow',
  blurb: 'A deep narrow minimum and a shallower wide one: which one the cloud prefers depends on T (energy against entropy).',
  params: [
    { name: 'sharpDepth', default: 1, min: 0, max: 10, description: 'depth A of the narrow well at (−1, 0) (loss units)' },
    { name: 'sharpWidth', default: 0.125, min: 0.01, max: 4, description: 'its squared width s (domain units²)' },
    { name: 'flatDepth', default: 0.8, min: 0, max: 10, description: 'depth B of the wide well at (1, 0) (loss units)' },
    { name: 'flatWidth', default: 2, min: 0.01, max: 10, description: 'its squared width w (domain units²)' },
    { name: 'confine', default: 0.005, min: 0.0001, max: 1, description: 'quartic confinement c r⁴ (loss units per domain unit⁴)' },
  ],
  defaultDomain: { x: [-3, 3], y: [-3, 3] },
  formula: 'c r⁴ − A exp(−|p − (−1, 0)|²/s) − B exp(−|p − (1, 0)|²/w)',
  bind({ values: { sharpDepth: A, sharpWidth: s, flatDepth: B, flatWidth: w, confine: c }, domain }) {
    // one Gaussian well −depth exp(−|p − centre|²/width): value, gradient, Hessian
    const well = (depth: number, width: number, cx: number, x: number, y: number) => {
      const dx = x - cx, dy = y, e = depth * Math.exp(-(dx * dx + dy * dy) / width), k = (2 * e) / width;
      return { v: -e, g: [k * dx, k * dy] as Vec2, h: [k * (1 - (2 * dx * dx) / width), (-k * 2 * dx * dy) / width, k * (1 - (2 * dy * dy) / width)] as Hessian3 };
    };
    const parts = (x: number, y: number) => [well(A, s, -1, x, y), well(B, w, 1, x, y)];
    const value = (x: number, y: number) => { const r2 = x * x + y * y; return c * r2 * r2 + parts(x, y).reduce((t, p) => t + p.v, 0); };
    const gradient = (x: number, y: number): Vec2 => {
      const r2 = x * x + y * y;
      return parts(x, y).reduce<Vec2>((g, p) => [g[0] + p.g[0], g[1] + p.g[1]], [4 * c * r2 * x, 4 * c * r2 * y]);
    };
    const hessian = (x: number, y: number): Hessian3 => {
      const r2 = x * x + y * y;
      return parts(x, y).reduce<Hessian3>((h, p) => [h[0] + p.h[0], h[1] + p.h[1], h[2] + p.h[2]],
        [4 * c * (r2 + 2 * x * x), 8 * c * x * y, 4 * c * (r2 + 2 * y * y)]);
    };
    const criticalPoints = searchCriticalPoints({ value, gradient, hessian }, gridSeeds(domain, 24), domain, 'Newton on the exact gradient from a 24 x 24 grid over the domain');
    return { value, gradient, hessian, criticalPoints };
  },
});
