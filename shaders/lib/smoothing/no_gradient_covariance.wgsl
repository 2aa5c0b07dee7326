// Stand-in for lib/smoothing/gradient_covariance.wgsl on a surface without a
// dataset (no per-sample gradients): the smoothing kernel's TypeScript side
// refuses the gradient-covariance kernel there, so this is never called.

fn gradient_covariance(p: vec2f) -> vec3f {
  return vec3f(0.0);
}
