// Is the formula usable over the domain? A loss that is NaN or infinite on a
// noticeable part of the domain (log(x) for x < 0, a pole) kills the particles
// and the density there, so it is refused with the fraction and an example.
// Values beyond `limit` count as infinite: float32, the GPU's type, overflows
// there (or, with the default margin, sums and lr * gradient products would).
import type { Domain, Vec2 } from '../surface-types';
import { FormulaDomainError } from './errors';
import { MAX_LOSS_MAGNITUDE } from '../float32';
import { shortNumber as formatNumber } from '../issue-text';

export interface FiniteCheckOptions {
  /** samples per axis, at the centres of a grid x grid partition of the domain */
  grid?: number;
  /** largest acceptable fraction of non-finite samples */
  maxFraction?: number;
  /** |values| above this count as not finite (float32 overflow with margin) */
  limit?: number;
}

/** Throws FormulaDomainError when value, or else gradient, is not finite on more than maxFraction of the samples. */
export function checkFinite(
  f: { value(x: number, y: number): number; gradient(x: number, y: number): Vec2 },
  domain: Domain,
  { grid = 64, maxFraction = 0.01, limit = MAX_LOSS_MAGNITUDE }: FiniteCheckOptions = {},
): void {
  const points: Vec2[] = [];
  for (let j = 0; j < grid; j++) {
    for (let i = 0; i < grid; i++) {
      // cell centres: never on the domain's edges nor, for symmetric domains, on the axes
      points.push([lerp(domain.x, (i + 0.5) / grid), lerp(domain.y, (j + 0.5) / grid)]);
    }
  }
  const parts = [
    { part: 'value' as const, name: 'f(x, y)', at: (p: Vec2) => [f.value(p[0], p[1])] },
    { part: 'gradient' as const, name: 'the gradient of f(x, y)', at: (p: Vec2) => f.gradient(p[0], p[1]) },
  ];
  for (const { part, name, at } of parts) {
    const bad = points.filter((p) => !at(p).every((v) => Math.abs(v) <= limit));
    const fraction = bad.length / points.length;
    if (fraction > maxFraction) {
      const example = bad[0];
      const shown = at(example).map((v) => formatNumber(v));
      const values = shown.length === 1 ? shown[0] : `(${shown.join(', ')})`;
      const overflow = at(example).every(Number.isFinite);
      throw new FormulaDomainError(
        `${name} is ${overflow ? `beyond ±${formatNumber(limit)} (float32 overflows near there)` : 'not finite'} on ${(100 * fraction).toFixed(1)}% of the domain ` +
          `x in [${domain.x.map((v) => formatNumber(v)).join(', ')}], y in [${domain.y.map((v) => formatNumber(v)).join(', ')}] (${grid}x${grid} samples), ` +
          `e.g. ${values} at (${example.map((v) => formatNumber(v)).join(', ')}); change the formula or the domain`,
        part, fraction, example,
      );
    }
  }
}

function lerp([a, b]: Vec2, t: number): number {
  return a + (b - a) * t;
}

