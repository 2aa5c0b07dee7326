// A field given per cell of an n × n grid over a domain (e.g. a panel's
// effective potential Φ on its Fokker–Planck grid) as a surface a
// SurfaceField can sample: bilinear between cell centres, the nearest
// centre's value beyond the outer ones. No critical points are listed.
import type { Domain } from '../model/surface-types';
import type { SampledSurface } from './surface-field';

/** `values[iy * n + ix]` at the centre of cell (ix, iy). */
export function cellSurface(values: ArrayLike<number>, n: number, domain: Domain): SampledSurface {
  const wx = (domain.x[1] - domain.x[0]) / n, wy = (domain.y[1] - domain.y[0]) / n;
  return {
    criticalPoints: [],
    value(x: number, y: number): number {
      // cell-centre coordinates: centre of cell i at u = i
      const u = Math.min(n - 1, Math.max(0, (x - domain.x[0]) / wx - 0.5));
      const v = Math.min(n - 1, Math.max(0, (y - domain.y[0]) / wy - 0.5));
      const i = Math.min(n - 2, Math.floor(u)), j = Math.min(n - 2, Math.floor(v));
      const fu = u - i, fv = v - j;
      const a = values[j * n + i], b = values[j * n + i + 1], c = values[(j + 1) * n + i], d = values[(j + 1) * n + i + 1];
      // keep exact values at the centres (an infinite neighbour with weight 0 would give NaN)
      const lerp = (p: number, q: number, t: number) => (t === 0 ? p : t === 1 ? q : p + (q - p) * t);
      return lerp(lerp(a, b, fu), lerp(c, d, fu), fv);
    },
  };
}
