// First pass of the particle metrics: each thread reduces a run of
// PER_THREAD consecutive particles into one Partial (loss and position
// moments of the alive ones, their expected drift for the angular momentum,
// diverged count) in registers, and counts the
// loss histogram, basin counts and the 2-D position histogram with global
// atomics. No workgroup memory and no barriers: SwiftShader (the CPU Vulkan
// driver) pays ~1 ms per 256-thread workgroup that declares them, even when
// it does no work. CPU reference: src/sim/metrics/reference.ts.
// @import lib/particle_types.wgsl
// @import lib/metrics_types.wgsl
// @import surface

@group(0) @binding(0) var<uniform> params: MetricsParams;
@group(0) @binding(1) var<storage, read> position: array<vec2f>;
@group(0) @binding(2) var<storage, read> status: array<u32>;
@group(0) @binding(3) var<storage, read> basin_map: array<u32>;
@group(0) @binding(4) var<storage, read_write> partials: array<Partial>;
// the loss histogram (LOSS_BINS) then the basin counts (MAX_BASINS) in one buffer: with the
// surface's dataset this stage uses 8 storage buffers, WebGPU's default per-stage limit
@group(0) @binding(5) var<storage, read_write> counts: array<atomic<u32>, COUNT_WORDS>;
@group(0) @binding(6) var<storage, read_write> histogram: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read> moment1: array<vec2f>;

override WG: u32 = 64u;
/** particles per thread (one Partial each) */
override PER_THREAD: u32 = 16u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let t = gid.x + gid.y * groups.x * WG;
  if (t >= params.workgroups) { return; }
  var s = zero_partial();
  let g = i32(params.grid);
  let end = min(params.count, (t + 1u) * PER_THREAD);
  for (var i = t * PER_THREAD; i < end; i++) {
    if (status[i] != ALIVE) { s.diverged += 1.0; continue; }
    let x = position[i];
    let f = surface_value(x);
    let d = x - params.origin;
    let u = expected_drift(surface_grad(x), moment1[i], params);
    s = add_partials(s, Partial(1.0, f, d.x, d.y, d.x * d.x, d.x * d.y, d.y * d.y, 0.0, cross2(d, u), u.x, u.y));
    atomicAdd(&counts[loss_bin(f, params)], 1u);
    let c = cell_of(x, params);
    if (all(c >= vec2i(0)) && all(c < vec2i(g))) {
      let cell = u32(c.y * g + c.x);
      atomicAdd(&histogram[cell], 1u);
      let b = basin_map[cell];
      if (b < params.basins) { atomicAdd(&counts[LOSS_BINS + b], 1u); }
    }
  }
  partials[t] = s;
}
