// Sharpness of every network of a panel: the top eigenvalue of the Hessian of
// the full training loss L(w) = mean_s bce + (lambda/2)|W|^2 by power
// iteration, and its trace by Hutchinson's estimator, both on exact
// Hessian-vector products (Pearlmutter's R-operator, forward-over-reverse: the
// recurrences are in src/model/network/hvp.ts, the CPU reference; the kernel's
// product is lib/network_hvp.wgsl). One thread per network, its parameters x,
// the vector v and the product u = H v in private arrays; one training sample at a time.
// Each network walks a schedule of T = 2 P + M products (P = iterations, M = probes),
// `budget` of them per dispatch, its place in the schedule kept in `state`:
//   t in [0, P): power iteration on H from Rademacher probe POWER_START_PROBE / sqrt(D);
//     each step u = H v, lambda = v.u / v.v (the Rayleigh quotient),
//     residual |u - lambda v|, then v = u / |u| (not after the last step, so v is
//     the vector whose lambda is reported);
//   t in [P, 2P): only when that lambda (the eigenvalue of largest magnitude) is
//     negative: power iteration on H - lambda_1 I from probe POWER_START_PROBE + 1,
//     whose dominant eigenvalue is lambda_max - lambda_1 >= 0, so lambda_max is reached
//     (reported as the Rayleigh quotient of H, shift added back); skipped otherwise;
//   t in [2P, 2P + M): Hutchinson probe j = t - 2P: q_j = z_j.H z_j, z_j Rademacher,
//     running mean and sum of squared deviations (Welford, stable in float32).
// At t = T the thread writes result = (lambda_max, trace, standard error of the
// trace, residual). Rademacher probes: src/model/network/spec.ts NETWORK_SHARPNESS_STREAM.
// CPU reference: src/sim/network/sharpness-reference.ts.
// @import lib/particle_types.wgsl
// @import lib/philox.wgsl
// @import lib/network.wgsl
// @import network-capacity
// @import lib/network_hvp.wgsl

struct HvpConfig {
  count: u32,        // networks
  n_train: u32,      // training samples (the first n_train of `samples`)
  seed: u32,
  stream: u32,       // NETWORK_SHARPNESS_STREAM
  panel: u32,
  iterations: u32,   // P, power iterations per phase (>= 1)
  probes: u32,       // M, Hutchinson probes
  budget: u32,       // Hessian-vector products per thread per dispatch
  weight_decay: f32, // lambda
  nan_bits: u32,     // a quiet NaN's bits
  start_probe: u32,  // POWER_START_PROBE
}

struct SharpState {
  t: u32,            // products done
  shift: f32,        // 0, or lambda_1 < 0 during the shifted phase
  lambda: f32,       // the latest Rayleigh quotient of H (loss units per weight^2)
  residual: f32,     // |H v - lambda v| of the same v
  dominant: f32,     // lambda_1: the unshifted phase's last Rayleigh quotient
  mean: f32,         // Hutchinson: running mean of q_j
  m2: f32,           // and the sum of squared deviations from it
  pad: f32,
}

@group(0) @binding(0) var<uniform> cfg: HvpConfig;
// network p's parameters at p * PARAM_COUNT (lib/network.wgsl names it `params`)
@group(0) @binding(1) var<storage, read> params: array<f32>;
// (x, y, label, 0) per sample, training split first
@group(0) @binding(2) var<storage, read> samples: array<vec4f>;
@group(0) @binding(3) var<storage, read> status: array<u32>;
// network p's power-iteration vector v at p * PARAM_COUNT (unit norm)
@group(0) @binding(4) var<storage, read_write> vectors: array<f32>;
@group(0) @binding(5) var<storage, read_write> state: array<SharpState>;
// (lambda_max, trace, its standard error, residual) per network; NaN for a diverged network
@group(0) @binding(6) var<storage, read_write> result: array<vec4f>;

override WG: u32 = 32u;

