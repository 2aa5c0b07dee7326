// The Fokker–Planck counterpart of one panel: which PDE (if any) its optimizer
// and noise have, and keeping the PDE's time in step with the particles'
// (k steps of SGD = k * lr / (1 - beta) of PDE time).
import type { PanelSpec } from '../model/scenario-schema';
import type { Scenario } from '../model/scenario';
import type { Surface } from '../model/surface-types';
import { panelTemperature, pdeTime } from '../model/scenario';
import { FokkerPlanckGrid, type DiffusionSpec, type FokkerPlanckMetrics } from '../sim/fokker-planck/index';

/** More PDE substeps than this per optimizer step would make the PDE, not the particles, the whole cost. */
export const MAX_SUBSTEPS_PER_STEP = 64;

/** The panel's PDE diffusion, or why the panel has no PDE. */
export function panelDiffusion(panel: PanelSpec): { diffusion: DiffusionSpec; isotropic: boolean } | { none: string } {
  const o = panel.optimizer, n = panel.noise;
  if (o.kind !== 'sgd') return { none: 'Adam has no Fokker–Planck counterpart (its steps are rescaled per coordinate)' };
  const T = panelTemperature(panel)!;
  const lrEff = o.lr / (1 - o.momentum);
  switch (n.kind) {
    case 'none': return { none: 'without noise (T = 0) the density collapses onto the minima; no PDE' };
    case 'gaussian': return T > 0 ? { diffusion: { kind: 'isotropic', temperature: T }, isotropic: true } : { none: 'gradientStd 0: T = 0, no PDE' };
    case 'langevin':
      if (!(T > 0)) return { none: 'temperature 0: no PDE' };
      return n.diffusion
        ? { diffusion: { kind: 'constant', temperature: T, matrix: n.diffusion }, isotropic: false }
        : { diffusion: { kind: 'isotropic', temperature: T }, isotropic: true };
    case 'minibatch': return { diffusion: { kind: 'minibatch', lr: lrEff, batchSize: n.batchSize }, isotropic: false };
  }
}

export interface PanelPdeRecord extends FokkerPlanckMetrics {
  /** PDE time of the density (steps * lr_eff) */
  time: number;
  /** true when the stationary density is the Gibbs density exp(-f/T)/Z (isotropic noise) */
  gibbsIsStationary: boolean;
}

/** One panel's FokkerPlanckGrid, advanced in fixed substeps so that it lands exactly on every record. */
export class PanelPde {
  private substepsDone = 0;
  private constructor(
    readonly grid: FokkerPlanckGrid,
    readonly isotropic: boolean,
    /** substeps per record interval; dt = every * lr_eff / substepsPerRecord */
    private readonly substepsPerRecord: number,
    private readonly every: number,
    readonly dt: number,
    private readonly spec: PanelSpec,
  ) {}

  static async create(device: GPUDevice, scenario: Scenario, surface: Surface, spec: PanelSpec, index: number): Promise<PanelPde | string> {
    const d = panelDiffusion(spec);
    if ('none' in d) return d.none;
    const options = {
      grid: scenario.fokkerPlanck!.grid, domain: scenario.domain, potential: surface, diffusion: d.diffusion,
      initial: scenario.particles.init,
      integrator: chooseIntegrator(scenario.fokkerPlanck!.integrator, d.diffusion),
      label: `FokkerPlanckGrid[${index}]`,
    };
    const grid = await FokkerPlanckGrid.create(device, options);
    const every = scenario.record.every;
    const interval = pdeTime(spec, every)!;
    const m = Math.max(1, Math.ceil(interval / grid.dt - 1e-9));
    if (m / every > MAX_SUBSTEPS_PER_STEP) {
      grid.destroy();
      const perStep = Math.ceil(m / every);
      return `PDE off: the ${options.grid}² grid needs ${perStep} ${options.integrator} substeps per optimizer step ` +
        `(stable dt ${grid.dt.toExponential(2)} vs lr ${(interval / every).toExponential(2)} per step); coarsen the grid or lower lr`;
    }
    // dt <= the grid's default (stable) step: the grid keeps a uniform slot for it, no second build
    const dt = interval / m;
    return new PanelPde(grid, d.isotropic, m, every, dt, spec);
  }

  /** Brings the PDE to the particles' time after `stepsDone` optimizer steps (exact at multiples of record.every). */
  encodeTo(encoder: GPUCommandEncoder, stepsDone: number): void {
    const target = Math.floor((stepsDone * this.substepsPerRecord) / this.every);
    if (target > this.substepsDone) this.grid.encode(encoder, target - this.substepsDone, this.dt);
    this.substepsDone = Math.max(this.substepsDone, target);
  }

  reset(): void {
    this.substepsDone = 0;
  }

  parse(raw: ArrayBuffer): PanelPdeRecord {
    return { ...this.grid.parseMetrics(new Float32Array(raw, 0, 12)), time: this.substepsDone * this.dt, gibbsIsStationary: this.isotropic };
  }

  /** PDE time the particles have reached after `steps` (may be ahead of the density between records). */
  particleTime(steps: number): number {
    return pdeTime(this.spec, steps)!;
  }

  destroy(): void {
    this.grid.destroy();
  }
}

/** 'auto': implicit line sweeps where the tensor is diagonal (any step is stable), explicit Euler otherwise. */
function chooseIntegrator(asked: 'auto' | 'euler' | 'adi', diffusion: DiffusionSpec): 'euler' | 'adi' {
  const diagonal = diffusion.kind === 'isotropic' || (diffusion.kind === 'constant' && diffusion.matrix[0][1] === 0);
  if (asked === 'auto') return diagonal ? 'adi' : 'euler';
  return asked;
}
