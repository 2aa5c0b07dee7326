// Second pass of the particle metrics (one workgroup): reduces the partial
// sums, counts diverged particles, turns the loss histogram into quantiles
// and writes one small record for readback. CPU reference: src/sim/metrics/reference.ts.
// @import lib/metrics_types.wgsl

struct MetricsRecord {
  alive: f32,
  diverged: f32,
  mean_loss: f32,
  mean: vec2f,
  cov: vec3f,             // (xx, xy, yy), population covariance
  quantiles: vec3f,       // loss quantiles 0.1, 0.5, 0.9 (bin upper edges, loss units)
  basin_fraction: array<vec4f, 4>,  // MAX_BASINS fractions of all particles
  // mean angular momentum of the cloud about its mean per unit PDE time,
  // <(x - mean) x u> with u the expected step / lr_eff (length^2 / time)
  angular_momentum: f32,
}

@group(0) @binding(0) var<uniform> params: MetricsParams;
@group(0) @binding(1) var<storage, read> partials: array<Partial>;
@group(0) @binding(2) var<storage, read> counts: array<u32, COUNT_WORDS>;  // loss histogram, then basin counts
@group(0) @binding(3) var<storage, read_write> record: MetricsRecord;

// 32, not 256: SwiftShader's compile time of a kernel with a barrier grows with the workgroup size
// (2.2 s at 256, 0.3 s at 32, paid by every new GPU device)
const WG: u32 = 32u;
const RUN: u32 = 16u;
var<workgroup> sums: array<Partial, WG>;

fn bin_upper_edge(b: u32) -> f32 {
  return params.loss_min + params.loss_floor * exp(params.log_span * f32(b + 1u) / f32(LOSS_BINS));
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = zero_partial();
  for (var g = lid; g < params.workgroups; g += WG) { s = add_partials(s, partials[g]); }
  // two levels, two barriers: WG / RUN invocations each add a run of RUN partials, then
  // invocation 0 adds the runs (a tree's barrier per level costs SwiftShader seconds to compile)
  sums[lid] = s;
  workgroupBarrier();
  let base = lid * RUN;
  if (base < WG) {
    var r = zero_partial();
    for (var k = base; k < base + RUN; k++) { r = add_partials(r, sums[k]); }
    sums[base] = r;
  }
  workgroupBarrier();
  if (lid != 0u) { return; }
  var t = zero_partial();
  for (var k = 0u; k < WG; k += RUN) { t = add_partials(t, sums[k]); }
  let n = max(t.alive, 1.0);
  let m = vec2f(t.x, t.y) / n;
  record.alive = t.alive;
  record.diverged = t.diverged;
  record.mean_loss = t.loss / n;
  record.mean = m + params.origin;
  // sum (x - mean) x u = sum (x - origin) x u - (mean - origin) x sum u
  record.angular_momentum = t.ang / n - cross2(m, vec2f(t.ux, t.uy) / n);
  record.cov = vec3f(t.xx / n - m.x * m.x, t.xy / n - m.x * m.y, t.yy / n - m.y * m.y);
  var targets = vec3f(0.1, 0.5, 0.9) * t.alive;
  var q = vec3f(0.0);
  var found = vec3<bool>(false);
  var cum = 0.0;
  for (var b = 0u; b < LOSS_BINS; b++) {
    cum += f32(counts[b]);
    for (var j = 0u; j < 3u; j++) {
      if (!found[j] && cum >= targets[j] && t.alive > 0.0) { q[j] = bin_upper_edge(b); found[j] = true; }
    }
  }
  record.quantiles = q;
  let total = f32(params.count);
  for (var b = 0u; b < MAX_BASINS; b++) {
    record.basin_fraction[b / 4u][b % 4u] = f32(counts[LOSS_BINS + b]) / total;
  }
}
