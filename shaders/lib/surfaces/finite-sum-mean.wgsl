// A finite-sum surface as the mean of its per-sample loss over the dataset:
// the importing surface module defines sample_value, sample_grad and
// sample_hessian(p, s) -> vec3f (f_xx, f_xy, f_yy of sample s).
// CPU reference: src/model/surfaces/finite-sum.ts
// @import lib/dataset.wgsl

fn surface_value(p: vec2f) -> f32 {
  let n = dataset_count();
  var sum = 0.0;
  for (var s = 0u; s < n; s++) {
    sum += sample_value(p, s);
  }
  return sum / f32(n);
}

fn surface_grad(p: vec2f) -> vec2f {
  let n = dataset_count();
  var sum = vec2f(0.0);
  for (var s = 0u; s < n; s++) {
    sum += sample_grad(p, s);
  }
  return sum / f32(n);
}

fn surface_hessian(p: vec2f) -> vec3f {
  let n = dataset_count();
  var sum = vec3f(0.0);
  for (var s = 0u; s < n; s++) {
    sum += sample_hessian(p, s);
  }
  return sum / f32(n);
}
