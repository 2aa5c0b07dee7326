// What a panel's settings mean as numbers: its temperature T, the PDE time of
// a step count, and its label. No formula reader here (mathjs stays out of the
// modules the live page needs for its first frame).
import type { PanelSpec } from './scenario-schema';

/**
 * The panel's temperature T (loss units): the diffusion constant of the SDE that
 * the iteration approximates, time measured in units of lr per step. With heavy-ball
 * momentum beta the overdamped limit has lr_eff = lr / (1 - beta). For minibatch noise
 * T = lr_eff / (2B) multiplies the gradient covariance Sigma(x); Adam has no temperature (null).
 */
export function panelTemperature(panel: PanelSpec): number | null {
  const opt = panel.optimizer;
  if (opt.kind !== 'sgd') return null;
  const lrEff = opt.lr / (1 - opt.momentum);
  const noise = panel.noise;
  switch (noise.kind) {
    case 'none': return 0;
    case 'langevin': return noise.temperature / (1 - opt.momentum);
    case 'gaussian': return (lrEff * noise.gradientStd ** 2) / (2 * noise.batchSize);
    case 'minibatch': return lrEff / (2 * noise.batchSize);
  }
}

/**
 * True when the panel's noise is isotropic and constant (none, Gaussian, or
 * Langevin without a diffusion matrix or with one proportional to I): its
 * stationary law is the Gibbs density exp(-f/T)/Z, with no probability current.
 * Anisotropic constant or state-dependent minibatch noise: false (non-equilibrium).
 */
export function noiseIsIsotropic(panel: PanelSpec): boolean {
  const n = panel.noise;
  if (n.kind === 'minibatch') return false;
  if (n.kind !== 'langevin' || !n.diffusion) return true;
  const [[a, b], [c, d]] = n.diffusion;
  return b === 0 && c === 0 && a === d;
}

/** PDE time after `steps` optimizer steps: t = steps * lr / (1 - beta) (overdamped limit); null for Adam. */
export function pdeTime(panel: PanelSpec, steps: number): number | null {
  const opt = panel.optimizer;
  return opt.kind === 'sgd' ? (steps * opt.lr) / (1 - opt.momentum) : null;
}

export function panelLabel(panel: PanelSpec, index: number): string {
  if (panel.label) return panel.label;
  const o = panel.optimizer;
  const n = panel.noise;
  const opt = o.kind === 'sgd' ? `SGD lr ${o.lr}${o.momentum ? `, β ${o.momentum}` : ''}` : `Adam lr ${o.lr}`;
  const noise = n.kind === 'gaussian' || n.kind === 'minibatch' ? `, B ${n.batchSize}` : n.kind === 'langevin' ? `, T ${n.temperature}` : '';
  return `${index + 1}: ${opt}${noise}`;
}
