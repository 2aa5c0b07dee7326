// The 2 x 2 symmetric Hessian: eigen-decomposition and the kind of a critical
// point from its eigenvalue signs (its index: the number of negative ones).
import type { Hessian3, Vec2 } from '../../model/surface-types';

export interface Eigen2 {
  /** eigenvalues, ascending (loss units per length^2) */
  values: Vec2;
  /** unit eigenvectors, vectors[k] for values[k] */
  vectors: [Vec2, Vec2];
}

/** Eigenvalues (ascending) and unit eigenvectors of [[xx, xy], [xy, yy]]. */
export function eigen2([xx, xy, yy]: Hessian3): Eigen2 {
  const mean = (xx + yy) / 2;
  const half = (xx - yy) / 2;
  const radius = Math.hypot(half, xy);
  const lo = mean - radius, hi = mean + radius;
  // the angle of the top eigenvector: tan(2 theta) = 2 xy / (xx - yy)
  const theta = 0.5 * Math.atan2(xy, half);
  const top: Vec2 = [Math.cos(theta), Math.sin(theta)];
  const bottom: Vec2 = [-top[1], top[0]];
  return { values: [lo, hi], vectors: [bottom, top] };
}

/** The largest |eigenvalue|: the Hessian's own scale. */
export function hessianScale(h: Hessian3): number {
  const [lo, hi] = eigen2(h).values;
  return Math.max(Math.abs(lo), Math.abs(hi));
}

/**
 * Degenerate when the smaller |eigenvalue| is at most `rtol` times the larger,
 * or at most `floor` (a curvature negligible on the surface's own scale, e.g.
 * 1e-4 of its typical Hessian): the second derivatives do not decide the kind.
 */
export function isDegenerate(values: Vec2, rtol: number, floor = 0): boolean {
  const big = Math.max(Math.abs(values[0]), Math.abs(values[1]));
  const small = Math.min(Math.abs(values[0]), Math.abs(values[1]));
  return !(big > 0) || small <= Math.max(rtol * big, floor);
}

/** Number of eigenvalues below -rtol * scale (the Morse index of a critical point). */
export function morseIndex(values: Vec2, rtol: number): number {
  const big = Math.max(Math.abs(values[0]), Math.abs(values[1]));
  return values.filter((v) => v < -rtol * big).length;
}

/** Solves [[xx, xy], [xy, yy]] d = r; undefined when singular. */
export function solve2([xx, xy, yy]: Hessian3, [rx, ry]: Vec2): Vec2 | undefined {
  const det = xx * yy - xy * xy;
  if (!(Math.abs(det) > 0) || !Number.isFinite(det)) return undefined;
  return [(yy * rx - xy * ry) / det, (xx * ry - xy * rx) / det];
}
