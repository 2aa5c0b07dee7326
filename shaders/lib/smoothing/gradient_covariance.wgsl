// The covariance of a finite-sum surface's per-sample gradients at p,
// population form (1/N): (c_xx, c_xy, c_yy), in (loss / length)^2. Two passes
// (the mean, then centred products), so a large mean gradient cancels nothing.
// CPU reference: src/model/surfaces/finite-sum.ts (gradientCovariance).
// @import surface

fn gradient_covariance(p: vec2f) -> vec3f {
  let n = dataset_count();
  var mean = vec2f(0.0);
  for (var s = 0u; s < n; s++) {
    mean += sample_grad(p, s);
  }
  mean /= f32(n);
  var c = vec3f(0.0);
  for (var s = 0u; s < n; s++) {
    let d = sample_grad(p, s) - mean;
    c += vec3f(d.x * d.x, d.x * d.y, d.y * d.y);
  }
  return c / f32(n);
}
