// CPU reference (float64) of shaders/network_hvp.wgsl: the sharpness of one
// network, lambda_max of the Hessian H of its full training loss (weight decay
// included) by power iteration, and tr H by Hutchinson's estimator, on the exact
// Hessian-vector products of src/model/network/hvp.ts, with the kernel's
// Rademacher probes and schedule. Also the exact Hessian built column by column
// (H e_d), for networks small enough to solve it (the science check).
import { hessianVector, type LossProblem } from '../../model/network/hvp';
import type { NetworkModel } from '../../model/network/model';
import { NETWORK_SHARPNESS_STREAM, POWER_START_PROBE, SHARPNESS_DEFAULTS } from '../../model/network/spec';
import { philox4x32 } from '../../rng/philox';

/** How much work one sharpness estimate does: 2 P + M Hessian-vector products at most (P + M without a negative dominant eigenvalue). */
export interface SharpnessSettings {
  /** P: power iterations per phase (>= 1) */
  iterations: number;
  /** M: Hutchinson probes (the trace's standard error needs >= 2) */
  probes: number;
}

/** The lab's default (spec.ts SHARPNESS_DEFAULTS, the scenario's `sharpness` defaults). */
export const DEFAULT_SHARPNESS_SETTINGS: SharpnessSettings = SHARPNESS_DEFAULTS;

export interface SharpnessEstimate {
  /** largest algebraic eigenvalue estimate: the Rayleigh quotient of `vector` (loss units per weight^2); a lower bound on lambda_max */
  lambdaMax: number;
  /** |H v - lambdaMax v| for the unit `vector` (same units): 0 for an exact eigenvector */
  residual: number;
  /** the first phase's Rayleigh quotient: the eigenvalue of largest magnitude (the shift when negative) */
  dominant: number;
  /** the power iteration's last vector (unit norm) */
  vector: Float64Array;
  /** Hutchinson's estimate of tr H (loss units per weight^2); NaN without probes */
  trace: number;
  /** its standard error, sample standard deviation of the probes / sqrt(M); NaN with fewer than 2 */
  traceSE: number;
  /** the probes' values z_j . H z_j */
  probeValues: Float64Array;
}

/** The full training loss of a model (its dataset's training split, the spec's weight decay). */
export function lossProblem(model: NetworkModel, weightDecay = model.spec.weightDecay): LossProblem {
  const { layout, activation, dataset } = model;
  return { layout, activation, inputs: dataset.inputs, labels: dataset.labels, n: dataset.nTrain, weightDecay };
}

/** Rademacher probe `probe` of network p in panel `panel` (spec.ts NETWORK_SHARPNESS_STREAM), times `scale`. */
export function rademacherProbe(seed: number, panel: number, p: number, probe: number, D: number, scale = 1): Float64Array {
  const out = new Float64Array(D);
  for (let d0 = 0; d0 < D; d0 += 128) {
    const bits = philox4x32([p, panel, probe >>> 0, d0 / 128], [seed, NETWORK_SHARPNESS_STREAM]);
    for (let c = 0; c < 128 && d0 + c < D; c++) out[d0 + c] = (bits[c >>> 5] >>> (c & 31)) & 1 ? -scale : scale;
  }
  return out;
}

/** a . b in float64 */
export const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * Power iteration with the kernel's schedule on the operator `apply` (out = H v):
 * P steps from `start(0)`; when their Rayleigh quotient lambda_1 (the eigenvalue of
 * largest magnitude) is negative, P more on H - lambda_1 I from `start(1)`, whose
 * dominant eigenvalue lambda_max - lambda_1 >= 0 is the top of H's spectrum.
 */
export function powerIteration(apply: (v: Float64Array, out: Float64Array) => void, D: number, start: (phase: number) => Float64Array, iterations: number) {
  const u = new Float64Array(D);
  let lambda = NaN, residual = NaN, dominant = NaN, v = start(0);
  for (let phase = 0; phase < 2; phase++) {
    const shift = phase === 0 ? 0 : dominant;
    if (phase === 1) {
      if (!(dominant < 0)) break;
      v = start(1);
    }
    for (let k = 0; k < iterations; k++) {
      apply(v, u);
      for (let d = 0; d < D; d++) u[d] -= shift * v[d];
      const mu = dot(v, u) / dot(v, v);
      let r2 = 0;
      for (let d = 0; d < D; d++) r2 += (u[d] - mu * v[d]) ** 2;
      lambda = mu + shift;
      residual = Math.sqrt(r2);
      const norm = Math.sqrt(dot(u, u));
      if (k + 1 < iterations && norm > 0 && Number.isFinite(norm)) v = u.map((x) => x / norm);
    }
    if (phase === 0) dominant = lambda;
  }
  return { lambda, residual, dominant, vector: v };
}

/** Hutchinson's estimator: mean and standard error of z_j . H z_j over `probes` probe vectors. */
export function hutchinson(apply: (v: Float64Array, out: Float64Array) => void, D: number, probe: (j: number) => Float64Array, probes: number) {
  const u = new Float64Array(D);
  const values = Float64Array.from({ length: probes }, (_, j) => {
    const z = probe(j);
    apply(z, u);
    return dot(z, u);
  });
  const mean = values.reduce((a, b) => a + b, 0) / probes;
  const ss = values.reduce((a, q) => a + (q - mean) ** 2, 0);
  return { trace: probes >= 1 ? mean : NaN, traceSE: probes >= 2 ? Math.sqrt(ss / (probes * (probes - 1))) : NaN, values };
}

/** The kernel's estimate for network p (parameters at params[offset..]) of panel `panel`. */
export function sharpnessReference(
  problem: LossProblem, params: ArrayLike<number>, offset: number, seed: number, panel: number, p: number, settings: SharpnessSettings,
): SharpnessEstimate {
  const D = problem.layout.params;
  const apply = (v: Float64Array, out: Float64Array) => hessianVector(problem, params, offset, v, out);
  const power = powerIteration(apply, D, (phase) => rademacherProbe(seed, panel, p, POWER_START_PROBE + phase, D, 1 / Math.sqrt(D)), settings.iterations);
  const h = hutchinson(apply, D, (j) => rademacherProbe(seed, panel, p, j, D), settings.probes);
  return { lambdaMax: power.lambda, residual: power.residual, dominant: power.dominant, vector: power.vector, trace: h.trace, traceSE: h.traceSE, probeValues: h.values };
}

/** The exact Hessian (D x D, row-major), column d = H e_d in float64. */
export function exactHessian(problem: LossProblem, params: ArrayLike<number>, offset: number): Float64Array {
  const D = problem.layout.params;
  const H = new Float64Array(D * D);
  const e = new Float64Array(D), col = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    e.fill(0);
    e[d] = 1;
    hessianVector(problem, params, offset, e, col);
    for (let i = 0; i < D; i++) H[i * D + d] = col[i];
  }
  return H;
}
