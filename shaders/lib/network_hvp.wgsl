// The exact Hessian-vector product of one network's training loss
// L(w) = mean_s bce + (lambda/2)|W|^2 by Pearlmutter's R-operator
// (forward-over-reverse; the recurrences and their CPU reference are in
// src/model/network/hvp.ts), for kernels with one thread per network: its
// parameters x, the vector v and the product u = H v in private arrays, four
// training samples at a time (one per vector lane). Used by the sharpness kernel (network_hvp.wgsl)
// and the critical-point search (network_critical.wgsl).
// The including shader declares `samples: array<vec4f>` ((x, y, label, 0) per
// sample, training split first) and imports lib/network.wgsl and
// network-capacity; it calls net_layout() once per thread before hvp_full.

var<private> px: array<f32, PARAM_CAPACITY>;
var<private> pv: array<f32, PARAM_CAPACITY>;
var<private> pu: array<f32, PARAM_CAPACITY>;
// Four training samples at a time, one per vector lane, so that every parameter
// loaded from the private arrays serves four multiply-adds (on a CPU driver the
// private-array traffic, not the arithmetic, bounds this kernel).
// The four samples' hidden activations a and their R-parts R{a}, layer after layer
var<private> ha4: array<vec4f, HIDDEN_UNITS>;
var<private> hr4: array<vec4f, HIDDEN_UNITS>;
// deltas and their R-parts of the layer being backpropagated (two halves, flipping per layer)
var<private> dl4: array<vec4f, 2u * WIDEST>;
var<private> rdl4: array<vec4f, 2u * WIDEST>;
// first weight of layer l, first hidden unit of hidden layer l (0 .. HIDDEN_LAYERS)
var<private> w_at: array<u32, 4>;
var<private> u_at: array<u32, 4>;

fn fan_out_of(l: u32) -> u32 { return select(1u, net_width(l), l < HIDDEN_LAYERS); }
fn fan_in_of(l: u32) -> u32 { return select(2u, net_width(max(l, 1u) - 1u), l > 0u); }

fn net_activate4(z: vec4f) -> vec4f {
  if (ACTIVATION == 1u) { return max(z, vec4f(0.0)); }
  return tanh(z);
}

fn net_slope4(a: vec4f) -> vec4f {
  if (ACTIVATION == 1u) { return select(vec4f(0.0), vec4f(1.0), a > vec4f(0.0)); }
  return 1.0 - a * a;
}

fn lane_sum(v: vec4f) -> f32 { return (v.x + v.y) + (v.z + v.w); }

