// Threefry-2x32-20 counter-based generator (Salmon et al., SC'11; Random123):
// adds, rotations and xors only. CPU reference: src/rng/threefry.ts (bit-exact).
// The particle steps' stream: counter = (index i, step k), key = (seed, draw j << 8 | stream),
// stream < 256 (the panel), draw j < 2^24 (0: the step's two normals; 1, 2, ...: minibatch indices).
// @import lib/random.wgsl

const THREEFRY_PARITY: u32 = 0x1bd11bdau;

fn rotl32(x: u32, r: u32) -> u32 {
  return (x << r) | (x >> (32u - r));
}

fn threefry_mix4(x: vec2u, r0: u32, r1: u32, r2: u32, r3: u32) -> vec2u {
  var a = x.x; var b = x.y;
  a += b; b = rotl32(b, r0) ^ a;
  a += b; b = rotl32(b, r1) ^ a;
  a += b; b = rotl32(b, r2) ^ a;
  a += b; b = rotl32(b, r3) ^ a;
  return vec2u(a, b);
}

fn threefry2x32(counter: vec2u, key: vec2u) -> vec2u {
  let ks2 = THREEFRY_PARITY ^ key.x ^ key.y;
  var x = counter + key;
  x = threefry_mix4(x, 13u, 15u, 26u, 6u);   x += vec2u(key.y, ks2 + 1u);
  x = threefry_mix4(x, 17u, 29u, 16u, 24u);  x += vec2u(ks2, key.x + 2u);
  x = threefry_mix4(x, 13u, 15u, 26u, 6u);   x += vec2u(key.x, key.y + 3u);
  x = threefry_mix4(x, 17u, 29u, 16u, 24u);  x += vec2u(key.y, ks2 + 4u);
  x = threefry_mix4(x, 13u, 15u, 26u, 6u);   x += vec2u(ks2, key.x + 5u);
  return x;
}

fn step_key(seed: u32, stream: u32, draw: u32) -> vec2u {
  return vec2u(seed, (draw << 8u) | (stream & 0xffu));
}

// Two standard normals for particle i at step k (draw 0).
fn step_normals2(seed: u32, stream: u32, i: u32, k: u32) -> vec2f {
  let b = threefry2x32(vec2u(i, k), step_key(seed, stream, 0u));
  return box_muller(uniform_open(b.x), uniform_open(b.y));
}
