// Gradient estimator: the surface's gradient plus additive Gaussian noise
// g = grad f(x) + noise_scale * L xi, xi ~ N(0, I) from Threefry (seed, stream, i, k, draw 0).
// "langevin": noise_scale = sqrt(2 T / lr); "gaussian": noise_scale = s / sqrt(B).
// L is the Cholesky factor of the diffusion matrix.
// CPU reference: src/sim/particles/reference.ts (stochasticGradient).
// @import lib/particle_types.wgsl
// @import lib/threefry.wgsl
// @import surface

fn stochastic_grad(p: vec2f, i: u32, k: u32, rng: RngKey, noise: NoiseParams) -> vec2f {
  let g = surface_grad(p);
  let z = step_normals2(rng.seed, rng.stream, i, k);
  // L = [[l00, 0], [l10, l11]] stored as (l00, l10, l11, _)
  let lz = vec2f(noise.chol.x * z.x, noise.chol.y * z.x + noise.chol.z * z.y);
  return g + noise.scale * lz;
}
