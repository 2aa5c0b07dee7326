// Shared declarations of the particle-metrics kernels.
// Loss quantiles come from a histogram of f - f_min in LOSS_BINS log-spaced
// bins from loss_floor to loss_floor * LOSS_DECADES decades (clamped at both ends).

const LOSS_BINS: u32 = 256u;
const MAX_BASINS: u32 = 16u;
/** words of the counts buffer: loss histogram, then basin counts = LOSS_BINS + MAX_BASINS
 *  (written as a literal: the WGSL reflection used to size buffers cannot evaluate const sums) */
const COUNT_WORDS: u32 = 272u;
const NO_BASIN: u32 = 0xffffffffu;

struct MetricsParams {
  count: u32,
  grid: u32,            // 2-D histogram and basin map: grid x grid cells over the domain
  basins: u32,          // number of known minima (<= MAX_BASINS)
  workgroups: u32,      // partial sums written by the first pass
  lo: vec2f,            // domain minimum
  hi: vec2f,            // domain maximum
  loss_min: f32,        // f_min of the surface over the domain (loss units)
  loss_floor: f32,      // lower edge of the first loss bin, above f_min (loss units)
  log_span: f32,        // ln(upper edge / loss_floor) of the bins
  origin: vec2f,        // positions are summed relative to this point (less cancellation)
  optimizer: u32,       // the step kernel's OPTIMIZER: 0 heavy ball, 1 Nesterov, 2 Adam (no drift reported)
  momentum: f32,        // heavy-ball beta of SGD (0: plain SGD)
}

// Sums over the alive particles of one workgroup (first pass) or all (second).
struct Partial {
  alive: f32,
  loss: f32,
  x: f32, y: f32,
  xx: f32, xy: f32, yy: f32,
  diverged: f32,        // particles flagged as diverged (exact below 2^24)
  ang: f32,             // sum of (x - origin) x u, u the expected step per unit PDE time (see expected_drift)
  ux: f32, uy: f32,     // sum of u
}

fn add_partials(a: Partial, b: Partial) -> Partial {
  return Partial(a.alive + b.alive, a.loss + b.loss, a.x + b.x, a.y + b.y, a.xx + b.xx, a.xy + b.xy, a.yy + b.yy, a.diverged + b.diverged,
    a.ang + b.ang, a.ux + b.ux, a.uy + b.uy);
}

fn zero_partial() -> Partial {
  return Partial(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
}

// The next step's expected displacement given the particle's state (x, m),
// averaged over the step's noise (zero mean for every noise kind), per unit
// of PDE time lr_eff = lr / (1 - beta): heavy ball x' = x - lr (beta m + g)
// gives -(1 - beta)(beta m + grad f); Nesterov x' = x - lr (g + beta (beta m + g))
// gives -(1 - beta)((1 + beta) grad f + beta^2 m). Plain SGD: -grad f.
// (Adam's expected step is not linear in the noise: the caller reports none.)
fn expected_drift(grad: vec2f, m: vec2f, p: MetricsParams) -> vec2f {
  let b = p.momentum;
  if (p.optimizer == 1u) { return -(1.0 - b) * ((1.0 + b) * grad + b * b * m); }
  return -(1.0 - b) * (b * m + grad);
}

// 2-D cross product a x b = a_x b_y - a_y b_x
fn cross2(a: vec2f, b: vec2f) -> f32 {
  return a.x * b.y - a.y * b.x;
}

fn loss_bin(f: f32, p: MetricsParams) -> u32 {
  let excess = max(f - p.loss_min, p.loss_floor);
  let t = log(excess / p.loss_floor) / p.log_span;
  return min(u32(max(t, 0.0) * f32(LOSS_BINS)), LOSS_BINS - 1u);
}

fn cell_of(x: vec2f, p: MetricsParams) -> vec2i {
  let u = (x - p.lo) / (p.hi - p.lo) * f32(p.grid);
  return vec2i(floor(u));
}
