// Threefry-2x32 with 20 rounds (Salmon et al., SC'11; Random123): only adds,
// rotations and xors, no multiplies, so it runs far faster than Philox where
// 32-bit multiplies are costly (SwiftShader). CPU reference for
// shaders/lib/threefry.wgsl: bit-exact.

import { boxMuller, uniformOpen } from './philox';

const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24];
const PARITY = 0x1bd11bda; // Skein key-schedule parity constant

const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;

/** counter[2], key[2] -> two uint32. */
export function threefry2x32(counter: ArrayLike<number>, key: ArrayLike<number>): Uint32Array {
  const ks = [key[0] >>> 0, key[1] >>> 0, (PARITY ^ key[0] ^ key[1]) >>> 0];
  let x0 = (counter[0] + ks[0]) >>> 0;
  let x1 = (counter[1] + ks[1]) >>> 0;
  for (let r = 0; r < 20; r++) {
    x0 = (x0 + x1) >>> 0;
    x1 = rotl(x1, ROTATIONS[r % 8]);
    x1 = (x1 ^ x0) >>> 0;
    if (r % 4 === 3) {
      const s = (r + 1) / 4;
      x0 = (x0 + ks[s % 3]) >>> 0;
      x1 = (x1 + ks[(s + 1) % 3] + s) >>> 0;
    }
  }
  return Uint32Array.of(x0, x1);
}

/**
 * The particle steps' stream (see shaders/lib/threefry.wgsl): counter = (i, k),
 * key = (seed, draw << 8 | stream) with stream < 256 (the panel) and draw < 2^24.
 */
export function stepKey(seed: number, stream: number, draw: number): [number, number] {
  return [seed >>> 0, ((draw << 8) | (stream & 0xff)) >>> 0];
}

export function stepBits(seed: number, stream: number, i: number, k: number, draw: number): Uint32Array {
  return threefry2x32([i, k], stepKey(seed, stream, draw));
}

/** Two standard normals for particle i at step k (draw 0). */
export function stepNormals2(seed: number, stream: number, i: number, k: number): [number, number] {
  const b = stepBits(seed, stream, i, k, 0);
  return boxMuller(uniformOpen(b[0]), uniformOpen(b[1]));
}