// pv = Rademacher probe `probe` of network p, times `scale`
fn draw_probe(p: u32, probe: u32, scale: f32) {
  for (var d0 = 0u; d0 < PARAM_COUNT; d0 += 128u) {
    let bits = philox4x32(vec4u(p, cfg.panel, probe, d0 / 128u), vec2u(cfg.seed, cfg.stream));
    for (var c = 0u; c < 128u && d0 + c < PARAM_COUNT; c++) {
      let minus = ((bits[c / 32u] >> (c % 32u)) & 1u) == 1u;
      pv[d0 + c] = select(scale, -scale, minus);
    }
  }
}

fn dot_vu() -> f32 {
  var s = 0.0;
  for (var d = 0u; d < PARAM_COUNT; d++) { s += pv[d] * pu[d]; }
  return s;
}

fn store_vector(base: u32) {
  for (var d = 0u; d < PARAM_COUNT; d++) { vectors[base + d] = pv[d]; }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let p = gid.x + gid.y * groups.x * WG;
  if (p >= cfg.count) { return; }
  if (status[p] != ALIVE) {
    result[p] = vec4f(bitcast<f32>(cfg.nan_bits));
    return;
  }
  var st = state[p];
  let P = cfg.iterations;
  let total = 2u * P + cfg.probes;
  if (st.t >= total) { return; }
  net_layout();
  let base = p * PARAM_COUNT;
  for (var d = 0u; d < PARAM_COUNT; d++) { px[d] = params[base + d]; }
  if (st.t < 2u * P) {
    for (var d = 0u; d < PARAM_COUNT; d++) { pv[d] = vectors[base + d]; }
  }
  let unit = 1.0 / sqrt(f32(PARAM_COUNT));
  for (var b = 0u; b < cfg.budget && st.t < total; b++) {
    if (st.t < 2u * P) {
      let phase = st.t / P;
      let k = st.t % P;
      if (k == 0u && phase == 1u) {
        if (st.dominant >= 0.0) {
          // lambda_1 >= 0 is lambda_max: no shifted phase
          // (this slot of the budget does no product; a dispatch still holds at most `budget`)
          st.t = 2u * P;
          continue;
        }
        st.shift = st.dominant;
      }
      if (k == 0u) { draw_probe(p, cfg.start_probe + phase, unit); }
      hvp_full(cfg.n_train, cfg.weight_decay, st.shift);
      // the Rayleigh quotient of the float32 v (|v| = 1 only up to rounding)
      var vv = 0.0;
      for (var d = 0u; d < PARAM_COUNT; d++) { vv += pv[d] * pv[d]; }
      let mu = dot_vu() / vv;
      var r2 = 0.0;
      var u2 = 0.0;
      for (var d = 0u; d < PARAM_COUNT; d++) {
        let e = pu[d] - mu * pv[d];
        r2 += e * e;
        u2 += pu[d] * pu[d];
      }
      st.lambda = mu + st.shift;
      st.residual = sqrt(r2);
      if (k + 1u < P) {
        let norm = sqrt(u2);
        if (norm > 0.0 && is_finite1(norm)) {
          let inv = 1.0 / norm;
          for (var d = 0u; d < PARAM_COUNT; d++) { pv[d] = pu[d] * inv; }
        }
      } else if (phase == 0u) {
        st.dominant = st.lambda;
      }
      st.t++;
      if (st.t == 2u * P || (st.t == P && st.dominant >= 0.0)) { store_vector(base); }
    } else {
      let j = st.t - 2u * P;
      draw_probe(p, j, 1.0);
      hvp_full(cfg.n_train, cfg.weight_decay, 0.0);
      let q = dot_vu();
      let delta = q - st.mean;
      st.mean += delta / f32(j + 1u);
      st.m2 += delta * (q - st.mean);
      st.t++;
    }
  }
  if (st.t < 2u * P) { store_vector(base); }
  state[p] = st;
  if (st.t == total) {
    let m = f32(cfg.probes);
    var trace = bitcast<f32>(cfg.nan_bits);
    var se = trace;
    if (cfg.probes >= 1u) { trace = st.mean; }
    if (cfg.probes >= 2u) { se = sqrt(st.m2 / (m * (m - 1.0))); }
    result[p] = vec4f(st.lambda, trace, se, st.residual);
  }
}
