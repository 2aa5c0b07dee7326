// K fused optimizer steps per dispatch for a panel of small MLPs, one thread per
// network. The thread loads its network's parameters into a private array at the
// start of the dispatch and stores them at the end, and keeps its gradient in
// another (measured on SwiftShader: ~6 ns per private load against ~10 ns per
// storage load, and the passes below read each parameter many times); the moments,
// read once per step, stay in storage. Each step the thread
//   1. accumulates the mean gradient of the binary cross-entropy over its
//      minibatch (B indices with replacement from its Threefry stream) or over
//      all nTrain training samples (full batch), in chunks of CHUNK samples whose
//      activations and deltas it keeps; each layer is a small matrix product done
//      in register tiles (8 units x 8 samples, 4 x 8 units), so that every value
//      loaded from a private array serves several multiply-adds;
//   2. forms g = mean + weightDecay * W (weights only) + noise_scale * xi and
//      computes the updated parameters without writing them, noting whether
//      every one is finite;
//   3. writes parameters and moments, or freezes the network (status 1 + k,
//      previous parameters kept) when the loss or an updated parameter is not finite.
// No barriers and no workgroup memory (on SwiftShader a workgroup that declares
// shared memory costs ~1 ms). Per sample the forward pass sums as
// lib/network.wgsl does (bias first, then the inputs in order).
// Optimizers (OPTIMIZER): 0 heavy ball m = beta m + g, x -= lr m; 1 Nesterov
// x -= lr (g + beta m); 2 Adam with bias correction at step k + 1.
// The virtual module `network-capacity` (src/sim/network/network-system.ts) sets the
// private array sizes: PARAM_CAPACITY = D, HIDDEN_UNITS (all hidden layers), WIDEST (the
// widest hidden layer). WGSL zero-initialises private arrays, which SwiftShader compiles
// element by element: sizing them to the architecture keeps compilation short.
// Random streams: src/model/network/spec.ts. CPU reference: src/sim/network/reference.ts (stepNetwork).
// @import lib/particle_types.wgsl
// @import lib/threefry.wgsl
// @import lib/network.wgsl
// @import network-capacity

const NOISE_DRAW_BASE: u32 = 0x10000u;
/** samples per chunk of the minibatch (two tiles of 8) */
const CHUNK: u32 = 16u;

struct StepParams {
  count: u32,        // networks
  start_step: u32,   // global index k of the first step of this dispatch
  steps: u32,        // K steps fused in this dispatch
  seed: u32,
  stream: u32,       // the panel
  batch: u32,        // B (minibatch estimator)
  n_train: u32,      // training samples (the first n_train of `samples`)
  lr: f32,
  momentum: f32,     // heavy-ball / Nesterov beta
  beta1: f32,        // Adam
  beta2: f32,
  eps: f32,
  noise_scale: f32,  // additive gradient noise: g += noise_scale * xi
  weight_decay: f32, // lambda: g += lambda W on weights
}

@group(0) @binding(0) var<uniform> cfg: StepParams;
// network p's parameters and moments at p * PARAM_COUNT (spec.ts networkLayout)
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> moment1: array<f32>;
@group(0) @binding(3) var<storage, read_write> moment2: array<f32>;
@group(0) @binding(4) var<storage, read_write> status: array<u32>;
// (x, y, label, 0) per sample, training split first
@group(0) @binding(5) var<storage, read> samples: array<vec4f>;

override OPTIMIZER: u32 = 0u;
override WORKGROUP_SIZE: u32 = 64u;
// Pipeline constants rather than uniforms: SwiftShader appears to run code behind a false
// uniform `if` under an empty lane mask (the update took ~3x longer with the noise draws
// behind `if (noise_scale != 0)`), while a false constant removes the code.
override FULL_BATCH: bool = false;   // the gradient is the mean over all n_train samples
override NOISE: bool = false;        // additive gradient noise (noise_scale != 0)

// this thread's network: parameters x, gradient g
var<private> px: array<f32, PARAM_CAPACITY>;
var<private> pg: array<f32, PARAM_CAPACITY>;
// one chunk of CHUNK samples: act[CHUNK (units_before(l) + u) + s] is the activation of
// hidden unit u of layer l for sample s; dlt[half + CHUNK u + s] is wt_s dLoss_s/dz_u for
// unit u of the layer being backpropagated (half = 0 or CHUNK WIDEST, flipping per layer)
var<private> act: array<f32, CHUNK * HIDDEN_UNITS>;
var<private> dlt: array<f32, 2u * CHUNK * WIDEST>;
// the chunk's samples: inputs, labels, weights wt (1/n, 0 for padding) and wt dLoss/dlogit
var<private> sx: array<f32, 16>;
var<private> sy: array<f32, 16>;
var<private> sl: array<f32, 16>;
var<private> sw: array<f32, 16>;
var<private> sdz: array<f32, 16>;

