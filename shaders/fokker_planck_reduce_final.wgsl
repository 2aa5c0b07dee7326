// Metrics of the Fokker–Planck density, pass 2: one workgroup sums the
// partials of fokker_planck_reduce.wgsl into three vec4f (the small readback).
// @import lib/fokker_planck_metrics.wgsl

@group(0) @binding(0) var<storage, read> partials: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> totals: array<vec4f, 3>;

// number of partials (workgroups of pass 1)
override PARTIALS: u32 = 1u;

@compute @workgroup_size(RED_WG)
fn main(@builtin(local_invocation_id) lid3: vec3u) {
  let lid = lid3.x;
  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  var a2 = vec4f(0.0);
  for (var g = lid; g < PARTIALS; g += RED_WG) {
    a0 += partials[3u * g];
    a1 += partials[3u * g + 1u];
    a2 += partials[3u * g + 2u];
  }
  fp_workgroup_sum(lid, a0, a1, a2);
  if (lid == 0u) {
    totals[0] = fp_acc0[0];
    totals[1] = fp_acc1[0];
    totals[2] = fp_acc2[0];
  }
}
