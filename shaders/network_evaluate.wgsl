// Per-network evaluation on whole splits: mean binary cross-entropy (nats, no
// weight-decay term) and accuracy (prediction 1 iff logit > 0) on the training
// split and on the test split. Two passes, no workgroup memory (SwiftShader
// pays ~1 ms per workgroup that declares it):
//   partial_sums: one thread per (network p, chunk c of CHUNK consecutive
//     samples); chunks 0 .. chunks_train-1 cover the training split, the next
//     chunks_test the test split. Thread t = p * chunks + c, so neighbouring
//     threads read the same network's weights.
//     Each thread runs four samples at a time (forward4: net_forward of
//     lib/network.wgsl on vec4 lanes, the same operations in the same order),
//     so every weight is loaded once per four forward passes: 2-3x faster than
//     one sample at a time through SwiftShader (measured in one session, widths
//     8, 32, 64), where loads with bounds checks dominate.
//   finalise: one thread per network sums its chunks in order and divides.
// The chunking is fixed (CHUNK), so a parameter vector gets the same bits
// whichever buffer, count or dispatch it is evaluated in (the landscape's
// grid points are evaluated by this same kernel).
// CPU reference: src/model/network/mlp.ts evaluateNetwork.
// @import lib/network.wgsl

struct EvalConfig {
  /** networks in `params` (and rows of `per_particle`) */
  count: u32,
  chunks_train: u32,
  /** 0 when the test split is empty or not evaluated */
  chunks_test: u32,
  n_train: u32,
  n_test: u32,
  /** the bits of a quiet NaN (a NaN constant is not allowed in WGSL) */
  nan_bits: u32,
}

@group(0) @binding(0) var<uniform> cfg: EvalConfig;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> samples: array<vec4f>;
/** (loss sum, correct count) of one (network, chunk), at p * chunks + c */
@group(0) @binding(3) var<storage, read_write> partials: array<vec2f>;
/** count x 4: train loss, train accuracy, test loss, test accuracy */
@group(0) @binding(4) var<storage, read_write> per_particle: array<vec4f>;

override WG: u32 = 64u;

// net_forward (lib/network.wgsl) on four inputs at once, lane by lane the same
// operations in the same order (bias first, then the inputs in order).
alias Hidden4 = array<vec4f, 192>;

fn activate4(z: vec4f) -> vec4f {
  if (ACTIVATION == 1u) { return max(z, vec4f(0.0)); }
  return tanh(z);
}

fn forward4(base: u32, x: vec4f, y: vec4f, h: ptr<function, Hidden4>) -> vec4f {
  var off = base;
  for (var o = 0u; o < WIDTH0; o++) {
    var z = vec4f(params[off + 2u * WIDTH0 + o]);
    z += params[off + 2u * o] * x;
    z += params[off + 2u * o + 1u] * y;
    (*h)[o] = activate4(z);
  }
  off += 3u * WIDTH0;
  var fan_in = WIDTH0;
  for (var l = 1u; l < HIDDEN_LAYERS; l++) {
    let w = net_width(l);
    let src = (l - 1u) * MAX_UNITS;
    let dst = l * MAX_UNITS;
    for (var o = 0u; o < w; o++) {
      var z = vec4f(params[off + fan_in * w + o]);
      let row = off + o * fan_in;
      for (var i = 0u; i < fan_in; i++) { z += params[row + i] * (*h)[src + i]; }
      (*h)[dst + o] = activate4(z);
    }
    off += fan_in * w + w;
    fan_in = w;
  }
  let last = (HIDDEN_LAYERS - 1u) * MAX_UNITS;
  var z = vec4f(params[off + fan_in]);
  for (var i = 0u; i < fan_in; i++) { z += params[off + i] * (*h)[last + i]; }
  return z;
}
/** samples per thread of the first pass */
override CHUNK: u32 = 64u;

@compute @workgroup_size(WG)
fn partial_sums(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let t = gid.x + gid.y * groups.x * WG;
  let chunks = cfg.chunks_train + cfg.chunks_test;
  if (t >= cfg.count * chunks) { return; }
  let p = t / chunks;
  let c = t % chunks;
  var start: u32;
  var end: u32;
  if (c < cfg.chunks_train) {
    start = c * CHUNK;
    end = min(start + CHUNK, cfg.n_train);
  } else {
    start = cfg.n_train + (c - cfg.chunks_train) * CHUNK;
    end = min(start + CHUNK, cfg.n_train + cfg.n_test);
  }
  // four samples at a time: each weight is loaded once for four forward passes
  var h: Hidden4;
  var loss = 0.0;
  var right = 0.0;
  let base = p * PARAM_COUNT;
  for (var s = start; s < end; s += 4u) {
    // lanes past `end` repeat sample s and are masked out below
    let s1 = select(s, s + 1u, s + 1u < end);
    let s2 = select(s, s + 2u, s + 2u < end);
    let s3 = select(s, s + 3u, s + 3u < end);
    let a = samples[s]; let b = samples[s1]; let c = samples[s2]; let d = samples[s3];
    let z = forward4(base, vec4f(a.x, b.x, c.x, d.x), vec4f(a.y, b.y, c.y, d.y), &h);
    let y = vec4f(a.z, b.z, c.z, d.z);
    let hit = select(vec4f(0.0), vec4f(1.0), (z > vec4f(0.0)) == (y > vec4f(0.5)));
    // added in sample order, as one sample at a time would
    loss += net_bce(z.x, y.x);
    right += hit.x;
    if (s + 1u < end) { loss += net_bce(z.y, y.y); right += hit.y; }
    if (s + 2u < end) { loss += net_bce(z.z, y.z); right += hit.z; }
    if (s + 3u < end) { loss += net_bce(z.w, y.w); right += hit.w; }
  }
  partials[t] = vec2f(loss, right);
}

@compute @workgroup_size(WG)
fn finalise(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let p = gid.x + gid.y * groups.x * WG;
  if (p >= cfg.count) { return; }
  let chunks = cfg.chunks_train + cfg.chunks_test;
  let first = p * chunks;
  var train = vec2f(0.0);
  for (var c = 0u; c < cfg.chunks_train; c++) { train += partials[first + c]; }
  train /= f32(cfg.n_train);
  var test = vec2f(bitcast<f32>(cfg.nan_bits));
  if (cfg.chunks_test > 0u) {
    test = vec2f(0.0);
    for (var c = cfg.chunks_train; c < chunks; c++) { test += partials[first + c]; }
    test /= f32(cfg.n_test);
  }
  per_particle[p] = vec4f(train, test);
}
