// CPU reference of the cloud's principal plane (src/sim/network/pca.ts) in
// float64: the same orthogonal iteration from the same starting vectors, run
// to a fixed number of iterations.
import { cloudCentre } from './spread-reference';
import { fixSign, pcaStart } from './pca';

export interface PcaReference {
  centre: Float64Array;
  u: Float64Array;
  v: Float64Array;
  /** variances along u and v (divided by the alive count) */
  variances: [number, number];
}

/** Top two principal directions of the alive networks (status 0) of `params` (count x D). */
export function pcaReference(params: ArrayLike<number>, D: number, status: ArrayLike<number>, iterations = 500, seed = 0): PcaReference {
  const count = status.length;
  const centre = cloudCentre(params, D, status);
  const alive: number[] = [];
  for (let p = 0; p < count; p++) if (status[p] === 0) alive.push(p);
  const start = pcaStart(D, seed);
  const u = Float64Array.from({ length: D }, (_, d) => start[2 * d]);
  const v = Float64Array.from({ length: D }, (_, d) => start[2 * d + 1]);
  const y1 = new Float64Array(D), y2 = new Float64Array(D);
  let n1 = 0, n2 = 0;
  for (let it = 0; it < iterations; it++) {
    y1.fill(0);
    y2.fill(0);
    for (const p of alive) {
      let w1 = 0, w2 = 0;
      for (let d = 0; d < D; d++) {
        const e = params[p * D + d] - centre[d];
        w1 += e * u[d];
        w2 += e * v[d];
      }
      for (let d = 0; d < D; d++) {
        const e = params[p * D + d] - centre[d];
        y1[d] += w1 * e;
        y2[d] += w2 * e;
      }
    }
    n1 = Math.hypot(...y1);
    for (let d = 0; d < D; d++) u[d] = y1[d] / n1;
    for (let pass = 0; pass < 2; pass++) {
      let c = 0;
      for (let d = 0; d < D; d++) c += y2[d] * u[d];
      for (let d = 0; d < D; d++) y2[d] -= c * u[d];
    }
    n2 = Math.hypot(...y2);
    for (let d = 0; d < D; d++) v[d] = y2[d] / n2;
  }
  fixSign(u);
  fixSign(v);
  return { centre, u, v, variances: [n1 / alive.length, n2 / alive.length] };
}
