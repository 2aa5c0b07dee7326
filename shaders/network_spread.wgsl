// The cloud's centre (mean parameter vector over the alive networks) and each
// network's Euclidean distance to it per layer (W and b of layer l together:
// the contiguous range [layer_start[l], layer_start[l + 1]) of its vector).
// Three passes, no workgroup memory:
//   centre_partials: thread t = c * D + d sums parameter d over the alive
//     networks of chunk c (CHUNK consecutive networks) and counts them;
//   centre_final: thread d adds its chunks in order and divides (NaN when no
//     network is alive);
//   distances: thread t = p * L + l, the distance of network p's layer l.
// Two-level sums keep the float32 rounding of the centre at ~(CHUNK + chunks)
// ulp instead of count ulp. CPU reference: src/sim/network/spread-reference.ts.

struct SpreadConfig {
  count: u32,
  /** D: parameters per network */
  dim: u32,
  /** L: layers (hidden layers + the output layer), 2..4 */
  layers: u32,
  chunks: u32,
  /** the bits of a quiet NaN */
  nan_bits: u32,
  /** first parameter of layer l (l < L), then D: layer l is [start[l], start[l + 1]) */
  layer_start: array<vec4u, 2>,
}

@group(0) @binding(0) var<uniform> cfg: SpreadConfig;
@group(0) @binding(1) var<storage, read> params: array<f32>;
/** u32 per network: 0 alive */
@group(0) @binding(2) var<storage, read> status: array<u32>;
/** (sum, alive count) of chunk c for parameter d, at c * D + d */
@group(0) @binding(3) var<storage, read_write> partials: array<vec2f>;
@group(0) @binding(4) var<storage, read_write> centre: array<f32>;
/** count x L */
@group(0) @binding(5) var<storage, read_write> distances: array<f32>;

override WG: u32 = 64u;
/** networks per thread of the first pass */
override CHUNK: u32 = 64u;

fn layer_start(l: u32) -> u32 {
  return cfg.layer_start[l / 4u][l % 4u];
}

@compute @workgroup_size(WG)
fn centre_partials(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let t = gid.x + gid.y * groups.x * WG;
  if (t >= cfg.chunks * cfg.dim) { return; }
  let c = t / cfg.dim;
  let d = t % cfg.dim;
  var s = vec2f(0.0);
  let end = min(cfg.count, (c + 1u) * CHUNK);
  for (var p = c * CHUNK; p < end; p++) {
    if (status[p] != 0u) { continue; }
    s += vec2f(params[p * cfg.dim + d], 1.0);
  }
  partials[t] = s;
}

@compute @workgroup_size(WG)
fn centre_final(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let d = gid.x + gid.y * groups.x * WG;
  if (d >= cfg.dim) { return; }
  var s = vec2f(0.0);
  for (var c = 0u; c < cfg.chunks; c++) { s += partials[c * cfg.dim + d]; }
  centre[d] = select(bitcast<f32>(cfg.nan_bits), s.x / s.y, s.y > 0.0);
}

@compute @workgroup_size(WG)
fn layer_distances(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let t = gid.x + gid.y * groups.x * WG;
  if (t >= cfg.count * cfg.layers) { return; }
  let p = t / cfg.layers;
  let l = t % cfg.layers;
  let base = p * cfg.dim;
  var s = 0.0;
  for (var d = layer_start(l); d < layer_start(l + 1u); d++) {
    let e = params[base + d] - centre[d];
    s += e * e;
  }
  distances[t] = sqrt(s);
}
