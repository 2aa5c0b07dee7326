// The Fokker–Planck counterpart of one panel: which PDE (if any) its optimizer
// and noise have, and keeping the PDE's time in step with the particles'
// (k steps of SGD = k * lr / (1 - beta) of PDE time).
import type { PanelSpec } from '../model/scenario-schema';
import type { Scenario } from '../model/scenario';
import type { Surface } from '../model/surface-types';
import { noiseIsIsotropic, panelTemperature, pdeTime } from '../model/panel-quantities';
import { FokkerPlanckGrid, type DiffusionSpec, type FokkerPlanckGridOptions, type FokkerPlanckMetrics } from '../sim/fokker-planck/index';
import { relaxStationary, type StationaryState } from './stationary-density';

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
        ? { diffusion: { kind: 'constant', temperature: T, matrix: n.diffusion }, isotropic: noiseIsIsotropic(panel) }
        : { diffusion: { kind: 'isotropic', temperature: T }, isotropic: true };
    case 'minibatch': return { diffusion: { kind: 'minibatch', lr: lrEff, batchSize: n.batchSize }, isotropic: false };
  }
}

export interface PanelPdeRecord extends FokkerPlanckMetrics {
  /** PDE time of the density (steps * lr_eff) */
  time: number;
  /** true when the stationary density is the Gibbs density exp(-f/T)/Z (isotropic noise) */
  gibbsIsStationary: boolean;
  /**
   * what klStationary measured the density against: 'stationary' its own
   * stationary density (Gibbs for isotropic noise, else the relaxed ρ_ss), or
   * 'gibbs' while a non-isotropic panel's ρ_ss is not known yet (KL to Gibbs)
   */
  klReference: 'stationary' | 'gibbs';
  /** KL(ρ_ss ‖ Gibbs) in nats once a non-isotropic panel's ρ_ss is known; null otherwise (isotropic: ρ_ss is Gibbs) */
  klSsGibbs: number | null;
}

/**
 * The PDE's clock: `substepsPerRecord` equal substeps of dt per record
 * interval of `every` optimizer steps, so the density lands exactly on every
 * record; between records it is behind the particles by less than one substep.
 */
export class PdeClock {
  /** substep in PDE time: dt = every * lr_eff / substepsPerRecord */
  readonly dt: number;
  readonly substepsPerRecord: number;
  /** PDE time of one record interval: every * lr_eff */
  readonly interval: number;

  /** The clock for a panel's optimizer, with substeps no longer than `maxDt` (the grid's stable step). */
  constructor(spec: PanelSpec, readonly every: number, maxDt: number) {
    const interval = (this.interval = pdeTime(spec, every)!);
    // 1e-9: an interval that is a whole number of maxDt up to rounding needs no extra substep
    this.substepsPerRecord = Math.max(1, Math.ceil(interval / maxDt - 1e-9));
    this.dt = interval / this.substepsPerRecord;
  }

  /** Whole substeps the density has taken after `steps` optimizer steps. */
  substepsAt(steps: number): number {
    return Math.floor((steps * this.substepsPerRecord) / this.every);
  }

  /** PDE time of the density after `steps` optimizer steps (whole substeps of dt). */
  timeAt(steps: number): number {
    return this.substepsAt(steps) * this.dt;
  }
}

/** A panel's record of its density after `steps` optimizer steps: the grid's metrics, its PDE time and what its stationary density is. */
export function panelPdeRecord(
  metrics: FokkerPlanckMetrics, clock: PdeClock, steps: number, isotropic: boolean, stationary: StationaryState | null = null,
): PanelPdeRecord {
  const ready = stationary?.status === 'ready' ? stationary : null;
  return {
    ...metrics, time: clock.timeAt(steps), gibbsIsStationary: isotropic,
    klReference: isotropic || ready ? 'stationary' : 'gibbs', klSsGibbs: ready ? ready.klSsGibbs : null,
  };
}

/** One panel's FokkerPlanckGrid, advanced in fixed substeps so that it lands exactly on every record. */
export class PanelPde {
  private substepsDone = 0;
  /** the panel's own stationary density when it is not Gibbs (null: isotropic, or not asked for yet) */
  stationary: StationaryState | null = null;
  private relaxing: Promise<StationaryState> | null = null;
  private destroyed = false;
  private constructor(
    readonly grid: FokkerPlanckGrid,
    readonly isotropic: boolean,
    readonly clock: PdeClock,
    private readonly spec: PanelSpec,
    private readonly options: FokkerPlanckGridOptions,
  ) {}

  /**
   * Non-isotropic panels: relaxes a spare grid to ρ_ss (once; later calls
   * return the same promise); the next encodeTo or reset makes it the
   * reference of klStationary. Isotropic panels: null at once (Gibbs is the
   * scheme's stationary density).
   */
  relaxStationary(onProgress: (progress: number) => void = () => {}): Promise<StationaryState> | null {
    if (this.isotropic) return null;
    this.relaxing ??= (async () => {
      let state: StationaryState = (this.stationary = { status: 'relaxing', progress: 0 });
      try {
        state = await relaxStationary(this.grid.device, this.options, (progress) => {
          if (this.stationary?.status === 'relaxing') this.stationary = { status: 'relaxing', progress };
          onProgress(progress);
        }, () => this.destroyed);
        this.pendingStationary = state;
      } catch (e) {
        state = this.stationary = { status: 'failed', error: e instanceof Error ? e.message : String(e) };
      }
      return state;
    })();
    return this.relaxing;
  }

