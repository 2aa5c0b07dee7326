// From a panel's optimizer and noise to the numbers the step kernel and its CPU
// reference use; one place, so the two cannot disagree.
import type { Domain } from '../../model/surface-types';
import type { InitSpec, PanelSpec } from '../../model/scenario-schema';

/** Stream key of the initial cloud: shared by all panels, so panels start from the same particles. */
export const INIT_STREAM = 0x494e4954; // 'INIT'

/** Which lib/gradient/<estimator>.wgsl the step kernel uses. */
export type GradientEstimator = 'exact' | 'additive' | 'minibatch';

export interface StepConfig {
  optimizer: 0 | 1 | 2;
  estimator: GradientEstimator;
  lr: number;
  momentum: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** multiplies L xi in g = grad + scale * L xi */
  noiseScale: number;
  /** minibatch size B (1 when unused) */
  batch: number;
  /** Cholesky factor L of the diffusion matrix as (l00, l10, l11) */
  chol: [number, number, number];
  /** particles outside [lo, hi] are frozen as diverged */
  boundLo: [number, number];
  boundHi: [number, number];
}

/** How far outside the domain a particle may wander before it counts as diverged (in domain widths). */
export const BOUND_WIDTHS = 50;

export function cholesky2(m: [[number, number], [number, number]]): [number, number, number] {
  const l00 = Math.sqrt(m[0][0]);
  const l10 = m[1][0] / l00;
  const l11 = Math.sqrt(m[1][1] - l10 * l10);
  return [l00, l10, l11];
}

export function stepConfig(panel: PanelSpec, domain: Domain): StepConfig {
  const o = panel.optimizer;
  const n = panel.noise;
  const wx = domain.x[1] - domain.x[0], wy = domain.y[1] - domain.y[0];
  const base = {
    boundLo: [domain.x[0] - BOUND_WIDTHS * wx, domain.y[0] - BOUND_WIDTHS * wy] as [number, number],
    boundHi: [domain.x[1] + BOUND_WIDTHS * wx, domain.y[1] + BOUND_WIDTHS * wy] as [number, number],
    chol: [1, 0, 1] as [number, number, number],
    noiseScale: 0,
    batch: 1,
    estimator: 'exact' as GradientEstimator,
  };
  const opt =
    o.kind === 'adam'
      ? { optimizer: 2 as const, lr: o.lr, momentum: 0, beta1: o.beta1, beta2: o.beta2, eps: o.eps }
      : { optimizer: (o.nesterov ? 1 : 0) as 0 | 1, lr: o.lr, momentum: o.momentum, beta1: 0, beta2: 0, eps: 0 };
  switch (n.kind) {
    case 'none':
      return { ...base, ...opt };
    case 'langevin':
      // x += -lr g with g = grad + sqrt(2T/lr) L xi gives x += -lr grad - sqrt(2 lr T) L xi
      if (n.temperature === 0) return { ...base, ...opt };
      return { ...base, ...opt, estimator: 'additive', noiseScale: Math.sqrt((2 * n.temperature) / o.lr), chol: n.diffusion ? cholesky2(n.diffusion) : base.chol };
    case 'gaussian':
      if (n.gradientStd === 0) return { ...base, ...opt };
      return { ...base, ...opt, estimator: 'additive', noiseScale: n.gradientStd / Math.sqrt(n.batchSize) };
    case 'minibatch':
      return { ...base, ...opt, estimator: 'minibatch', batch: n.batchSize };
  }
}

export interface InitConfig {
  kind: 0 | 1 | 2;
  center: [number, number];
  std: number;
  lo: [number, number];
  hi: [number, number];
}

export function initConfig(init: InitSpec, domain: Domain): InitConfig {
  const lo: [number, number] = [domain.x[0], domain.y[0]];
  const hi: [number, number] = [domain.x[1], domain.y[1]];
  switch (init.kind) {
    case 'point': return { kind: 0, center: init.at, std: 0, lo, hi };
    case 'gaussian': return { kind: 1, center: init.mean, std: init.std, lo, hi };
    case 'uniform': return { kind: 2, center: [0, 0], std: 0, lo, hi };
  }
}