// Index of the first weight of layer l (0 .. HIDDEN_LAYERS, the last is the output layer).
fn layer_offset(l: u32) -> u32 {
  var off = 0u;
  var fan_in = 2u;
  for (var j = 0u; j < l; j++) {
    let w = net_width(j);
    off += fan_in * w + w;
    fan_in = w;
  }
  return off;
}

// Hidden units of the layers before hidden layer l.
fn units_before(l: u32) -> u32 {
  var n = 0u;
  for (var j = 0u; j < l; j++) { n += net_width(j); }
  return n;
}

fn layer_fan_out(l: u32) -> u32 {
  return select(1u, net_width(l), l < HIDDEN_LAYERS);
}

fn layer_fan_in(l: u32) -> u32 {
  return select(2u, net_width(l - 1u), l > 0u);
}

fn activate4(z: vec4f) -> vec4f {
  if (ACTIVATION == 1u) { return max(z, vec4f(0.0)); }
  return tanh(z);
}

fn slope4(a: vec4f) -> vec4f {
  if (ACTIVATION == 1u) { return select(vec4f(0.0), vec4f(1.0), a > vec4f(0.0)); }
  return 1.0 - a * a;
}

fn sum4(v: vec4f) -> f32 { return (v.x + v.y) + (v.z + v.w); }

// column c = w[c] * a
fn outer4(w: vec4f, a: vec4f) -> mat4x4f { return mat4x4f(w.x * a, w.y * a, w.z * a, w.w * a); }

fn act4(at: u32) -> vec4f { return vec4f(act[at], act[at + 1u], act[at + 2u], act[at + 3u]); }
fn dlt4(at: u32) -> vec4f { return vec4f(dlt[at], dlt[at + 1u], dlt[at + 2u], dlt[at + 3u]); }
fn set_act4(at: u32, v: vec4f) { act[at] = v.x; act[at + 1u] = v.y; act[at + 2u] = v.z; act[at + 3u] = v.w; }
fn set_dlt4(at: u32, v: vec4f) { dlt[at] = v.x; dlt[at + 1u] = v.y; dlt[at + 2u] = v.z; dlt[at + 3u] = v.w; }
fn sample4(a: ptr<private, array<f32, 16>>, s: u32) -> vec4f { return vec4f((*a)[s], (*a)[s + 1u], (*a)[s + 2u], (*a)[s + 3u]); }

// ---- forward, one tile of 8 samples (s0 = its first sample in the chunk) ----
// Per sample every sum runs as in lib/network.wgsl: bias first, then the inputs in order.

fn forward_first(s0: u32) {
  let xa = sample4(&sx, s0); let xb = sample4(&sx, s0 + 4u);
  let ya = sample4(&sy, s0); let yb = sample4(&sy, s0 + 4u);
  for (var o = 0u; o < WIDTH0; o++) {
    let b = px[2u * WIDTH0 + o];
    let wx = px[2u * o];
    let wy = px[2u * o + 1u];
    var za = vec4f(b);
    za += wx * xa;
    za += wy * ya;
    var zb = vec4f(b);
    zb += wx * xb;
    zb += wy * yb;
    set_act4(CHUNK * o + s0, activate4(za));
    set_act4(CHUNK * o + s0 + 4u, activate4(zb));
  }
}

// activations of units o .. o+3 (those below n) from tile accumulators (column = unit, a: samples 0-3, b: 4-7)
fn put_act(at: u32, o: u32, n: u32, za: mat4x4f, zb: mat4x4f) {
  if (o < n) { set_act4(at + CHUNK * o, activate4(za[0])); set_act4(at + CHUNK * o + 4u, activate4(zb[0])); }
  if (o + 1u < n) { set_act4(at + CHUNK * (o + 1u), activate4(za[1])); set_act4(at + CHUNK * (o + 1u) + 4u, activate4(zb[1])); }
  if (o + 2u < n) { set_act4(at + CHUNK * (o + 2u), activate4(za[2])); set_act4(at + CHUNK * (o + 2u) + 4u, activate4(zb[2])); }
  if (o + 3u < n) { set_act4(at + CHUNK * (o + 3u), activate4(za[3])); set_act4(at + CHUNK * (o + 3u) + 4u, activate4(zb[3])); }
}

