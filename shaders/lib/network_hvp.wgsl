// The exact Hessian-vector product of one network's training loss
// L(w) = mean_s bce + (lambda/2)|W|^2 by Pearlmutter's R-operator
// (forward-over-reverse; the recurrences and their CPU reference are in
// src/model/network/hvp.ts), for kernels with one thread per network: its
// parameters x, the vector v and the product u = H v in private arrays, one
// training sample at a time. Used by the sharpness kernel (network_hvp.wgsl)
// and the critical-point search (network_critical.wgsl).
// The including shader declares `samples: array<vec4f>` ((x, y, label, 0) per
// sample, training split first) and imports lib/network.wgsl and
// network-capacity; it calls net_layout() once per thread before hvp_full.

var<private> px: array<f32, PARAM_CAPACITY>;
var<private> pv: array<f32, PARAM_CAPACITY>;
var<private> pu: array<f32, PARAM_CAPACITY>;
// one sample's hidden activations a and their R-parts R{a}, layer after layer
var<private> ha: array<f32, HIDDEN_UNITS>;
var<private> hr: array<f32, HIDDEN_UNITS>;
// deltas and their R-parts of the layer being backpropagated (two halves, flipping per layer)
var<private> dl: array<f32, 2u * WIDEST>;
var<private> rdl: array<f32, 2u * WIDEST>;
// first weight of layer l, first hidden unit of hidden layer l (0 .. HIDDEN_LAYERS)
var<private> w_at: array<u32, 4>;
var<private> u_at: array<u32, 4>;

fn fan_out_of(l: u32) -> u32 { return select(1u, net_width(l), l < HIDDEN_LAYERS); }
fn fan_in_of(l: u32) -> u32 { return select(2u, net_width(max(l, 1u) - 1u), l > 0u); }

// u += the product's terms of one sample (weight w = 1/n)
fn hvp_sample(x: f32, y: f32, label: f32, w: f32) {
  var z = 0.0;
  var rz = 0.0;
  for (var l = 0u; l <= HIDDEN_LAYERS; l++) {
    let fan_in = fan_in_of(l);
    let fan_out = fan_out_of(l);
    let off = w_at[l];
    let bias = off + fan_in * fan_out;
    let src = u_at[max(l, 1u) - 1u];
    for (var o = 0u; o < fan_out; o++) {
      let row = off + o * fan_in;
      var zo = px[bias + o];
      var rzo = pv[bias + o];
      if (l == 0u) {
        zo += px[row] * x + px[row + 1u] * y;
        rzo += pv[row] * x + pv[row + 1u] * y;
      } else {
        for (var i = 0u; i < fan_in; i++) {
          let a = ha[src + i];
          zo += px[row + i] * a;
          rzo += pv[row + i] * a + px[row + i] * hr[src + i];
        }
      }
      if (l == HIDDEN_LAYERS) {
        z = zo;
        rz = rzo;
      } else {
        let a = net_activate(zo);
        ha[u_at[l] + o] = a;
        hr[u_at[l] + o] = net_slope(a) * rzo;
      }
    }
  }
  let p = 1.0 / (1.0 + exp(-z));
  var cur = 0u;
  dl[0] = w * (p - label);
  rdl[0] = w * (p * (1.0 - p)) * rz;
  for (var l = HIDDEN_LAYERS; l >= 1u; l--) {
    let fan_in = fan_in_of(l);
    let fan_out = fan_out_of(l);
    let off = w_at[l];
    let bias = off + fan_in * fan_out;
    let src = u_at[l - 1u];
    for (var o = 0u; o < fan_out; o++) {
      let d = dl[cur + o];
      let rd = rdl[cur + o];
      pu[bias + o] += rd;
      let row = off + o * fan_in;
      for (var i = 0u; i < fan_in; i++) { pu[row + i] += rd * ha[src + i] + d * hr[src + i]; }
    }
    let nxt = WIDEST - cur;
    for (var i = 0u; i < fan_in; i++) {
      var g = 0.0;
      var rg = 0.0;
      for (var o = 0u; o < fan_out; o++) {
        let at = off + o * fan_in + i;
        g += px[at] * dl[cur + o];
        rg += pv[at] * dl[cur + o] + px[at] * rdl[cur + o];
      }
      let a = ha[src + i];
      let s = net_slope(a);
      let rs = select(-2.0 * a * hr[src + i], 0.0, ACTIVATION == 1u);
      dl[nxt + i] = s * g;
      rdl[nxt + i] = s * rg + rs * g;
    }
    cur = nxt;
  }
  // first layer: its inputs carry no R-part
  for (var o = 0u; o < WIDTH0; o++) {
    let rd = rdl[cur + o];
    pu[2u * WIDTH0 + o] += rd;
    pu[2u * o] += rd * x;
    pu[2u * o + 1u] += rd * y;
  }
}

// pu = (H - shift I) pv over the first n training samples, weight decay lambda included
fn hvp_full(n: u32, lambda: f32, shift: f32) {
  for (var d = 0u; d < PARAM_COUNT; d++) { pu[d] = 0.0; }
  let inv_n = 1.0 / f32(n);
  for (var s = 0u; s < n; s++) {
    let smp = samples[s];
    hvp_sample(smp.x, smp.y, smp.z, inv_n);
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
