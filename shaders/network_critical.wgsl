// Critical points of a small network's training loss from many starts at once
// (issue 15, item 6; Dauphin et al. 2014, Fig. 1): one thread per start solves
// grad L(w) = 0 by Levenberg–Marquardt on the gradient, (H^2 + mu I) delta = -H g,
// which, unlike descent, is drawn to saddles as well as minima. L is the mean
// binary cross-entropy over the training split plus (lambda/2)|W|^2 (weights only).
// H is built column by column from exact Hessian-vector products
// (lib/network_hvp.wgsl, the R-operator) at the thread's point and symmetrised;
// H^2 + mu I is factored by Cholesky in the thread's slice of `scratch`.
// A step is kept when it lowers |g| (mu / 3), else mu * 4 and again, up to
// `max_tries` times; a point with no such step is "stalled".
// Entry points: `start` (loss and gradient at the start, state reset) and
// `iterate` (one LM iteration per call; threads that are done return at once), so
// each dispatch stays short on any GPU. Float32 throughout: a point reaches |g| of
// about 1e-7 here; the CPU polishes it in float64 (src/sim/network/critical-points.ts).
// CPU reference: solveCriticalPoint(..., { hessian: 'exact' }) in the same file.
// @import lib/particle_types.wgsl
// @import lib/network.wgsl
// @import network-capacity
// @import lib/network_hvp.wgsl

struct CriticalConfig {
  count: u32,        // starts
  n_train: u32,      // training samples (the first n_train of `samples`)
  weight_decay: f32, // lambda
  tolerance: f32,    // |g| below this: converged
  max_tries: u32,    // mu increases per iteration before the point counts as stalled
  nan_bits: u32,
}

// status: 0 searching, 1 converged (|g| < tolerance), 2 stalled (no step lowers |g|), 3 not finite
struct CriticalState {
  status: u32,
  iterations: u32,
  mu: f32,
  gnorm: f32,        // |g| at the current point
  loss: f32,         // L at the current point (nats, weight decay included)
  pad0: f32,
  pad1: f32,
  pad2: f32,
}

const SEARCHING: u32 = 0u;
const CONVERGED: u32 = 1u;
const STALLED: u32 = 2u;
const NOT_FINITE: u32 = 3u;

@group(0) @binding(0) var<uniform> cfg: CriticalConfig;
// (x, y, label, 0) per sample, training split first
@group(0) @binding(1) var<storage, read> samples: array<vec4f>;
// start p's point at p * PARAM_COUNT: the start on entry, the current point after
// (named as lib/network.wgsl expects)
@group(0) @binding(2) var<storage, read_write> params: array<f32>;
// the gradient at each current point
@group(0) @binding(3) var<storage, read_write> grads: array<f32>;
// 2 D^2 floats per start: H (symmetrised, then the Cholesky factor of H^2 + mu I) and H^2
@group(0) @binding(4) var<storage, read_write> scratch: array<f32>;
@group(0) @binding(5) var<storage, read_write> state: array<CriticalState>;

override WG: u32 = 32u;

// b = -H g
var<private> pb: array<f32, PARAM_CAPACITY>;
// one sample's hidden activations and the deltas of the layer being backpropagated (gradient_full)
var<private> ha: array<f32, HIDDEN_UNITS>;
var<private> dl: array<f32, 2u * WIDEST>;

// pu = grad L at px (weight decay included); returns L
fn gradient_full() -> f32 {
  for (var d = 0u; d < PARAM_COUNT; d++) { pu[d] = 0.0; }
  let n = cfg.n_train;
  let w = 1.0 / f32(n);
  var loss = 0.0;
  for (var s = 0u; s < n; s++) {
    let smp = samples[s];
    // forward: hidden activations into ha
    var z = 0.0;
    for (var l = 0u; l <= HIDDEN_LAYERS; l++) {
      let fan_in = fan_in_of(l);
      let fan_out = fan_out_of(l);
      let off = w_at[l];
      let bias = off + fan_in * fan_out;
      let src = u_at[max(l, 1u) - 1u];
      for (var o = 0u; o < fan_out; o++) {
        let row = off + o * fan_in;
        var zo = px[bias + o];
        if (l == 0u) {
          zo += px[row] * smp.x + px[row + 1u] * smp.y;
        } else {
          for (var i = 0u; i < fan_in; i++) { zo += px[row + i] * ha[src + i]; }
        }
        if (l == HIDDEN_LAYERS) { z = zo; } else { ha[u_at[l] + o] = net_activate(zo); }
      }
    }
    loss += w * net_bce(z, smp.z);
    // backward
    var cur = 0u;
    dl[0] = w * net_bce_slope(z, smp.z);
    for (var l = HIDDEN_LAYERS; l >= 1u; l--) {
      let fan_in = fan_in_of(l);
      let fan_out = fan_out_of(l);
      let off = w_at[l];
      let bias = off + fan_in * fan_out;
      let src = u_at[l - 1u];
      for (var o = 0u; o < fan_out; o++) {
        let d = dl[cur + o];
        pu[bias + o] += d;
        let row = off + o * fan_in;
        for (var i = 0u; i < fan_in; i++) { pu[row + i] += d * ha[src + i]; }
      }
      let nxt = WIDEST - cur;
      for (var i = 0u; i < fan_in; i++) {
        var g = 0.0;
        for (var o = 0u; o < fan_out; o++) { g += px[off + o * fan_in + i] * dl[cur + o]; }
        dl[nxt + i] = net_slope(ha[src + i]) * g;
      }
      cur = nxt;
    }
    for (var o = 0u; o < WIDTH0; o++) {
      let d = dl[cur + o];
      pu[2u * WIDTH0 + o] += d;
      pu[2u * o] += d * smp.x;
      pu[2u * o + 1u] += d * smp.y;
    }
  }
  var decay = 0.0;
  for (var l = 0u; l <= HIDDEN_LAYERS; l++) {
    let off = w_at[l];
    for (var d = off; d < off + fan_in_of(l) * fan_out_of(l); d++) {
      pu[d] += cfg.weight_decay * px[d];
      decay += px[d] * px[d];
    }
  }
  return loss + 0.5 * cfg.weight_decay * decay;
}

