// Turning counter-based random words into numbers. CPU reference:
// src/rng/philox.ts (uniformOpen, boxMuller, mulhi32).

// High 32 bits of a * b (WGSL has no u64): 16-bit limbs.
fn mulhi32(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu; let ah = a >> 16u;
  let bl = b & 0xffffu; let bh = b >> 16u;
  let ll = al * bl; let lh = al * bh; let hl = ah * bl; let hh = ah * bh;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
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