// hidden layer l >= 1: tiles of 8 units x 8 samples; rows past the layer repeat its last unit
fn forward_hidden(l: u32, s0: u32) {
  let n_out = net_width(l);
  let n_in = net_width(l - 1u);
  let off = layer_offset(l);
  let bias = off + n_in * n_out;
  let src = CHUNK * units_before(l - 1u) + s0;
  let dst = CHUNK * units_before(l) + s0;
  let top = n_out - 1u;
  for (var o = 0u; o < n_out; o += 8u) {
    let u0 = min(o, top); let u1 = min(o + 1u, top); let u2 = min(o + 2u, top); let u3 = min(o + 3u, top);
    let u4 = min(o + 4u, top); let u5 = min(o + 5u, top); let u6 = min(o + 6u, top); let u7 = min(o + 7u, top);
    let one = vec4f(1.0);
    var lo_a = outer4(vec4f(px[bias + u0], px[bias + u1], px[bias + u2], px[bias + u3]), one);
    var hi_a = outer4(vec4f(px[bias + u4], px[bias + u5], px[bias + u6], px[bias + u7]), one);
    var lo_b = lo_a;
    var hi_b = hi_a;
    let r0 = off + u0 * n_in; let r1 = off + u1 * n_in; let r2 = off + u2 * n_in; let r3 = off + u3 * n_in;
    let r4 = off + u4 * n_in; let r5 = off + u5 * n_in; let r6 = off + u6 * n_in; let r7 = off + u7 * n_in;
    for (var i = 0u; i < n_in; i++) {
      let a = act4(src + CHUNK * i);
      let b = act4(src + CHUNK * i + 4u);
      let wlo = vec4f(px[r0 + i], px[r1 + i], px[r2 + i], px[r3 + i]);
      let whi = vec4f(px[r4 + i], px[r5 + i], px[r6 + i], px[r7 + i]);
      lo_a += outer4(wlo, a);
      lo_b += outer4(wlo, b);
      hi_a += outer4(whi, a);
      hi_b += outer4(whi, b);
    }
    put_act(dst, o, n_out, lo_a, lo_b);
    put_act(dst, o + 4u, n_out, hi_a, hi_b);
  }
}

// logits of the tile's 8 samples
fn forward_out(s0: u32) -> mat2x4f {
  let n_in = net_width(HIDDEN_LAYERS - 1u);
  let off = layer_offset(HIDDEN_LAYERS);
  let src = CHUNK * units_before(HIDDEN_LAYERS - 1u) + s0;
  let b = px[off + n_in];
  var za = vec4f(b);
  var zb = vec4f(b);
  for (var i = 0u; i < n_in; i++) {
    let w = px[off + i];
    za += w * act4(src + CHUNK * i);
    zb += w * act4(src + CHUNK * i + 4u);
  }
  return mat2x4f(za, zb);
}

// ---- backward over the chunk's `tiles` tiles ----

// output layer: its gradient, and the deltas of the last hidden layer (into dlt half 0)
fn backward_out(tiles: u32) {
  let n_in = net_width(HIDDEN_LAYERS - 1u);
  let off = layer_offset(HIDDEN_LAYERS);
  let src = CHUNK * units_before(HIDDEN_LAYERS - 1u);
  var gb = 0.0;
  for (var t = 0u; t < tiles; t++) {
    let s0 = 8u * t;
    let da = sample4(&sdz, s0);
    let db = sample4(&sdz, s0 + 4u);
    gb += sum4(da) + sum4(db);
    for (var i = 0u; i < n_in; i++) {
      let at = CHUNK * i + s0;
      let a = act4(src + at);
      let b = act4(src + at + 4u);
      pg[off + i] += dot(da, a) + dot(db, b);
      let w = px[off + i];
      set_dlt4(at, da * w * slope4(a));
      set_dlt4(at + 4u, db * w * slope4(b));
    }
  }
  pg[off + n_in] += gb;
}

// pg[row + c] += g[c] for the 4 outputs (rows, stride n_in) below n_out
fn add_grad_col(at: u32, n_in: u32, o: u32, n_out: u32, g: vec4f) {
  if (o < n_out) { pg[at] += g.x; }
  if (o + 1u < n_out) { pg[at + n_in] += g.y; }
  if (o + 2u < n_out) { pg[at + 2u * n_in] += g.z; }
  if (o + 3u < n_out) { pg[at + 3u * n_in] += g.w; }
}

