// From a panel's optimizer and noise to the numbers the network step kernel
// (shaders/network_step.wgsl) and its CPU reference (reference.ts) use; one
// place, so the two cannot disagree. The 2-D counterpart is
// src/sim/particles/step-config.ts.
import type { PanelSpec } from '../../model/scenario-schema';
import type { NetworkSpec } from '../../model/network/spec';

/**
 * The gradient a network's optimizer sees at step k, per parameter d:
 *   g_d = mean BCE gradient (over the minibatch, or all nTrain training samples when 'full')
 *       + weightDecay * x_d   (weights only, never biases)
 *       + noiseScale * xi_d   (xi_d ~ N(0, 1), spec.ts NOISE_DRAW_BASE; skipped when noiseScale is 0)
 */
export interface NetworkStepConfig {
  /** 0 SGD heavy ball, 1 SGD Nesterov, 2 Adam (as the 2-D particles) */
  optimizer: 0 | 1 | 2;
  lr: number;
  /** heavy-ball coefficient beta (SGD), 0 for Adam */
  momentum: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 'minibatch': B indices per step with replacement; 'full': the mean over the whole training split */
  estimator: 'minibatch' | 'full';
  /** minibatch size B; 1 when estimator is 'full' (unused there) */
  batch: number;
  /** standard deviation of the additive Gaussian noise per parameter (gradient units) */
  noiseScale: number;
  /** L2 coefficient lambda (the loss adds lambda/2 |W|^2, the gradient lambda W) */
  weightDecay: number;
}

export function networkStepConfig(panel: PanelSpec, spec: NetworkSpec): NetworkStepConfig {
  const o = panel.optimizer;
  const n = panel.noise;
  const opt =
    o.kind === 'adam'
      ? { optimizer: 2 as const, lr: o.lr, momentum: 0, beta1: o.beta1, beta2: o.beta2, eps: o.eps }
      : { optimizer: (o.nesterov ? 1 : 0) as 0 | 1, lr: o.lr, momentum: o.momentum, beta1: 0, beta2: 0, eps: 0 };
  const full = { ...opt, estimator: 'full' as const, batch: 1, noiseScale: 0, weightDecay: spec.weightDecay };
  switch (n.kind) {
    case 'none':
      return full;
    case 'langevin':
      // x += -lr g with g = grad + sqrt(2T/lr) xi gives x += -lr grad - sqrt(2 lr T) xi (temperature T, loss units)
      if (n.diffusion) throw new Error('networkStepConfig: a Langevin diffusion matrix is 2 x 2 (2-D surfaces only); network noise is isotropic, remove noise.diffusion');
      return { ...full, noiseScale: Math.sqrt((2 * n.temperature) / o.lr) };
    case 'gaussian':
      // the mean of B per-sample gradients with standard deviation s each: s / sqrt(B) per parameter
      return { ...full, noiseScale: n.gradientStd / Math.sqrt(n.batchSize) };
    case 'minibatch':
      return { ...full, estimator: 'minibatch', batch: n.batchSize };
  }
}
