// Gradient estimator for finite-sum surfaces: the mean gradient of B samples
// drawn uniformly with replacement. Sample indices for particle i at step k
// come from Threefry draws j = 1, 2, ... (two indices per draw), each index
// floor(u * N / 2^32) via mulhi32 (bias below N / 2^32).
// CPU reference: src/sim/particles/reference.ts (stochasticGradient).
// @import lib/particle_types.wgsl
// @import lib/threefry.wgsl
// @import surface

fn stochastic_grad(p: vec2f, i: u32, k: u32, rng: RngKey, noise: NoiseParams) -> vec2f {
  let n = dataset_count();
  var g = vec2f(0.0);
  var bits = vec2u(0u);
  for (var b = 0u; b < noise.batch; b++) {
    if (b % 2u == 0u) { bits = threefry2x32(vec2u(i, k), step_key(rng.seed, rng.stream, 1u + b / 2u)); }
    g += sample_grad(p, mulhi32(bits[b % 2u], n));
  }
  return g / f32(noise.batch);
}
