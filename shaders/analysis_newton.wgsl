// Many-start damped Newton on grad f = 0, one thread per start, K iterations:
// Levenberg–Marquardt on the residual g = grad f with Jacobian H,
//   d = -(H^2 + mu |H|_F^2 I)^{-1} H g, |d| <= max_step,
// accepted when |g| falls (mu /= 10, floored at mu_min), else mu *= 10 (past
// mu_max: stalled). Stops when |g| <= gtol. Deduplication and classification
// happen on the CPU afterwards (src/sim/analysis/critical-points.ts).
// CPU reference: src/sim/analysis/newton-reference.ts (dampedNewton), whose
// NEWTON_STATUS codes the `info` words carry.
// @import surface

struct NewtonParams {
  count: u32,
  iterations: u32,   // K
  gtol: f32,         // |grad f| tolerance (loss units per length)
  max_step: f32,     // longest step (length units)
  mu0: f32,
  mu_min: f32,
  mu_max: f32,
  lo: vec2f,         // iterates leaving [lo, hi] stop as `outside`
  hi: vec2f,
}

@group(0) @binding(0) var<uniform> params: NewtonParams;
@group(0) @binding(1) var<storage, read> starts: array<vec2f>;
// (x, y, |grad f|, mu) per start
@group(0) @binding(2) var<storage, read_write> results: array<vec4f>;
// status | iterations << 8 per start
@group(0) @binding(3) var<storage, read_write> info: array<u32>;

const CONVERGED = 0u;
const MAX_ITERATIONS = 1u;
const STALLED = 2u;
const FLAT = 3u;
const OUTSIDE = 4u;

override WORKGROUP_SIZE: u32 = 64u;

fn finite(v: f32) -> bool {
  // NaN fails every comparison; +-inf exceeds the largest f32
  return abs(v) <= 3.4028234e38;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= params.count) { return; }
  var p = starts[i];
  var mu = params.mu0;
  var g = surface_grad(p);
  var r = length(g);
  var status = MAX_ITERATIONS;
  var it = 0u;
  loop {
    if (!finite(r)) { status = OUTSIDE; break; }
    if (r <= params.gtol) { status = CONVERGED; break; }
    if (it >= params.iterations) { break; }
    it++;
    let h = surface_hessian(p);
    let a = h.x;
    let b = h.y;
    let c = h.z;
    let s2 = a * a + 2.0 * b * b + c * c;
    if (!(s2 > 0.0) || !finite(s2)) { status = FLAT; break; }
    let damp = mu * s2;
    let m11 = a * a + b * b + damp;
    let m12 = b * (a + c);
    let m22 = b * b + c * c + damp;
    let rhs = -vec2f(a * g.x + b * g.y, b * g.x + c * g.y);
    let det = m11 * m22 - m12 * m12;
    var d = vec2f(m22 * rhs.x - m12 * rhs.y, m11 * rhs.y - m12 * rhs.x) / det;
    let len = length(d);
    if (len > params.max_step) { d *= params.max_step / len; }
    let trial = p + d;
    let gt = surface_grad(trial);
    let rt = length(gt);
    if (rt < r) {
      p = trial;
      g = gt;
      r = rt;
      mu = max(mu * 0.1, params.mu_min);
      if (any(p < params.lo) || any(p > params.hi)) { status = OUTSIDE; break; }
    } else {
      mu *= 10.0;
      if (mu > params.mu_max) { status = STALLED; break; }
    }
  }
  results[i] = vec4f(p, r, mu);
  info[i] = status | (it << 8u);
}
