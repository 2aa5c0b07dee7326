// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
// SC'11), the counter-based generator behind every random number in the lab.
// CPU reference for shaders/lib/philox.wgsl: the integer outputs must agree
// bit for bit; the float transforms agree to float32 rounding.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9; // golden ratio
const W1 = 0xbb67ae85; // sqrt(3) - 1

/** High 32 bits of the 64-bit product of two uint32 (same 16-bit split as the WGSL). */
export function mulhi32(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16;
  const bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 65536)) >>> 0;
}

export type Counter = [number, number, number, number];
export type Key = [number, number];

/** Philox4x32 with 10 rounds: counter[4], key[2] -> four uint32. */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>): Uint32Array {
  let c0 = counter[0] >>> 0, c1 = counter[1] >>> 0, c2 = counter[2] >>> 0, c3 = counter[3] >>> 0;
  let k0 = key[0] >>> 0, k1 = key[1] >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi32(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi32(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return Uint32Array.of(c0, c1, c2, c3);
}

/**
 * Uniform float32 in the open interval (0, 1): 23 random bits centred in their
 * cell, (u >> 9) * 2^-23 + 2^-24, so the smallest value is 2^-24 and the largest
 * 1 - 2^-24. Every value is exactly representable in float32.
 */
export function uniformOpen(u: number): number {
  return (u >>> 9) * 2 ** -23 + 2 ** -24;
}

/** Box–Muller: two uniforms in (0,1) -> two independent standard normals. */
export function boxMuller(u1: number, u2: number): [number, number] {
  const r = Math.sqrt(-2 * Math.log(u1));
  const theta = 2 * Math.PI * u2 - Math.PI; // in (-pi, pi), as the WGSL (lib/random.wgsl)
  return [r * Math.cos(theta), r * Math.sin(theta)];
}

/**
 * The lab's stream layout. key = (seed, stream) where stream names the panel
 * (or another independent use); counter = (index i, step k, draw j, 0), so the
 * numbers of particle i at step k are a pure function of (seed, stream, i, k, j).
 */
export function streamBits(seed: number, stream: number, i: number, k: number, j = 0): Uint32Array {
  return philox4x32([i, k, j, 0], [seed, stream]);
}

/** Four standard normals for (seed, stream, i, k, j): two Box–Muller pairs. */
export function normals4(seed: number, stream: number, i: number, k: number, j = 0): [number, number, number, number] {
  const b = streamBits(seed, stream, i, k, j);
  const [z0, z1] = boxMuller(uniformOpen(b[0]), uniformOpen(b[1]));
  const [z2, z3] = boxMuller(uniformOpen(b[2]), uniformOpen(b[3]));
  return [z0, z1, z2, z3];
}
