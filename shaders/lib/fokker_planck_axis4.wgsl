// Vectorised Scharfetter–Gummel rates for axis-only schemes (no cross flux,
// no diagonal exchange) on N x N grids with N % 4 == 0: one vec4f holds 4
// neighbouring cells of a row, for fokker_planck_step_fast.wgsl (Euler).
// Each invocation walks a column strip of rows, carrying the north flux of
// one row as the south flux of the next; every face flux is the same float
// expression of the same operands in both cells it touches.

// cells per side (a multiple of 4)
override N: u32 = 64u;

@group(0) @binding(1) var<storage, read> fp4_in: array<vec4f>;
// four planes of N*N floats: A_east | B_east | A_north | B_north (1/time), 0 on wall faces
@group(0) @binding(3) var<storage, read> fp4_axis: array<vec4f>;

struct Fp4Row {
  // dp/dt of the 4 cells (probability per unit time)
  rate: vec4f,
  // flux through their north faces (the next row's south flux)
  north: vec4f,
  // the next row's densities (0 beyond the north wall)
  pn: vec4f,
}

// South flux into the strip's first row j0 at block b (0 at the south wall).
fn fp4_south(b: u32, j0: u32, pc: vec4f) -> vec4f {
  if (j0 == 0u) { return vec4f(0.0); }
  let q = N / 4u;
  let plane = q * N;
  let bs = b - q;
  return fp4_axis[2u * plane + bs] * fp4_in[bs] - fp4_axis[3u * plane + bs] * pc;
}

// Rates of block b in row j, given its densities pc and the south flux.
fn fp4_row(b: u32, j: u32, pc: vec4f, south: vec4f, has_west: bool, has_east: bool) -> Fp4Row {
  let q = N / 4u;
  let plane = q * N;
  let ae = fp4_axis[b];
  let be = fp4_axis[plane + b];
  let an = fp4_axis[2u * plane + b];
  let bn = fp4_axis[3u * plane + b];
  // neighbours across the block's west and east edges (0 at the walls)
  var pw = 0.0;
  var aw = 0.0;
  var bw = 0.0;
  if (has_west) {
    pw = fp4_in[b - 1u].w;
    aw = fp4_axis[b - 1u].w;
    bw = fp4_axis[plane + b - 1u].w;
  }
  var pe = 0.0;
  if (has_east) { pe = fp4_in[b + 1u].x; }
  // east-face fluxes of the 4 cells (the last is 0 at the east wall: A = B = 0 there)
  let east = ae * pc - be * vec4f(pc.yzw, pe);
  let west = vec4f(aw * pw - bw * pc.x, east.xyz);
  var pn = vec4f(0.0);
  var north = vec4f(0.0);
  if (j + 1u < N) {
    pn = fp4_in[b + q];
    north = an * pc - bn * pn;
  }
  return Fp4Row(west - east + south - north, north, pn);
}
