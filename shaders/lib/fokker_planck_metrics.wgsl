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

// Sum over the workgroup in two levels with two barriers: RED_WG / 16 invocations
// each add a run of 16 slots, then invocation 0 adds those runs (error ~32 ulp
// of the largest term, as a tree's ~8). A tree with one barrier per level costs
// SwiftShader (the CPU Vulkan driver) seconds to compile: each barrier inside a
// loop becomes a coroutine split. The totals are in fp_acc*[0] for invocation 0.
const FP_RUN: u32 = 16u;

fn fp_workgroup_sum(lid: u32, a0: vec4f, a1: vec4f, a2: vec4f) {
  fp_acc0[lid] = a0;
  fp_acc1[lid] = a1;
  fp_acc2[lid] = a2;
  workgroupBarrier();
  let base = lid * FP_RUN;
  if (base < RED_WG) {
    var s0 = vec4f(0.0);
    var s1 = vec4f(0.0);
    var s2 = vec4f(0.0);
    for (var k = base; k < min(base + FP_RUN, RED_WG); k++) {
      s0 += fp_acc0[k];
      s1 += fp_acc1[k];
      s2 += fp_acc2[k];
    }
    // slot `base` is read by this invocation only until the barrier below
    fp_acc0[base] = s0;
    fp_acc1[base] = s1;
    fp_acc2[base] = s2;
  }
  workgroupBarrier();
  if (lid == 0u) {
    var t0 = vec4f(0.0);
    var t1 = vec4f(0.0);
    var t2 = vec4f(0.0);
    for (var k = 0u; k < RED_WG; k += FP_RUN) {
      t0 += fp_acc0[k];
      t1 += fp_acc1[k];
      t2 += fp_acc2[k];
    }
    fp_acc0[0] = t0;
    fp_acc1[0] = t1;
    fp_acc2[0] = t2;
  }
}
