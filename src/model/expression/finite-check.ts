// Is the formula usable over the domain? A loss that is NaN or infinite on a
// noticeable part of the domain (log(x) for x < 0, a pole) kills the particles
// and the density there, so it is refused with the fraction and an example.
import type { Domain, Vec2 } from '../surface-types';
import { FormulaDomainError } from './errors';
import { formatNumber } from '../format';

export interface FiniteCheckOptions {
  /** samples per axis, at the centres of a grid x grid partition of the domain */
  grid?: number;
  /** largest acceptable fraction of non-finite samples */
  maxFraction?: number;
}

/** Throws FormulaDomainError when value, or else gradient, is not finite on more than maxFraction of the samples. */
export function checkFinite(
  f: { value(x: number, y: number): number; gradient(x: number, y: number): Vec2 },
  domain: Domain,
  { grid = 64, maxFraction = 0.01 }: FiniteCheckOptions = {},
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
    const bad = points.filter((p) => !at(p).every(Number.isFinite));
    const fraction = bad.length / points.length;
    if (fraction > maxFraction) {
      const example = bad[0];
      const shown = at(example).map((v) => formatNumber(v));
      const values = shown.length === 1 ? shown[0] : `(${shown.join(', ')})`;
      throw new FormulaDomainError(
        `${name} is not finite on ${(100 * fraction).toFixed(1)}% of the domain ` +
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

