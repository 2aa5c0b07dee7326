// Shared structs of the particle kernels. TypeScript packs them through
// reflection of this WGSL (webgpu-utils), so the layouts cannot drift.

struct RngKey { seed: u32, stream: u32 }

struct NoiseParams {
  scale: f32,      // multiplies L xi (see lib/gradient/exact.wgsl)
  batch: u32,      // minibatch size B
  chol: vec4f,     // (l00, l10, l11, 0): Cholesky factor of the diffusion matrix
}

// Particle state flags: 0 = alive; otherwise 1 + the step at which the
// particle's position or loss stopped being finite or left the bound box.
const ALIVE: u32 = 0u;

// True when no component is +-inf or NaN (bit test: immune to fast-math).
fn is_finite2(p: vec2f) -> bool {
  let e = bitcast<vec2u>(p) & vec2u(0x7f800000u);
  return all(e != vec2u(0x7f800000u));
}

fn is_finite1(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}
