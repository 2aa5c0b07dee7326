// Philox4x32-10 counter-based generator (Salmon et al., SC'11).
// CPU reference: src/rng/philox.ts (bit-exact on the u32 outputs).
// Stream layout: key = (seed, stream), counter = (index i, step k, draw j, 0).
// @import lib/random.wgsl

const PHILOX_M0: u32 = 0xd2511f53u;
const PHILOX_M1: u32 = 0xcd9e8d57u;
const PHILOX_W0: u32 = 0x9e3779b9u;
const PHILOX_W1: u32 = 0xbb67ae85u;

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

// Four standard normals for (seed, stream, i, k, j).
fn normals4(seed: u32, stream: u32, i: u32, k: u32, j: u32) -> vec4f {
  let b = philox4x32(vec4u(i, k, j, 0u), vec2u(seed, stream));
  let a = box_muller(uniform_open(b.x), uniform_open(b.y));
  let c = box_muller(uniform_open(b.z), uniform_open(b.w));
  return vec4f(a, c);
}
