// Diagnostic: value, gradient and Hessian of the bound surface at given points
// (tests compare them with the CPU reference in src/model/surfaces/). The
// surface comes from the virtual module `surface` (a line importing its WGSL
// module); its parameters and dataset are group 1 (src/sim/surface-binding.ts).
// @import surface

@group(0) @binding(0) var<storage, read> points: array<vec2f>;
// two vec4f per point: (f, f_x, f_y, 0) and (f_xx, f_xy, f_yy, 0)
@group(0) @binding(1) var<storage, read_write> results: array<vec4f>;

override WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&points)) { return; }
  let p = points[i];
  results[2u * i] = vec4f(surface_value(p), surface_grad(p), 0.0);
  results[2u * i + 1u] = vec4f(surface_hessian(p), 0.0);
}