fn norm_pu() -> f32 {
  var s = 0.0;
  for (var d = 0u; d < PARAM_COUNT; d++) { s += pu[d] * pu[d]; }
  return sqrt(s);
}

fn thread_index(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WG;
}

@compute @workgroup_size(WG)
fn start(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let p = thread_index(gid, groups);
  if (p >= cfg.count) { return; }
  net_layout();
  let base = p * PARAM_COUNT;
  for (var d = 0u; d < PARAM_COUNT; d++) { px[d] = params[base + d]; }
  let loss = gradient_full();
  let gn = norm_pu();
  for (var d = 0u; d < PARAM_COUNT; d++) { grads[base + d] = pu[d]; }
  var st: CriticalState;
  st.iterations = 0u;
  st.mu = 1e-3;
  st.gnorm = gn;
  st.loss = loss;
  st.status = select(SEARCHING, CONVERGED, gn < cfg.tolerance);
  if (!is_finite1(gn) || !is_finite1(loss)) { st.status = NOT_FINITE; }
  state[p] = st;
}

@compute @workgroup_size(WG)
fn iterate(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let p = thread_index(gid, groups);
  if (p >= cfg.count) { return; }
  var st = state[p];
  if (st.status != SEARCHING) { return; }
  net_layout();
  let D = PARAM_COUNT;
  let base = p * D;
  let hb = p * 2u * D * D;      // H, later the factor
  let h2 = hb + D * D;          // H^2
  for (var d = 0u; d < D; d++) { px[d] = params[base + d]; }
  // H column by column: H e_c
  for (var c = 0u; c < D; c++) {
    for (var d = 0u; d < D; d++) { pv[d] = 0.0; }
    pv[c] = 1.0;
    hvp_full(cfg.n_train, cfg.weight_decay, 0.0);
    for (var r = 0u; r < D; r++) { scratch[hb + r * D + c] = pu[r]; }
  }
  // symmetrise (the products are symmetric only up to rounding)
  for (var r = 0u; r < D; r++) {
    for (var c = r + 1u; c < D; c++) {
      let m = 0.5 * (scratch[hb + r * D + c] + scratch[hb + c * D + r]);
      scratch[hb + r * D + c] = m;
      scratch[hb + c * D + r] = m;
    }
  }
  // H^2 and b = -H g
  for (var r = 0u; r < D; r++) {
    var b = 0.0;
    for (var k = 0u; k < D; k++) { b -= scratch[hb + r * D + k] * grads[base + k]; }
    pb[r] = b;
    for (var c = r; c < D; c++) {
      var s = 0.0;
      for (var k = 0u; k < D; k++) { s += scratch[hb + r * D + k] * scratch[hb + k * D + c]; }
      scratch[h2 + r * D + c] = s;
      scratch[h2 + c * D + r] = s;
    }
  }
  var improved = false;
  for (var t = 0u; t < cfg.max_tries && !improved; t++) {
    // Cholesky of A = H^2 + mu I into the lower triangle of the first block (H is no longer needed)
    var ok = true;
    for (var j = 0u; j < D && ok; j++) {
      var djj = scratch[h2 + j * D + j] + st.mu;
      for (var k = 0u; k < j; k++) { djj -= scratch[hb + j * D + k] * scratch[hb + j * D + k]; }
      if (!(djj > 0.0) || !is_finite1(djj)) { ok = false; break; }
      let ljj = sqrt(djj);
      scratch[hb + j * D + j] = ljj;
      for (var i = j + 1u; i < D; i++) {
        var s = scratch[h2 + i * D + j];
        for (var k = 0u; k < j; k++) { s -= scratch[hb + i * D + k] * scratch[hb + j * D + k]; }
        scratch[hb + i * D + j] = s / ljj;
      }
    }
    if (ok) {
      // L y = b (y in pv), then L^T delta = y (delta in pv)
      for (var i = 0u; i < D; i++) {
        var s = pb[i];
        for (var k = 0u; k < i; k++) { s -= scratch[hb + i * D + k] * pv[k]; }
        pv[i] = s / scratch[hb + i * D + i];
      }
      for (var ii = 0u; ii < D; ii++) {
        let i = D - 1u - ii;
        var s = pv[i];
        for (var k = i + 1u; k < D; k++) { s -= scratch[hb + k * D + i] * pv[k]; }
        pv[i] = s / scratch[hb + i * D + i];
      }
      for (var d = 0u; d < D; d++) { px[d] = params[base + d] + pv[d]; }
      let loss = gradient_full();
      let gn = norm_pu();
      if (is_finite1(gn) && is_finite1(loss) && gn < st.gnorm) {
        for (var d = 0u; d < D; d++) {
          params[base + d] = px[d];
          grads[base + d] = pu[d];
        }
        st.gnorm = gn;
        st.loss = loss;
        st.mu = max(st.mu / 3.0, 1e-15);
        improved = true;
      }
    }
    if (!improved) { st.mu *= 4.0; }
  }
  st.iterations++;
  if (!improved) { st.status = STALLED; }
  if (st.gnorm < cfg.tolerance) { st.status = CONVERGED; }
  state[p] = st;
}
