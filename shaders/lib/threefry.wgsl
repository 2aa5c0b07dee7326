// Threefry-2x32-20 counter-based generator (Salmon et al., SC'11; Random123):
// adds, rotations and xors only. CPU reference: src/sim/rng/threefry.ts (bit-exact).

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
