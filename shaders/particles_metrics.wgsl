// First pass of the particle metrics: per-workgroup sums of loss and position
// moments (alive particles only), the loss histogram, basin counts and the
// 2-D position histogram (global atomics; loss and basin counts privatised in
// workgroup memory first). CPU reference: src/sim/metrics/reference.ts.
// @import lib/particle_types.wgsl
// @import lib/metrics_types.wgsl
// @import surface

@group(0) @binding(0) var<uniform> params: MetricsParams;
@group(0) @binding(1) var<storage, read> position: array<vec2f>;
@group(0) @binding(2) var<storage, read> status: array<u32>;
@group(0) @binding(3) var<storage, read> basin_map: array<u32>;
@group(0) @binding(4) var<storage, read_write> partials: array<Partial>;
@group(0) @binding(5) var<storage, read_write> loss_hist: array<atomic<u32>, LOSS_BINS>;
@group(0) @binding(6) var<storage, read_write> basin_counts: array<atomic<u32>, MAX_BASINS>;
@group(0) @binding(7) var<storage, read_write> histogram: array<atomic<u32>>;

const WG: u32 = 256u;
var<workgroup> shared_sums: array<Partial, WG>;
var<workgroup> wg_loss_hist: array<atomic<u32>, LOSS_BINS>;
var<workgroup> wg_basins: array<atomic<u32>, MAX_BASINS>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32,
        @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  let group = wid.x + wid.y * groups.x;
  atomicStore(&wg_loss_hist[lid], 0u);  // LOSS_BINS == WG
  if (lid < MAX_BASINS) { atomicStore(&wg_basins[lid], 0u); }
  workgroupBarrier();

  var s = Partial(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  if (i < params.count && status[i] != ALIVE) { s.diverged = 1.0; }
  if (i < params.count && status[i] == ALIVE) {
    let x = position[i];
    let f = surface_value(x);
    let d = x - params.origin;
    s = Partial(1.0, f, d.x, d.y, d.x * d.x, d.x * d.y, d.y * d.y, 0.0);
    atomicAdd(&wg_loss_hist[loss_bin(f, params)], 1u);
    let c = cell_of(x, params);
    let g = i32(params.grid);
    if (all(c >= vec2i(0)) && all(c < vec2i(g))) {
      let cell = u32(c.y * g + c.x);
      atomicAdd(&histogram[cell], 1u);
      let b = basin_map[cell];
      if (b < params.basins) { atomicAdd(&wg_basins[b], 1u); }
    }
  }
  shared_sums[lid] = s;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      shared_sums[lid] = add_partials(shared_sums[lid], shared_sums[lid + stride]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) { partials[group] = shared_sums[0]; }
  let n = atomicLoad(&wg_loss_hist[lid]);
  if (n > 0u) { atomicAdd(&loss_hist[lid], n); }
  if (lid < MAX_BASINS) {
    let nb = atomicLoad(&wg_basins[lid]);
    if (nb > 0u) { atomicAdd(&basin_counts[lid], nb); }
  }
}
