// Connected sets of degenerate critical points: many starts that converge to
// different points of one valley of minima (a circle, a hyperbola branch) are
// linked into curves, thinned and ordered along them, so the report shows one
// manifold rather than hundreds of points.
import type { Vec2 } from '../../model/surface-types';

/** Connected components of points under "closer than `link`" (union–find). */
export function linkComponents(points: Vec2[], link: number): number[][] {
  const parent = points.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  // sort by x so only near neighbours in x are compared
  const order = points.map((_, i) => i).sort((a, b) => points[a][0] - points[b][0]);
  for (let a = 0; a < order.length; a++) {
    const i = order[a];
    for (let b = a + 1; b < order.length; b++) {
      const j = order[b];
      if (points[j][0] - points[i][0] > link) break;
      if (Math.hypot(points[j][0] - points[i][0], points[j][1] - points[i][1]) <= link) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, number[]>();
  points.forEach((_, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i); else groups.set(r, [i]);
  });
  return [...groups.values()];
}

/** The largest distance between two of the points. */
export function diameter(points: Vec2[]): number {
  let d = 0;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) d = Math.max(d, Math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1]));
  }
  return d;
}

export interface OrderedCurve {
  points: Vec2[];
  /** the last point joins the first (a closed loop such as a circle) */
  closed: boolean;
  /** polyline length (plus the closing segment when closed), length units */
  length: number;
}

/**
 * Thins points on a curve to a spacing of about `spacing` and orders them
 * along it: a walk to the nearest unvisited point from the point farthest from
 * the centroid (an end of an open curve). `link` is the largest gap that still
 * joins two samples (decides whether the curve closes).
 */
export function orderAlongCurve(points: Vec2[], spacing: number, link: number): OrderedCurve {
  const kept: Vec2[] = [];
  for (const p of points) {
    if (!kept.some((q) => Math.hypot(p[0] - q[0], p[1] - q[1]) < spacing)) kept.push(p);
  }
  const cx = kept.reduce((s, p) => s + p[0], 0) / kept.length;
  const cy = kept.reduce((s, p) => s + p[1], 0) / kept.length;
  let start = 0;
  kept.forEach((p, i) => {
    if (Math.hypot(p[0] - cx, p[1] - cy) > Math.hypot(kept[start][0] - cx, kept[start][1] - cy)) start = i;
  });
  const used = new Array<boolean>(kept.length).fill(false);
  const ordered: Vec2[] = [kept[start]];
  used[start] = true;
  for (let n = 1; n < kept.length; n++) {
    const last = ordered[ordered.length - 1];
    let best = -1, bestD = Infinity;
    kept.forEach((p, i) => {
      if (used[i]) return;
      const d = Math.hypot(p[0] - last[0], p[1] - last[1]);
      if (d < bestD) { bestD = d; best = i; }
    });
    used[best] = true;
    ordered.push(kept[best]);
  }
  let length = 0;
  for (let i = 1; i < ordered.length; i++) length += Math.hypot(ordered[i][0] - ordered[i - 1][0], ordered[i][1] - ordered[i - 1][1]);
  const first = ordered[0], last = ordered[ordered.length - 1];
  const gap = Math.hypot(first[0] - last[0], first[1] - last[1]);
  const closed = ordered.length > 3 && gap <= link && length > 3 * link;
  if (closed) length += gap;
  return { points: ordered, closed, length };
}
