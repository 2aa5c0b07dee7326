// Fokker–Planck face fluxes on an N x N grid (probability per unit PDE time),
// shared by the substep (fokker_planck_step.wgsl) and the current
// (fokker_planck_current.wgsl) kernels. The scheme and its coefficients are
// built once in float64 by src/sim/fokker-planck/coefficients.ts, which
// explains them; the CPU twin is src/sim/fokker-planck/reference.ts.
// Cell (i, j) is at index j * N + i; p is the probability in a cell.

// cells per side
override N: u32 = 64u;
// diagonal-neighbour exchanges present ('monotone' scheme with Dxy != 0)
override HAS_DIAG: bool = false;
// central cross flux present ('limited' or 'central' scheme with Dxy != 0)
override HAS_CROSS: bool = false;
// cross fluxes clamped for positivity ('limited')
override LIMITED: bool = false;

@group(0) @binding(1) var<storage, read> fp_in: array<f32>;
// four planes of N*N floats, A_east | B_east | A_north | B_north (1/time):
// flux east = A p_P - B p_E; 0 on wall faces
@group(0) @binding(3) var<storage, read> fp_axis: array<f32>;
// per cell: (g+, g-), 1/time; exchange (i, j) -> (i+1, j±1) = g p_P - g' p_Q
@group(0) @binding(4) var<storage, read> fp_diag: array<vec2f>;
// per cell: (Dxy / (hx hy), limiter slack s), 1/time
@group(0) @binding(5) var<storage, read> fp_xcoef: array<vec2f>;

// (A_east, B_east, A_north, B_north) of cell c
fn fp_k(c: u32) -> vec4f {
  let nn = N * N;
  return vec4f(fp_axis[c], fp_axis[nn + c], fp_axis[2u * nn + c], fp_axis[3u * nn + c]);
}

fn fp_q(c: u32) -> f32 {
  return fp_xcoef[c].x * fp_in[c];
}

// flux from (i, j) to (i+1, j); requires i + 1 < N
fn fp_flux_x(i: u32, j: u32) -> f32 {
  let c = j * N + i;
  let k = fp_k(c);
  let pc = fp_in[c];
  let pe = fp_in[c + 1u];
  var phi = k.x * pc - k.y * pe;
  if (HAS_CROSS) {
    let jm = select(j - 1u, 0u, j == 0u);
    let jp = min(j + 1u, N - 1u);
    let up = jp * N + i;
    let dn = jm * N + i;
    phi -= (fp_q(up) + fp_q(up + 1u) - fp_q(dn) - fp_q(dn + 1u)) / f32(2u * (jp - jm));
    if (LIMITED) {
      phi = min(max(phi, -(k.y + fp_xcoef[c + 1u].y) * pe), (k.x + fp_xcoef[c].y) * pc);
    }
  }
  return phi;
}

// flux from (i, j) to (i, j+1); requires j + 1 < N
fn fp_flux_y(i: u32, j: u32) -> f32 {
  let c = j * N + i;
  let k = fp_k(c);
  let pc = fp_in[c];
  let pn = fp_in[c + N];
  var phi = k.z * pc - k.w * pn;
  if (HAS_CROSS) {
    let im = select(i - 1u, 0u, i == 0u);
    let ip = min(i + 1u, N - 1u);
    let rt = j * N + ip;
    let lf = j * N + im;
    phi -= (fp_q(rt) + fp_q(rt + N) - fp_q(lf) - fp_q(lf + N)) / f32(2u * (ip - im));
    if (LIMITED) {
      phi = min(max(phi, -(k.w + fp_xcoef[c + N].y) * pn), (k.z + fp_xcoef[c].y) * pc);
    }
  }
  return phi;
}

// exchange (i, j) -> (i+1, j+1); 0 where that pair does not exist
fn fp_psi_plus(i: i32, j: i32) -> f32 {
  let n = i32(N);
  if (i < 0 || j < 0 || i + 1 >= n || j + 1 >= n) { return 0.0; }
  let c = u32(j) * N + u32(i);
  let q = c + N + 1u;
  return fp_diag[c].x * fp_in[c] - fp_diag[q].x * fp_in[q];
}

// exchange (i, j) -> (i+1, j-1); 0 where that pair does not exist
fn fp_psi_minus(i: i32, j: i32) -> f32 {
  let n = i32(N);
  if (i < 0 || j < 1 || i + 1 >= n || j >= n) { return 0.0; }
  let c = u32(j) * N + u32(i);
  let q = c - N + 1u;
  return fp_diag[c].y * fp_in[c] - fp_diag[q].y * fp_in[q];
}
