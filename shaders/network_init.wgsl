// Initial parameters of every network of a panel, moments and status reset.
// One thread per (network p, group j of four parameters d = 4j..4j+3):
// weight d of layer l is sqrt(gain / fanIn_l) * normals4(seed, NETWORK_INIT_STREAM, q, 0, j)[d % 4]
// with q = p ('fan-in') or q = 0 ('shared': every network starts as network 0);
// biases are 0; gain 1 (tanh) or 2 (relu). Contract: src/model/network/spec.ts.
// CPU reference: src/sim/network/reference.ts (initialNetworkParams).
// @import lib/particle_types.wgsl
// @import lib/philox.wgsl
// @import lib/network.wgsl

struct InitParams {
  count: u32,       // networks
  seed: u32,
  stream: u32,      // NETWORK_INIT_STREAM
  share: u32,       // 1: every network draws network 0's parameters
}

@group(0) @binding(0) var<uniform> cfg: InitParams;
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> moment1: array<f32>;
@group(0) @binding(3) var<storage, read_write> moment2: array<f32>;
@group(0) @binding(4) var<storage, read_write> status: array<u32>;

override WORKGROUP_SIZE: u32 = 64u;

// Standard deviation of parameter d: sqrt(gain / fanIn) for a weight, 0 for a bias.
fn init_scale(d: u32) -> f32 {
  let gain = select(1.0, 2.0, ACTIVATION == 1u);
  var off = 0u;
  var fan_in = 2u;
  for (var l = 0u; l <= HIDDEN_LAYERS; l++) {
    let fan_out = select(1u, net_width(l), l < HIDDEN_LAYERS);
    let weights = fan_in * fan_out;
    if (d < off + weights) { return sqrt(gain / f32(fan_in)); }
    if (d < off + weights + fan_out) { return 0.0; }
    off += weights + fan_out;
    fan_in = fan_out;
  }
  return 0.0;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let t = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  let per = (PARAM_COUNT + 3u) / 4u;
  if (t >= cfg.count * per) { return; }
  let p = t / per;
  let j = t - p * per;
  let q = select(p, 0u, cfg.share == 1u);
  let z = normals4(cfg.seed, cfg.stream, q, 0u, j);
  let base = p * PARAM_COUNT;
  for (var c = 0u; c < 4u; c++) {
    let d = 4u * j + c;
    if (d >= PARAM_COUNT) { break; }
    let scale = init_scale(d);
    params[base + d] = select(0.0, scale * z[c], scale != 0.0); // biases +0, not -0
    moment1[base + d] = 0.0;
    moment2[base + d] = 0.0;
  }
  if (j == 0u) { status[p] = ALIVE; }
}
