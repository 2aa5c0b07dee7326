// Current arrows: J / rho of a Fokker–Planck grid over the blocks of an
// A x A lattice. Layouts, units and the CPU twin: src/render/current-arrows-reference.ts.
@group(0) @binding(0) var<storage, read> density: array<f32>;
@group(0) @binding(1) var<storage, read> current: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> arrows: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> peak: atomic<u32>;

override N: u32 = 64u;
override A: u32 = 20u;
override HX: f32 = 1.0;
override HY: f32 = 1.0;
override X0: f32 = 0.0;
override Y0: f32 = 0.0;
override RHO_MIN: f32 = 0.0;

fn edge(a: u32) -> u32 { return a * N / A; }

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let a = gid.x;
  if (a >= A * A) { return; }
  let x0 = edge(a % A);
  let x1 = edge(a % A + 1u);
  let y0 = edge(a / A);
  let y1 = edge(a / A + 1u);
  var p = 0.0;
  var j = vec2f(0.0);
  for (var iy = y0; iy < y1; iy++) {
    for (var ix = x0; ix < x1; ix++) {
      let c = iy * N + ix;
      p += density[c];
      var w = vec2f(0.0);
      if (ix > 0u) { w.x = current[c - 1u].x; }
      if (iy > 0u) { w.y = current[c - N].y; }
      j += current[c] + w;
    }
  }
  let cells = f32((x1 - x0) * (y1 - y0));
  let rho = p / (cells * HX * HY);
  let jm = 0.5 * j / cells;
  var v = vec2f(0.0);
  if (p > 0.0) { v = jm / rho; }
  // scaled: length() squares, and tails' currents (~1e-20) would underflow
  let big = max(abs(jm.x), abs(jm.y));
  let jl = select(0.0, big * length(jm / big), big > 0.0);
  let shown = rho >= RHO_MIN && p > 0.0;
  if (shown) { atomicMax(&peak, bitcast<u32>(jl)); }
  let at = vec2f(X0 + 0.5 * f32(x0 + x1) * HX, Y0 + 0.5 * f32(y0 + y1) * HY);
  arrows[2u * a] = vec4f(at, v);
  arrows[2u * a + 1u] = vec4f(rho, jl, select(0.0, 1.0, shown), 0.0);
}
