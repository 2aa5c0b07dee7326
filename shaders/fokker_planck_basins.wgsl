// The Fokker–Planck density's mass in each listed minimum's basin of
// attraction (the basin map of the particle metrics, on the same grid), in
// two barrier-free passes: `partial_sums` adds CPT consecutive cells per
// invocation into MAX_BASINS sums; `totals_out` (one invocation per basin)
// adds those partials and writes them behind the metrics block's 12 sums.
// CPU reference: `metrics` in src/sim/fokker-planck/reference.ts (basinMasses).

const MAX_BASINS: u32 = 16u;

@group(0) @binding(0) var<storage, read> density: array<f32>;
// per cell the basin index, or >= MAX_BASINS where no listed minimum's basin
@group(0) @binding(1) var<storage, read> basin: array<u32>;
// MAX_BASINS / 4 vec4f per invocation of partial_sums
@group(0) @binding(2) var<storage, read_write> partials: array<vec4f>;
// the metrics block as f32: the 12 sums of fokker_planck_reduce_final.wgsl, then MAX_BASINS masses
@group(0) @binding(3) var<storage, read_write> block: array<f32>;

override CELLS: u32 = 1u;
// cells per partial_sums invocation
override CPT: u32 = 64u;
// partial_sums invocations (ceil(CELLS / CPT))
override PARTIALS: u32 = 1u;
override WG: u32 = 64u;
// first f32 of the basin masses in `block`
const BLOCK_OFFSET: u32 = 12u;

@compute @workgroup_size(WG)
fn partial_sums(@builtin(global_invocation_id) gid: vec3u) {
  let t = gid.x;
  if (t >= PARTIALS) { return; }
  var a = array<vec4f, 4>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  for (var c = t * CPT; c < min(CELLS, (t + 1u) * CPT); c++) {
    let b = basin[c];
    if (b < MAX_BASINS) { a[b / 4u][b % 4u] += density[c]; }
  }
  for (var k = 0u; k < 4u; k++) { partials[4u * t + k] = a[k]; }
}

@compute @workgroup_size(16)
fn totals_out(@builtin(local_invocation_index) b: u32) {
  var s = 0.0;
  for (var t = 0u; t < PARTIALS; t++) { s += partials[4u * t + b / 4u][b % 4u]; }
  block[BLOCK_OFFSET + b] = s;
}
