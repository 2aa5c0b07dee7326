// Two-dimensional planes of weight space (CPU, vectors of D floats): the
// plane through three networks (Garipov et al. 2018) and the plane of two
// filter-normalised random directions around one network (Li et al. 2018).
// A plane is a point and an orthonormal pair: the network at plane
// coordinates (a, b) is origin + a u + b v, so coordinates are Euclidean
// distances in parameter space. The GPU views built on it: plane-landscape.ts
// (loss over a grid of (a, b)) and projection.ts (each network's (a, b) and
// distance from the plane); planeCoordinates below is their projection's
// CPU reference.
import { normals4 } from '../../rng/philox';
import type { NetworkLayout } from '../../model/network/spec';

export interface WeightPlane {
  /** D floats: the network at coordinates (0, 0) */
  origin: Float32Array;
  /** D floats, unit length, orthogonal to v (to float32 rounding) */
  u: Float32Array;
  v: Float32Array;
}

/**
 * Philox stream of the random directions of filterNormalizedPlane: direction
 * k (0 for u, 1 for v), parameter d is component d % 4 of
 * normals4(seed, NETWORK_PLANE_STREAM, k, 0, floor(d / 4)).
 */
export const NETWORK_PLANE_STREAM = 0x4e455450; // 'NETP'

/** Relative size of the orthogonal part below which two directions count as parallel. */
export const PARALLEL_TOLERANCE = 1e-6;

const dot = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
};

/**
 * The plane through `origin` spanned by d1 and d2 (Gram–Schmidt in float64):
 * u = d1 / |d1|, v = the part of d2 orthogonal to u, normalised. Throws when
 * d1 is zero or d2 is parallel to d1 (its orthogonal part below PARALLEL_TOLERANCE
 * of |d2|, about 17 float32 roundings: a plane there would be rounding noise).
 */
export function planeFromDirections(origin: ArrayLike<number>, d1: ArrayLike<number>, d2: ArrayLike<number>, where = 'planeFromDirections'): WeightPlane {
  const D = origin.length;
  if (d1.length !== D || d2.length !== D) throw new Error(`${where}: vectors of lengths ${D}, ${d1.length}, ${d2.length} differ`);
  const n1 = Math.sqrt(dot(d1, d1));
  if (!(n1 > 0) || !Number.isFinite(n1)) throw new Error(`${where}: the first direction has length ${n1}; it must be non-zero and finite`);
  const u = Float64Array.from(d1, (x) => x / n1);
  const w = Float64Array.from(d2);
  // twice: classical Gram-Schmidt loses orthogonality when d2 is nearly parallel to u
  for (let pass = 0; pass < 2; pass++) {
    const c = dot(w, u);
    for (let i = 0; i < D; i++) w[i] -= c * u[i];
  }
  const n2 = Math.sqrt(dot(w, w));
  if (!(n2 > PARALLEL_TOLERANCE * Math.sqrt(dot(d2, d2))) || !Number.isFinite(n2)) {
    throw new Error(`${where}: the second direction is parallel to the first (or zero); the plane is undefined`);
  }
  return { origin: Float32Array.from(origin), u: Float32Array.from(u), v: Float32Array.from(w, (x) => x / n2) };
}

/** Where x (D floats at x[offset..]) lies relative to a plane: coordinates (a, b) of its projection and its distance from the plane. */
export function planeCoordinates(plane: WeightPlane, x: ArrayLike<number>, offset = 0): { a: number; b: number; distance: number } {
  const { origin, u, v } = plane;
  const D = origin.length;
  let a = 0, b = 0;
  for (let d = 0; d < D; d++) {
    const e = x[offset + d] - origin[d];
    a += e * u[d];
    b += e * v[d];
  }
  let r2 = 0;
  for (let d = 0; d < D; d++) {
    const r = x[offset + d] - origin[d] - a * u[d] - b * v[d];
    r2 += r * r;
  }
  return { a, b, distance: Math.sqrt(r2) };
}

/** The network at plane coordinates (a, b): origin + a u + b v, in float64. */
export function planePoint(plane: WeightPlane, a: number, b: number): Float64Array {
  const { origin, u, v } = plane;
  return Float64Array.from(origin, (o, d) => o + a * u[d] + b * v[d]);
}

