// CPU reference of the cloud spread (src/sim/network/spread.ts) in float64.
import type { NetworkLayout } from '../../model/network/spec';
import { layerStarts } from './spread';

/** The mean parameter vector over the alive networks (status 0); NaN everywhere when none is alive. */
export function cloudCentre(params: ArrayLike<number>, D: number, status: ArrayLike<number>): Float64Array {
  const centre = new Float64Array(D);
  let alive = 0;
  for (let p = 0; p < status.length; p++) {
    if (status[p] !== 0) continue;
    alive++;
    for (let d = 0; d < D; d++) centre[d] += params[p * D + d];
  }
  for (let d = 0; d < D; d++) centre[d] = alive > 0 ? centre[d] / alive : NaN;
  return centre;
}

/** count x L: network p's Euclidean distance to `centre` over layer l's W and b, at p * L + l. */
export function layerDistances(layout: NetworkLayout, params: ArrayLike<number>, count: number, centre: ArrayLike<number>): Float64Array {
  const starts = layerStarts(layout);
  const L = layout.layers.length, D = layout.params;
  const out = new Float64Array(count * L);
  for (let p = 0; p < count; p++) {
    for (let l = 0; l < L; l++) {
      let s = 0;
      for (let d = starts[l]; d < starts[l + 1]; d++) {
        const e = params[p * D + d] - centre[d];
        s += e * e;
      }
      out[p * L + l] = Math.sqrt(s);
    }
  }
  return out;
}
