// Gradient estimator without noise ("none": plain gradient descent). A kernel
// that never draws random numbers: SwiftShader would otherwise evaluate the
// generator under a mask even when the noise scale is zero.
// CPU reference: src/sim/particles/reference.ts (stochasticGradient).
// @import lib/particle_types.wgsl
// @import surface

fn stochastic_grad(p: vec2f, i: u32, k: u32, rng: RngKey, noise: NoiseParams) -> vec2f {
  return surface_grad(p);
}