/**
 * The plane through three networks (Garipov et al. 2018, "Loss surfaces, mode
 * connectivity, and fast ensembling of DNNs"): origin a, u along b - a, v the
 * part of c - a orthogonal to u. `points` are the plane coordinates of a, b
 * and c: (0, 0), (|b - a|, 0) and (c - a) projected, each computed with
 * planeCoordinates on the float32 plane (so they agree with PlaneProjection).
 */
export function garipovPlane(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>): { plane: WeightPlane; points: [number, number][] } {
  const ba = Float64Array.from(b, (x, i) => x - a[i]);
  const ca = Float64Array.from(c, (x, i) => x - a[i]);
  if (!ba.some((x) => x !== 0)) throw new Error('garipovPlane: the first two networks are equal; choose three different networks');
  const plane = planeFromDirections(a, ba, ca, 'garipovPlane');
  const points = [a, b, c].map((x): [number, number] => {
    const p = planeCoordinates(plane, x);
    return [p.a, p.b];
  });
  return { plane, points };
}

/**
 * One filter-normalised random direction (Li et al. 2018, "Visualizing the
 * loss landscape of neural nets"): Gaussian entries from Philox (stream
 * NETWORK_PLANE_STREAM, direction index k); each filter, the incoming weights
 * of one unit (a row of a layer's W), rescaled to the norm of the same row of
 * `centre`; bias entries 0 (as Li et al. do for biases).
 */
export function filterNormalizedDirection(layout: NetworkLayout, centre: ArrayLike<number>, seed: number, k: number): Float64Array {
  const D = layout.params;
  if (centre.length !== D) throw new Error(`filterNormalizedPlane: the centre has ${centre.length} parameters, the layout ${D}`);
  const g = new Float64Array(D);
  for (let j = 0; 4 * j < D; j++) {
    const z = normals4(seed, NETWORK_PLANE_STREAM, k, 0, j);
    for (let c = 0; c < 4 && 4 * j + c < D; c++) g[4 * j + c] = z[c];
  }
  const dir = new Float64Array(D); // biases stay 0
  for (const { fanIn, fanOut, weightOffset } of layout.layers) {
    for (let o = 0; o < fanOut; o++) {
      const row = weightOffset + o * fanIn;
      let gn = 0, cn = 0;
      for (let i = row; i < row + fanIn; i++) { gn += g[i] * g[i]; cn += centre[i] * centre[i]; }
      const s = gn > 0 ? Math.sqrt(cn / gn) : 0;
      for (let i = row; i < row + fanIn; i++) dir[i] = g[i] * s;
    }
  }
  return dir;
}

/**
 * The plane through `centre` of two filter-normalised random directions d1, d2
 * (Li et al. 2018). Li et al. use d1 and d2 as they are (nearly, not exactly,
 * orthogonal); here they are orthonormalised (u = d1 / |d1|, v = Gram–Schmidt
 * of d2), so the plane is theirs but coordinates are Euclidean. `scale` =
 * [|d1|, |d2|]: Li et al.'s coordinate alpha along d1 is a = alpha |d1| exactly;
 * beta along d2 is b ~ beta |d2| up to the small overlap d2 . u, so a range of
 * [-scale[0], scale[0]] x [-scale[1], scale[1]] is their [-1, 1]^2.
 */
export function filterNormalizedPlane(layout: NetworkLayout, centre: ArrayLike<number>, seed: number): { plane: WeightPlane; scale: [number, number] } {
  const d1 = filterNormalizedDirection(layout, centre, seed, 0);
  const d2 = filterNormalizedDirection(layout, centre, seed, 1);
  const scale: [number, number] = [Math.sqrt(dot(d1, d1)), Math.sqrt(dot(d2, d2))];
  if (!(scale[0] > 0)) throw new Error('filterNormalizedPlane: every weight row of the centre is zero, so both directions are zero; choose a network with non-zero weights');
  return { plane: planeFromDirections(centre, d1, d2, 'filterNormalizedPlane'), scale };
}

/** The plane's three vectors packed for the GPU: origin, u, v (3 x D f32), the layout the plane kernels read. */
export function packPlane(plane: WeightPlane): Float32Array<ArrayBuffer> {
  const D = plane.origin.length;
  if (plane.u.length !== D || plane.v.length !== D) throw new Error(`packPlane: origin, u, v have lengths ${D}, ${plane.u.length}, ${plane.v.length}`);
  const out = new Float32Array(3 * D);
  out.set(plane.origin, 0);
  out.set(plane.u, D);
  out.set(plane.v, 2 * D);
  return out;
}