// hidden layer l >= 1 (deltas in dlt at `cur`): its gradient, in tiles of 4 outputs x 8 inputs
// summed over the chunk's samples; then the deltas of layer l-1 (into dlt at `below`),
// in tiles of 8 inputs x 8 samples summed over the outputs
fn backward_hidden(l: u32, tiles: u32, cur: u32, below: u32) {
  let n_out = net_width(l);
  let n_in = net_width(l - 1u);
  let off = layer_offset(l);
  let src = CHUNK * units_before(l - 1u);
  let n_s = 8u * tiles;
  let top_o = n_out - 1u;
  let top_i = n_in - 1u;
  for (var o = 0u; o < n_out; o += 4u) {
    let d0 = cur + CHUNK * min(o, top_o); let d1 = cur + CHUNK * min(o + 1u, top_o);
    let d2 = cur + CHUNK * min(o + 2u, top_o); let d3 = cur + CHUNK * min(o + 3u, top_o);
    for (var i = 0u; i < n_in; i += 8u) {
      let a0 = src + CHUNK * min(i, top_i); let a1 = src + CHUNK * min(i + 1u, top_i);
      let a2 = src + CHUNK * min(i + 2u, top_i); let a3 = src + CHUNK * min(i + 3u, top_i);
      let a4 = src + CHUNK * min(i + 4u, top_i); let a5 = src + CHUNK * min(i + 5u, top_i);
      let a6 = src + CHUNK * min(i + 6u, top_i); let a7 = src + CHUNK * min(i + 7u, top_i);
      // column c: input i+c (lo) or i+4+c (hi); row r: output o+r
      var g_lo = mat4x4f();
      var g_hi = mat4x4f();
      for (var s = 0u; s < n_s; s++) {
        let d = vec4f(dlt[d0 + s], dlt[d1 + s], dlt[d2 + s], dlt[d3 + s]);
        g_lo += outer4(vec4f(act[a0 + s], act[a1 + s], act[a2 + s], act[a3 + s]), d);
        g_hi += outer4(vec4f(act[a4 + s], act[a5 + s], act[a6 + s], act[a7 + s]), d);
      }
      let row = off + o * n_in + i;
      if (i < n_in) { add_grad_col(row, n_in, o, n_out, g_lo[0]); }
      if (i + 1u < n_in) { add_grad_col(row + 1u, n_in, o, n_out, g_lo[1]); }
      if (i + 2u < n_in) { add_grad_col(row + 2u, n_in, o, n_out, g_lo[2]); }
      if (i + 3u < n_in) { add_grad_col(row + 3u, n_in, o, n_out, g_lo[3]); }
      if (i + 4u < n_in) { add_grad_col(row + 4u, n_in, o, n_out, g_hi[0]); }
      if (i + 5u < n_in) { add_grad_col(row + 5u, n_in, o, n_out, g_hi[1]); }
      if (i + 6u < n_in) { add_grad_col(row + 6u, n_in, o, n_out, g_hi[2]); }
      if (i + 7u < n_in) { add_grad_col(row + 7u, n_in, o, n_out, g_hi[3]); }
    }
  }
  let bias = off + n_in * n_out;
  for (var o = 0u; o < n_out; o++) {
    var gb = 0.0;
    for (var s = 0u; s < n_s; s += 4u) { gb += sum4(dlt4(cur + CHUNK * o + s)); }
    pg[bias + o] += gb;
  }
  for (var t = 0u; t < tiles; t++) {
    let s0 = 8u * t;
    for (var i = 0u; i < n_in; i += 8u) {
      let c0 = min(i, top_i); let c1 = min(i + 1u, top_i); let c2 = min(i + 2u, top_i); let c3 = min(i + 3u, top_i);
      let c4 = min(i + 4u, top_i); let c5 = min(i + 5u, top_i); let c6 = min(i + 6u, top_i); let c7 = min(i + 7u, top_i);
      // column c: input i+c (lo) or i+4+c (hi); a: samples 0-3, b: 4-7
      var lo_a = mat4x4f(); var lo_b = mat4x4f(); var hi_a = mat4x4f(); var hi_b = mat4x4f();
      for (var o = 0u; o < n_out; o++) {
        let row = off + o * n_in;
        let wlo = vec4f(px[row + c0], px[row + c1], px[row + c2], px[row + c3]);
        let whi = vec4f(px[row + c4], px[row + c5], px[row + c6], px[row + c7]);
        let da = dlt4(cur + CHUNK * o + s0);
        let db = dlt4(cur + CHUNK * o + s0 + 4u);
        lo_a += outer4(wlo, da);
        lo_b += outer4(wlo, db);
        hi_a += outer4(whi, da);
        hi_b += outer4(whi, db);
      }
      put_dlt(below, src, s0, i, n_in, lo_a, lo_b);
      put_dlt(below, src, s0, i + 4u, n_in, hi_a, hi_b);
    }
  }
}

