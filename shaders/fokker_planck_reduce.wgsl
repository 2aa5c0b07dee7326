// Metrics of the Fokker–Planck density, pass 1: each workgroup sums its share
// of the cells into one partial (three vec4f). Definitions and the CPU twin:
// `metrics` in src/sim/fokker-planck/reference.ts. The current buffer must
// hold this density's face currents (fokker_planck_current.wgsl runs first).
// @import lib/fokker_planck_metrics.wgsl

struct FpMetricsParams {
  has_hist: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: FpMetricsParams;
@group(0) @binding(1) var<storage, read> density: array<f32>;
// loss f at cell centres
@group(0) @binding(2) var<storage, read> loss: array<f32>;
// stationary probabilities per cell: (s, log s); s may underflow to 0, log s does not
@group(0) @binding(3) var<storage, read> stationary: array<vec2f>;
// particle counts per cell (only read when params.has_hist != 0)
@group(0) @binding(4) var<storage, read> hist: array<u32>;
// (J_x east face, J_y north face) per cell, per unit length
@group(0) @binding(5) var<storage, read> current: array<vec2f>;
@group(0) @binding(6) var<storage, read_write> partials: array<vec4f>;

override N: u32 = 64u;
// cell widths and log(hx hy)
override HX: f32 = 1.0;
override HY: f32 = 1.0;
override LOG_AREA: f32 = 0.0;

// p below this counts as 0 in p log p (reference.ts P_TINY)
const P_TINY: f32 = 1e-37;
// KL(hist || p) floors p here in cells with particles (reference.ts P_FLOOR)
const P_FLOOR: f32 = 1e-12;
// below this the stationary probability is handled through its log
const S_MIN: f32 = 1e-30;

// phi(r) = (1 + r) log(1 + r) - r >= 0, accurate for small r:
// KL = sum s phi(p/s - 1) + sum (p - s) = sum p log(p/s) without cancellation near p = s.
fn fp_phi(r: f32) -> f32 {
  if (abs(r) < 0.1) {
    return r * r * (0.5 + r * (-1.0 / 6.0 + r * (1.0 / 12.0 + r * (-1.0 / 20.0 + r * (1.0 / 30.0 + r * (-1.0 / 42.0 + r * (1.0 / 56.0)))))));
  }
  return (1.0 + r) * log(1.0 + r) - r;
}

@compute @workgroup_size(RED_WG)
fn main(@builtin(local_invocation_id) lid3: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let lid = lid3.x;
  let cells = N * N;
  let stride = groups.x * RED_WG;
  let area = HX * HY;
  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  var a2 = vec4f(0.0);
  for (var c = wid.x * RED_WG + lid; c < cells; c += stride) {
    let p = density[c];
    let pos = p > P_TINY;
    let pp = select(0.0, p, pos);
    a0.x += p;
    a0.y += p * loss[c];
    let st = stationary[c];
    if (pos) {
      a0.z += p * (log(p) - LOG_AREA);
    }
    if (st.x > S_MIN) {
      a0.w += st.x * fp_phi(pp / st.x - 1.0);
      a1.x += pp - st.x;
    } else if (pos) {
      a0.w += p * (log(p) - st.y);
    }
    if (params.has_hist != 0u) {
      let h = hist[c];
      if (h > 0u) {
        let hf = f32(h);
        a1.y += hf * (log(hf) - log(max(p, P_FLOOR)));
        a1.z += hf;
      }
    }
    let i = c % N;
    let j = c / N;
    let J = current[c];
    a2.x += (abs(J.x) + abs(J.y)) * area;
    if (i + 1u < N && j + 1u < N) {
      let curl = (current[c + 1u].y - J.y) / HX - (current[c + N].x - J.x) / HY;
      a1.w += abs(curl) * area;
    }
  }
  fp_workgroup_sum(lid, a0, a1, a2);
  if (lid == 0u) {
    partials[3u * wid.x] = fp_acc0[0];
    partials[3u * wid.x + 1u] = fp_acc1[0];
    partials[3u * wid.x + 2u] = fp_acc2[0];
  }
}
