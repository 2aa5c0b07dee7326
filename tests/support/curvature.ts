// The largest Hessian magnitude of a surface over its domain (sampled), used
// to pick a stable learning rate for tests: lr * L_max well below 2.
import type { Surface } from '../../src/model/surface-types';

export function maxCurvature(surface: Surface, samples = 24): number {
  const d = surface.domain;
  let worst = 0;
  for (let j = 0; j <= samples; j++) {
    for (let i = 0; i <= samples; i++) {
      const x = d.x[0] + ((d.x[1] - d.x[0]) * i) / samples;
      const y = d.y[0] + ((d.y[1] - d.y[0]) * j) / samples;
      const [a, b, c] = surface.hessian(x, y);
      // spectral radius of [[a, b], [b, c]]
      const r = Math.abs((a + c) / 2) + Math.hypot((a - c) / 2, b);
      if (Number.isFinite(r)) worst = Math.max(worst, r);
    }
  }
  return worst;
}
