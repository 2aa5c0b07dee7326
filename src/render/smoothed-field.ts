// The smoothed loss as a SurfaceField the renderer can draw like the raw one:
// the smoothed values come on the (n + 1)^2 vertices of an n-cell grid over
// the domain (src/ui/analysis-worker.ts computes them there) and are shown in
// the raw field's display scale, so colours and heights mean the same loss.
import type { SmoothedLoss } from '../sim/analysis/smoothing';
import { SurfaceField, type SampledSurface } from './surface-field';

export function smoothedField(s: SmoothedLoss, raw: SurfaceField): SurfaceField {
  const n = s.grid - 1;
  const d = raw.domain;
  const vertex = (v: number, lo: number, hi: number) => Math.min(n, Math.max(0, Math.round(((v - lo) / (hi - lo)) * n)));
  // SurfaceField samples exactly the grid's vertices: each lookup lands on one value
  const lookup: SampledSurface = {
    value: (x: number, y: number) => s.smoothed[vertex(y, d.y[0], d.y[1]) * s.grid + vertex(x, d.x[0], d.x[1])],
    criticalPoints: [],
  };
  return new SurfaceField(lookup, d, n, 'auto', raw);
}
