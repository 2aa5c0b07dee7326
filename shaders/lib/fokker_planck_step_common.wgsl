// Shared preamble of the explicit Euler substep kernels
// (fokker_planck_step.wgsl: any scheme; fokker_planck_step_fast.wgsl: axis
// fluxes only, vectorised): the substep's dt uniform and the launch shape.
// The driver (src/sim/fokker-planck/euler-stage.ts) ping-pongs p and its residual r
// between two buffer pairs, one substep per dispatch.
//
// Compensated update (Kahan/TwoSum): the state is p + r with r the rounding
// residual of the last update, |r| <= ulp(p)/2. Without it, an update smaller
// than half an ulp of p is lost, which freezes slow modes (barrier crossings)
// and drifted the mass by 2e-5 over 1e5 substeps (64^2 double well); with it,
// p + r is conserved to the rounding of the fluxes themselves.

// One dt slot (256-byte aligned in the slot buffer). dt: PDE time per substep.
struct FpStep {
  dt: f32,
  _pad0: f32,
  _pad1: f32,
  _pad2: f32,
}

@group(0) @binding(0) var<uniform> step: FpStep;

// workgroup shape (the driver sets both)
override WG_X: u32 = 16u;
override WG_Y: u32 = 1u;
// cells per invocation along y (a column strip of ROWS rows)
override ROWS: u32 = 64u;
