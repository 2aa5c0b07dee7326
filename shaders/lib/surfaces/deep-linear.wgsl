// deep-linear: f_s = (x y u_s - t_s)^2, u_s = dataset[s].x, t_s = teacher u_s + noise dataset[s].y.
// params: 0 teacher, 1 noise, 2 samples (the dataset length; read on the CPU)
// CPU reference: src/model/surfaces/deep-linear.ts
// @import lib/dataset.wgsl
// @import lib/surfaces/finite-sum-mean.wgsl

// (input u_s, target t_s) of sample s
fn deep_linear_sample(s: u32) -> vec2f {
  let d = dataset[s];
  return vec2f(d.x, surface_param(0u) * d.x + surface_param(1u) * d.y);
}

fn sample_value(p: vec2f, s: u32) -> f32 {
  let ut = deep_linear_sample(s);
  let r = p.x * p.y * ut.x - ut.y;
  return r * r;
}

fn sample_grad(p: vec2f, s: u32) -> vec2f {
  let ut = deep_linear_sample(s);
  let r = p.x * p.y * ut.x - ut.y;
  return (2.0 * r * ut.x) * p.yx;
}

fn sample_hessian(p: vec2f, s: u32) -> vec3f {
  let ut = deep_linear_sample(s);
  let u = ut.x;
  let r = p.x * p.y * u - ut.y;
  return 2.0 * u * vec3f(u * p.y * p.y, u * p.x * p.y + r, u * p.x * p.x);
}