// deltas of inputs i .. i+3 (those below n): sums times the activation's slope
fn put_dlt(below: u32, src: u32, s0: u32, i: u32, n: u32, pa: mat4x4f, pb: mat4x4f) {
  for (var c = 0u; c < 4u; c++) {
    if (i + c < n) {
      let at = CHUNK * (i + c) + s0;
      set_dlt4(below + at, select_col(pa, c) * slope4(act4(src + at)));
      set_dlt4(below + at + 4u, select_col(pb, c) * slope4(act4(src + at + 4u)));
    }
  }
}

fn select_col(m: mat4x4f, c: u32) -> vec4f {
  return select(select(m[2], m[3], c == 3u), select(m[0], m[1], c == 1u), c < 2u);
}

// first layer: gradient of W0 and b0 from the deltas in dlt at `cur` and the inputs
fn backward_first(tiles: u32, cur: u32) {
  for (var t = 0u; t < tiles; t++) {
    let s0 = 8u * t;
    let xa = sample4(&sx, s0); let xb = sample4(&sx, s0 + 4u);
    let ya = sample4(&sy, s0); let yb = sample4(&sy, s0 + 4u);
    for (var o = 0u; o < WIDTH0; o++) {
      let da = dlt4(cur + CHUNK * o + s0);
      let db = dlt4(cur + CHUNK * o + s0 + 4u);
      pg[2u * o] += dot(da, xa) + dot(db, xb);
      pg[2u * o + 1u] += dot(da, ya) + dot(db, yb);
      pg[2u * WIDTH0 + o] += sum4(da) + sum4(db);
    }
  }
}

struct Update { x: f32, m: f32, v: f32 }

fn optimizer_update(x: f32, m0: f32, v0: f32, g: f32, c1: f32, c2: f32, P: StepParams) -> Update {
  var u: Update;
  if (OPTIMIZER == 2u) {
    u.m = P.beta1 * m0 + (1.0 - P.beta1) * g;
    u.v = P.beta2 * v0 + (1.0 - P.beta2) * g * g;
    u.x = x - P.lr * (u.m / c1) / (sqrt(u.v / c2) + P.eps);
  } else {
    u.m = P.momentum * m0 + g;
    u.v = v0;
    u.x = x - P.lr * select(u.m, g + P.momentum * u.m, OPTIMIZER == 1u);
  }
  return u;
}

// Fills sx, sy, sl, sw with slots b .. b+CHUNK-1 of network i's step k (slots past n: weight 0).
fn load_chunk(i: u32, k: u32, b: u32, n: u32, inv_n: f32, P: StepParams) {
  for (var q = 0u; q < CHUNK; q += 2u) {
    var j = vec2u(b + q, b + q + 1u);
    if (!FULL_BATCH) {
      let r = threefry2x32(vec2u(i, k), step_key(P.seed, P.stream, 1u + (b + q) / 2u));
      j = vec2u(mulhi32(r.x, P.n_train), mulhi32(r.y, P.n_train));
    }
    let valid = vec2u(b + q, b + q + 1u) < vec2u(n);
    j = min(j, vec2u(P.n_train - 1u));
    let s0 = samples[j.x];
    let s1 = samples[j.y];
    sx[q] = s0.x; sy[q] = s0.y; sl[q] = s0.z; sw[q] = select(0.0, inv_n, valid.x);
    sx[q + 1u] = s1.x; sy[q + 1u] = s1.y; sl[q + 1u] = s1.z; sw[q + 1u] = select(0.0, inv_n, valid.y);
  }
}