// u += the product's terms of four samples (lane k: input (x[k], y[k]), label[k], weight
// w[k] = 1/n, or 0 for a padding lane past the last sample)
fn hvp_sample4(x: vec4f, y: vec4f, label: vec4f, w: vec4f) {
  var z = vec4f(0.0);
  var rz = vec4f(0.0);
  for (var l = 0u; l <= HIDDEN_LAYERS; l++) {
    let fan_in = fan_in_of(l);
    let fan_out = fan_out_of(l);
    let off = w_at[l];
    let bias = off + fan_in * fan_out;
    let src = u_at[max(l, 1u) - 1u];
    for (var o = 0u; o < fan_out; o++) {
      let row = off + o * fan_in;
      var zo = vec4f(px[bias + o]);
      var rzo = vec4f(pv[bias + o]);
      if (l == 0u) {
        zo += px[row] * x + px[row + 1u] * y;
        rzo += pv[row] * x + pv[row + 1u] * y;
      } else {
        for (var i = 0u; i < fan_in; i++) {
          let a = ha4[src + i];
          let xw = px[row + i];
          zo += xw * a;
          rzo += pv[row + i] * a + xw * hr4[src + i];
        }
      }
      if (l == HIDDEN_LAYERS) {
        z = zo;
        rz = rzo;
      } else {
        let a = net_activate4(zo);
        ha4[u_at[l] + o] = a;
        hr4[u_at[l] + o] = net_slope4(a) * rzo;
      }
    }
  }
  let p = 1.0 / (1.0 + exp(-z));
  var cur = 0u;
  dl4[0] = w * (p - label);
  rdl4[0] = w * (p * (1.0 - p)) * rz;
  for (var l = HIDDEN_LAYERS; l >= 1u; l--) {
    let fan_in = fan_in_of(l);
    let fan_out = fan_out_of(l);
    let off = w_at[l];
    let bias = off + fan_in * fan_out;
    let src = u_at[l - 1u];
    for (var o = 0u; o < fan_out; o++) {
      let d = dl4[cur + o];
      let rd = rdl4[cur + o];
      pu[bias + o] += lane_sum(rd);
      let row = off + o * fan_in;
      for (var i = 0u; i < fan_in; i++) { pu[row + i] += lane_sum(rd * ha4[src + i] + d * hr4[src + i]); }
    }
    let nxt = WIDEST - cur;
    for (var i = 0u; i < fan_in; i++) {
      var g = vec4f(0.0);
      var rg = vec4f(0.0);
      for (var o = 0u; o < fan_out; o++) {
        let at = off + o * fan_in + i;
        let xw = px[at];
        let d = dl4[cur + o];
        g += xw * d;
        rg += pv[at] * d + xw * rdl4[cur + o];
      }
      let a = ha4[src + i];
      let s = net_slope4(a);
      let rs = select(-2.0 * a * hr4[src + i], vec4f(0.0), ACTIVATION == 1u);
      dl4[nxt + i] = s * g;
      rdl4[nxt + i] = s * rg + rs * g;
    }
    cur = nxt;
  }
  // first layer: its inputs carry no R-part
  for (var o = 0u; o < WIDTH0; o++) {
    let rd = rdl4[cur + o];
    pu[2u * WIDTH0 + o] += lane_sum(rd);
    pu[2u * o] += lane_sum(rd * x);
    pu[2u * o + 1u] += lane_sum(rd * y);
  }
}

// pu = (H - shift I) pv over the first n training samples, weight decay lambda included
fn hvp_full(n: u32, lambda: f32, shift: f32) {
  for (var d = 0u; d < PARAM_COUNT; d++) { pu[d] = 0.0; }
  let inv_n = 1.0 / f32(n);
  for (var s = 0u; s < n; s += 4u) {
    // lanes past the last sample repeat sample 0 with weight 0
    let i1 = select(0u, s + 1u, s + 1u < n);
    let i2 = select(0u, s + 2u, s + 2u < n);
    let i3 = select(0u, s + 3u, s + 3u < n);
    let a = samples[s];
    let b = samples[i1];
    let c = samples[i2];
    let d = samples[i3];
    let w = inv_n * vec4f(1.0, select(0.0, 1.0, s + 1u < n), select(0.0, 1.0, s + 2u < n), select(0.0, 1.0, s + 3u < n));
    hvp_sample4(vec4f(a.x, b.x, c.x, d.x), vec4f(a.y, b.y, c.y, d.y), vec4f(a.z, b.z, c.z, d.z), w);
  }
  for (var l = 0u; l <= HIDDEN_LAYERS; l++) {
    let off = w_at[l];
    for (var d = off; d < off + fan_in_of(l) * fan_out_of(l); d++) { pu[d] += lambda * pv[d]; }
  }
  if (shift != 0.0) {
    for (var d = 0u; d < PARAM_COUNT; d++) { pu[d] -= shift * pv[d]; }
  }
}

// Fills w_at and u_at for this thread's network.
fn net_layout() {
  var off = 0u;
  var units = 0u;
  for (var l = 0u; l <= HIDDEN_LAYERS; l++) {
    w_at[l] = off;
    u_at[l] = units;
    off += fan_in_of(l) * fan_out_of(l) + fan_out_of(l);
    units += select(0u, net_width(l), l < HIDDEN_LAYERS);
  }
}
