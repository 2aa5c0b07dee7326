// Shared pieces of the Fokker–Planck metrics reduction
// (fokker_planck_reduce.wgsl, fokker_planck_reduce_final.wgsl).
// Twelve sums, as three vec4f per partial:
//   s0 = (mass, E_p[f], sum p log(p/area), KL main part)
//   s1 = (KL mass part, hist S, hist N, circulation)
//   s2 = (integral |J|, 0, 0, 0)
// src/sim/fokker-planck/metrics-stage.ts turns them into FokkerPlanckMetrics.

// reduction workgroup size (a power of two)
override RED_WG: u32 = 256u;

var<workgroup> fp_acc0: array<vec4f, RED_WG>;
var<workgroup> fp_acc1: array<vec4f, RED_WG>;
var<workgroup> fp_acc2: array<vec4f, RED_WG>;

// Tree sum over the workgroup; returns the totals to every invocation after the last barrier.
fn fp_workgroup_sum(lid: u32, a0: vec4f, a1: vec4f, a2: vec4f) {
  fp_acc0[lid] = a0;
  fp_acc1[lid] = a1;
  fp_acc2[lid] = a2;
  workgroupBarrier();
  for (var s = RED_WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      fp_acc0[lid] += fp_acc0[lid + s];
      fp_acc1[lid] += fp_acc1[lid + s];
      fp_acc2[lid] += fp_acc2[lid + s];
    }
    workgroupBarrier();
  }
}
