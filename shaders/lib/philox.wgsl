// Philox4x32-10 counter-based generator (Salmon et al., SC'11).
// CPU reference: src/sim/rng/reference.ts (bit-exact on the u32 outputs).
// Stream layout: key = (seed, stream), counter = (index i, step k, draw j, 0).

const PHILOX_M0: u32 = 0xd2511f53u;
const PHILOX_M1: u32 = 0xcd9e8d57u;
const PHILOX_W0: u32 = 0x9e3779b9u;
const PHILOX_W1: u32 = 0xbb67ae85u;

// High 32 bits of a * b (WGSL has no u64): 16-bit limbs.
fn mulhi32(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu; let ah = a >> 16u;
  let bl = b & 0xffffu; let bh = b >> 16u;
  let ll = al * bl; let lh = al * bh; let hl = ah * bl; let hh = ah * bh;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}

fn philox4x32(counter: vec4u, key: vec2u) -> vec4u {
  var c = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    let hi0 = mulhi32(PHILOX_M0, c.x);
    let lo0 = PHILOX_M0 * c.x;
    let hi1 = mulhi32(PHILOX_M1, c.z);
    let lo1 = PHILOX_M1 * c.z;
    c = vec4u(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    k = k + vec2u(PHILOX_W0, PHILOX_W1);
  }
  return c;
}

// Uniform in the open interval (0, 1): (u >> 9) * 2^-23 + 2^-24, exact in f32.
fn uniform_open(u: u32) -> f32 {
  return f32(u >> 9u) * 1.1920928955078125e-7 + 5.9604644775390625e-8;
}

// Box–Muller on two open uniforms: two independent standard normals.
fn box_muller(u1: f32, u2: f32) -> vec2f {
  let r = sqrt(-2.0 * log(u1));
  // theta in (-pi, pi), where WGSL bounds sin/cos to 2^-11 absolute error
  let theta = 6.283185307179586 * u2 - 3.141592653589793;
  return vec2f(r * cos(theta), r * sin(theta));
}

// Four standard normals for (seed, stream, i, k, j).
fn normals4(seed: u32, stream: u32, i: u32, k: u32, j: u32) -> vec4f {
  let b = philox4x32(vec4u(i, k, j, 0u), vec2u(seed, stream));
  let a = box_muller(uniform_open(b.x), uniform_open(b.y));
  let c = box_muller(uniform_open(b.z), uniform_open(b.w));
  return vec4f(a, c);
}
