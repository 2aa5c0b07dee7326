// Threefry-2x32 with 20 rounds (Salmon et al., SC'11; Random123): only adds,
// rotations and xors, no multiplies, so it runs far faster than Philox where
// 32-bit multiplies are costly (SwiftShader). CPU reference for
// shaders/lib/threefry.wgsl: bit-exact.

import { boxMuller, uniformOpen } from './philox';

/** rotation constants of rounds 0-3 (then 4-7, and again) */
const ROTATIONS = Int32Array.of(13, 15, 26, 6, 17, 29, 16, 24);
const PARITY = 0x1bd11bda; // Skein key-schedule parity constant

/**
 * counter (c0, c1), key (k0, k1) -> two uint32 written to `out`. No
 * allocation (the CPU fallback draws millions per second): 32-bit int
 * arithmetic (| 0) throughout; the Uint32Array store reinterprets the bits.
 */
export function threefry2x32Into(c0: number, c1: number, k0: number, k1: number, out: Uint32Array): void {
  k0 |= 0;
  k1 |= 0;
  const k2 = PARITY ^ k0 ^ k1;
  let x0 = (c0 + k0) | 0;
  let x1 = (c1 + k1) | 0;
  for (let g = 0; g < 5; g++) {
    const o = (g & 1) * 4;
    for (let j = 0; j < 4; j++) {
      const r = ROTATIONS[o + j];
      x0 = (x0 + x1) | 0;
      x1 = ((x1 << r) | (x1 >>> (32 - r))) ^ x0;
    }
    // key injection s = g + 1: (ks[s % 3], ks[(s + 1) % 3] + s)
    const s = g + 1;
    const m = s % 3;
    x0 = (x0 + (m === 0 ? k0 : m === 1 ? k1 : k2)) | 0;
    x1 = (x1 + (m === 0 ? k1 : m === 1 ? k2 : k0) + s) | 0;
  }
  out[0] = x0;
  out[1] = x1;
}

/** counter[2], key[2] -> two uint32. */
export function threefry2x32(counter: ArrayLike<number>, key: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(2);
  threefry2x32Into(counter[0], counter[1], key[0], key[1], out);
  return out;
}

/**
 * The particle steps' stream (see shaders/lib/threefry.wgsl): counter = (i, k),
 * key = (seed, draw << 8 | stream) with stream < 256 (the panel) and draw < 2^24.
 */
export function stepKey(seed: number, stream: number, draw: number): [number, number] {
  return [seed >>> 0, ((draw << 8) | (stream & 0xff)) >>> 0];
}

export function stepBits(seed: number, stream: number, i: number, k: number, draw: number): Uint32Array {
  const out = new Uint32Array(2);
  threefry2x32Into(i, k, seed, (draw << 8) | (stream & 0xff), out);
  return out;
}

const scratch = new Uint32Array(2);

/** Two standard normals for particle i at step k (draw 0). */
export function stepNormals2(seed: number, stream: number, i: number, k: number): [number, number] {
  threefry2x32Into(i, k, seed, stream & 0xff, scratch);
  return boxMuller(uniformOpen(scratch[0]), uniformOpen(scratch[1]));
}