  /** ln ρ_ss per cell once relaxed (also before it becomes the KL reference), else null (isotropic panels: null; ρ_ss is Gibbs) */
  get logStationary(): Float64Array | null {
    const ready = this.pendingStationary ?? (this.stationary?.status === 'ready' ? this.stationary : null);
    return ready ? ready.logStationary : null;
  }

  /** ρ_ss relaxed but not yet the grid's KL reference; applied between command encoders so that every record knows its reference */
  private pendingStationary: Extract<StationaryState, { status: 'ready' }> | null = null;
  /** substeps done when ρ_ss became the KL reference: records at or after it measure KL(ρ_t ‖ ρ_ss) */
  private stationaryFrom = Infinity;

  private applyStationary(): void {
    const ready = this.pendingStationary;
    if (!ready || this.destroyed) return;
    this.pendingStationary = null;
    // queue.writeBuffer: before the encoder being filled now is submitted, after every earlier one
    this.grid.setLogStationary(ready.logStationary);
    this.stationary = ready;
    this.stationaryFrom = this.substepsDone;
  }

  /** the substep (PDE time) */
  get dt(): number {
    return this.clock.dt;
  }

  /** `basins`: the basin map on this grid (cell → listed minimum's index) and how many basins it counts, for the PDE's own basin masses */
  static async create(device: GPUDevice, scenario: Scenario, surface: Surface, spec: PanelSpec, index: number, basins?: { map: Uint32Array; count: number }): Promise<PanelPde | string> {
    const d = panelDiffusion(spec);
    if ('none' in d) return d.none;
    const options: FokkerPlanckGridOptions = {
      grid: scenario.fokkerPlanck!.grid, domain: scenario.domain, potential: surface, diffusion: d.diffusion,
      initial: scenario.particles.init,
      integrator: chooseIntegrator(scenario.fokkerPlanck!.integrator, d.diffusion),
      label: `FokkerPlanckGrid[${index}]`,
      ...(basins && basins.count > 0 ? { basinMap: basins.map, basins: basins.count } : {}),
    };
    const grid = await FokkerPlanckGrid.create(device, options);
    const every = scenario.record.every;
    // its dt <= the grid's default (stable) step: the grid keeps a uniform slot for it, no second build
    const clock = new PdeClock(spec, every, grid.dt);
    if (clock.substepsPerRecord / every > MAX_SUBSTEPS_PER_STEP) {
      grid.destroy();
      const perStep = Math.ceil(clock.substepsPerRecord / every);
      return `PDE off: the ${options.grid}² grid needs ${perStep} ${options.integrator} substeps per optimizer step ` +
        `(stable dt ${grid.dt.toExponential(2)} vs lr ${(clock.interval / every).toExponential(2)} per step); coarsen the grid or lower lr`;
    }
    return new PanelPde(grid, d.isotropic, clock, spec, options);
  }

  /** Brings the PDE to the particles' time after `stepsDone` optimizer steps (exact at multiples of record.every). */
  encodeTo(encoder: GPUCommandEncoder, stepsDone: number): void {
    const target = this.clock.substepsAt(stepsDone);
    if (target > this.substepsDone) this.grid.encode(encoder, target - this.substepsDone, this.dt);
    this.substepsDone = Math.max(this.substepsDone, target);
    this.applyStationary();
  }

  reset(): void {
    this.substepsDone = 0;
    if (this.stationary?.status === 'ready') this.stationaryFrom = 0;
    this.applyStationary();
  }

  /** The record of the grid's metrics block `raw` (bytes of grid.metrics), reduced after `steps` optimizer steps. */
  parse(raw: ArrayBuffer, steps: number): PanelPdeRecord {
    const known = this.clock.substepsAt(steps) >= this.stationaryFrom ? this.stationary : null;
    return panelPdeRecord(this.grid.parseMetrics(new Float32Array(raw, 0, this.grid.metricsBytes / 4)), this.clock, steps, this.isotropic, known);
  }

  /** PDE time the particles have reached after `steps` (may be ahead of the density between records). */
  particleTime(steps: number): number {
    return pdeTime(this.spec, steps)!;
  }

  destroy(): void {
    this.destroyed = true;
    this.grid.destroy();
  }
}

/** 'auto': implicit line sweeps where the tensor is diagonal (any step is stable), explicit Euler otherwise. */
function chooseIntegrator(asked: 'auto' | 'euler' | 'adi', diffusion: DiffusionSpec): 'euler' | 'adi' {
  const diagonal = diffusion.kind === 'isotropic' || (diffusion.kind === 'constant' && diffusion.matrix[0][1] === 0);
  if (asked === 'auto') return diagonal ? 'adi' : 'euler';
  return asked;
}
