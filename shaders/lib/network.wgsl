// A multilayer perceptron 2 -> WIDTH0 [-> WIDTH1 [-> WIDTH2]] -> 1 logit, the
// forward pass for one input and the logistic loss. Layout of one network's
// D parameters (src/model/network/spec.ts networkLayout): W0, b0, W1, b1, ...,
// W_out, b_out, each W row-major [fanOut][fanIn].
// The including shader declares `params: array<f32>` (storage, read or
// read_write): network p's parameters start at p * PARAM_COUNT.
// CPU reference: src/model/network/reference.ts (same summation order:
// bias first, then inputs in order).

override HIDDEN_LAYERS: u32 = 2u;   // 1..3
override WIDTH0: u32 = 32u;         // hidden widths, 2..64 (unused layers: 0)
override WIDTH1: u32 = 32u;
override WIDTH2: u32 = 0u;
override ACTIVATION: u32 = 0u;      // 0 tanh, 1 relu
override PARAM_COUNT: u32 = 1185u;  // D

const MAX_UNITS: u32 = 64u;
// hidden activations of one sample: layer l's unit u at l * MAX_UNITS + u
const HIDDEN_CAPACITY: u32 = 192u;
alias Hidden = array<f32, 192>;

fn net_width(l: u32) -> u32 {
  if (l == 0u) { return WIDTH0; }
  if (l == 1u) { return WIDTH1; }
  return WIDTH2;
}

fn net_activate(z: f32) -> f32 {
  if (ACTIVATION == 1u) { return max(z, 0.0); }
  return tanh(z);
}

// d activation / d z, from the activation's output a
fn net_slope(a: f32) -> f32 {
  if (ACTIVATION == 1u) { return select(0.0, 1.0, a > 0.0); }
  return 1.0 - a * a;
}

// Logit of network `base` (= p * PARAM_COUNT) at input x; fills h with the hidden activations.
fn net_forward(base: u32, x: vec2f, h: ptr<function, Hidden>) -> f32 {
  var off = base;
  for (var o = 0u; o < WIDTH0; o++) {
    var z = params[off + 2u * WIDTH0 + o];
    z += params[off + 2u * o] * x.x;
    z += params[off + 2u * o + 1u] * x.y;
    (*h)[o] = net_activate(z);
  }
  off += 3u * WIDTH0;
  var fan_in = WIDTH0;
  for (var l = 1u; l < HIDDEN_LAYERS; l++) {
    let w = net_width(l);
    let src = (l - 1u) * MAX_UNITS;
    let dst = l * MAX_UNITS;
    for (var o = 0u; o < w; o++) {
      var z = params[off + fan_in * w + o];
      let row = off + o * fan_in;
      for (var i = 0u; i < fan_in; i++) { z += params[row + i] * (*h)[src + i]; }
      (*h)[dst + o] = net_activate(z);
    }
    off += fan_in * w + w;
    fan_in = w;
  }
  let last = (HIDDEN_LAYERS - 1u) * MAX_UNITS;
  var z = params[off + fan_in];
  for (var i = 0u; i < fan_in; i++) { z += params[off + i] * (*h)[last + i]; }
  return z;
}

// Binary cross-entropy of logit z against label y in {0, 1}: softplus(z) - y z, stable for large |z|.
fn net_bce(z: f32, y: f32) -> f32 {
  return max(z, 0.0) - y * z + log(1.0 + exp(-abs(z)));
}

// d bce / d z = sigmoid(z) - y
fn net_bce_slope(z: f32, y: f32) -> f32 {
  return 1.0 / (1.0 + exp(-z)) - y;
}
