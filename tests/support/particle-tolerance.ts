// Per-particle tolerance for GPU (float32) vs CPU (float64) trajectories.
//
// Each float32 step commits rounding errors of a few ulp of the position
// (|x| * 2^-24 per operation; we allow 8 ulp per step for the gradient, the
// update and the noise), and the random normals differ by the float32
// transcendental error: WGSL bounds sin/cos to 2^-11 absolute on (-pi, pi) and
// r = sqrt(-2 ln u) <= 5.8, so |dz| <= 2.9e-3, entering as lr * scale * |dz|.
// The dynamics then amplify errors: near a saddle a perturbation grows like
// (1 + lr |lambda_min|)^k. We measure each particle's amplification A_i with
// twin CPU runs whose initial positions differ by a tiny offset d (linear
// response, A_i = |x_i' - x_i| / d) and bound the GPU error by
//   tol_i = SAFETY * steps * delta_i * max(1, A_i),
// since an error made at a later step grows for fewer steps.
import type { Surface } from '../../src/model/surface-types';
import { initialState, stepParticle, type ParticleState } from '../../src/sim/particles/reference';
import type { StepConfig, InitConfig } from '../../src/sim/particles/step-config';

const ULP = 2 ** -24;
const SAFETY = 4;
const OFFSET = 1e-7;
const NORMAL_ERROR = 2 ** -11 * 5.8;

export function cpuTrajectories(surface: Surface, step: StepConfig, init: InitConfig, seed: number, stream: number, count: number, steps: number, perturb = [0, 0]): ParticleState {
  const state = initialState(init, seed, count);
  for (let i = 0; i < count; i++) {
    // the GPU starts from float32 initial positions
    state.position[2 * i] = Math.fround(state.position[2 * i]) + perturb[0];
    state.position[2 * i + 1] = Math.fround(state.position[2 * i + 1]) + perturb[1];
    stepParticle(state, surface, step, seed, stream, i, 0, steps);
  }
  return state;
}

export interface Comparison {
  /** particles whose |gpu - cpu| exceeds their tolerance */
  failures: number;
  worstRatio: number;
  medianError: number;
  statusMismatches: number;
}

export function compareWithTolerance(gpu: { position: Float32Array; status: Uint32Array }, surface: Surface, step: StepConfig, init: InitConfig, seed: number, stream: number, steps: number): Comparison {
  const count = gpu.status.length;
  const ref = cpuTrajectories(surface, step, init, seed, stream, count, steps);
  const twinX = cpuTrajectories(surface, step, init, seed, stream, count, steps, [OFFSET, 0]);
  const twinY = cpuTrajectories(surface, step, init, seed, stream, count, steps, [0, OFFSET]);
  let failures = 0, worstRatio = 0, statusMismatches = 0;
  const errors: number[] = [];
  for (let i = 0; i < count; i++) {
    if (gpu.status[i] !== ref.status[i]) { statusMismatches++; continue; }
    const x = ref.position[2 * i], y = ref.position[2 * i + 1];
    const amp = Math.max(
      Math.hypot(twinX.position[2 * i] - x, twinX.position[2 * i + 1] - y),
      Math.hypot(twinY.position[2 * i] - x, twinY.position[2 * i + 1] - y),
    ) / OFFSET;
    const delta = 8 * ULP * Math.max(1, Math.abs(x), Math.abs(y)) + NORMAL_ERROR * step.lr * step.noiseScale * Math.max(1, ...step.chol);
    const tol = SAFETY * steps * delta * Math.max(1, amp);
    const err = Math.hypot(gpu.position[2 * i] - x, gpu.position[2 * i + 1] - y);
    errors.push(err);
    worstRatio = Math.max(worstRatio, err / tol);
    if (!(err <= tol)) failures++;
  }
  errors.sort((a, b) => a - b);
  return { failures, worstRatio, medianError: errors[errors.length >> 1] ?? 0, statusMismatches };
}