// Adds the chunk's gradient of sum_s wt_s BCE_s to pg; returns sum_s wt_s BCE_s.
// Accumulating the mean directly keeps a sum from overflowing where the mean does not.
fn accumulate_chunk(tiles: u32) -> f32 {
  var loss = 0.0;
  for (var t = 0u; t < tiles; t++) {
    let s0 = 8u * t;
    forward_first(s0);
    for (var l = 1u; l < HIDDEN_LAYERS; l++) { forward_hidden(l, s0); }
    let z = forward_out(s0);
    let wa = sample4(&sw, s0); let wb = sample4(&sw, s0 + 4u);
    let ya = sample4(&sl, s0); let yb = sample4(&sl, s0 + 4u);
    let da = wa * (1.0 / (1.0 + exp(-z[0])) - ya);
    let db = wb * (1.0 / (1.0 + exp(-z[1])) - yb);
    sdz[s0] = da.x; sdz[s0 + 1u] = da.y; sdz[s0 + 2u] = da.z; sdz[s0 + 3u] = da.w;
    sdz[s0 + 4u] = db.x; sdz[s0 + 5u] = db.y; sdz[s0 + 6u] = db.z; sdz[s0 + 7u] = db.w;
    let la = max(z[0], vec4f(0.0)) - ya * z[0] + log(1.0 + exp(-abs(z[0])));
    let lb = max(z[1], vec4f(0.0)) - yb * z[1] + log(1.0 + exp(-abs(z[1])));
    loss += dot(wa, la) + dot(wb, lb);
  }
  backward_out(tiles);
  var half = 0u;
  for (var l = HIDDEN_LAYERS - 1u; l >= 1u; l--) {
    let below = CHUNK * WIDEST - half;
    backward_hidden(l, tiles, half, below);
    half = below;
  }
  backward_first(tiles, half);
  return loss;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  let P = cfg; // one uniform load, kept in registers for the whole loop
  if (i >= P.count) { return; }
  if (status[i] != ALIVE) { return; }
  let base = i * PARAM_COUNT;
  for (var d = 0u; d < PARAM_COUNT; d++) { px[d] = params[base + d]; }
  let n = select(P.batch, P.n_train, FULL_BATCH);
  let inv_n = 1.0 / f32(n);
  var flag = ALIVE;
  for (var s = 0u; s < P.steps; s++) {
    let k = P.start_step + s;
    for (var d = 0u; d < PARAM_COUNT; d++) { pg[d] = 0.0; }
    var loss = 0.0;
    for (var b = 0u; b < n; b += CHUNK) {
      load_chunk(i, k, b, n, inv_n, P);
      loss += accumulate_chunk((min(CHUNK, n - b) + 7u) / 8u);
    }
    if (!is_finite1(loss)) { flag = k + 1u; break; }
    var c1 = 1.0;
    var c2 = 1.0;
    if (OPTIMIZER == 2u) {
      let t = f32(k + 1u);
      c1 = 1.0 - pow(P.beta1, t);
      c2 = 1.0 - pow(P.beta2, t);
    }
    // pass 1: the final gradient g (into pg) and whether every updated parameter is finite
    var finite = true;
    var xi = vec2f(0.0);
    for (var l = 0u; l <= HIDDEN_LAYERS; l++) {
      let start = layer_offset(l);
      let fan_out = layer_fan_out(l);
      let w_end = start + layer_fan_in(l) * fan_out;
      for (var d = start; d < w_end + fan_out; d++) {
        let x = px[d];
        var g = pg[d] + select(0.0, P.weight_decay * x, d < w_end);
        if (NOISE) {
          if ((d & 1u) == 0u) {
            let r = threefry2x32(vec2u(i, k), step_key(P.seed, P.stream, NOISE_DRAW_BASE + d / 2u));
            xi = box_muller(uniform_open(r.x), uniform_open(r.y));
          }
          g += P.noise_scale * select(xi.y, xi.x, (d & 1u) == 0u);
        }
        pg[d] = g;
        var v0 = 0.0;
        if (OPTIMIZER == 2u) { v0 = moment2[base + d]; }
        finite = finite && is_finite1(optimizer_update(x, moment1[base + d], v0, g, c1, c2, P).x);
      }
    }
    if (!finite) { flag = k + 1u; break; }
    // pass 2: take the step
    for (var d = 0u; d < PARAM_COUNT; d++) {
      var v0 = 0.0;
      if (OPTIMIZER == 2u) { v0 = moment2[base + d]; }
      let u = optimizer_update(px[d], moment1[base + d], v0, pg[d], c1, c2, P);
      px[d] = u.x;
      moment1[base + d] = u.m;
      if (OPTIMIZER == 2u) { moment2[base + d] = u.v; }
    }
  }
  for (var d = 0u; d < PARAM_COUNT; d++) { params[base + d] = px[d]; }
  status[i] = flag;
}
