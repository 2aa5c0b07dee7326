// Everything one scenario runs on the GPU: per panel a particle cloud, its
// metrics and (where the panel has a PDE) its Fokker–Planck grid, sharing one surface binding.
// The live frame loop and the headless runner both drive this object.
import type { Scenario } from '../model/scenario';
import { panelLabel, panelTemperature, pdeTime } from '../model/panel-quantities';
import type { PanelSpec } from '../model/scenario-schema';
import type { Surface } from '../model/surface-types';
import { ParticleSystem } from '../sim/particles/particle-system';
import { initConfig, stepConfig } from '../sim/particles/step-config';
import { ParticleMetrics } from '../sim/metrics/particle-metrics';
import { basinCount, basinMap, lossRange } from '../sim/metrics/loss-range';
import { gibbsBasins, type GibbsBasins } from '../sim/metrics/gibbs-basins';
import type { ParticleRecord } from '../sim/metrics/record';
import { SurfaceBinding } from '../sim/surface-binding';
import { PanelPde, type PanelPdeRecord } from './panel-pde';
import { readBuffer, readBuffers } from '../gpu/buffers';
import { initialDensity } from '../sim/fokker-planck/index';

/** Histogram grid when the scenario has no Fokker–Planck grid (cells per side). */
export const DEFAULT_HISTOGRAM_GRID = 128;

export interface PanelRuntime {
  index: number;
  spec: PanelSpec;
  label: string;
  /** T in loss units (null for Adam) */
  temperature: number | null;
  system: ParticleSystem;
  metrics: ParticleMetrics;
  /** the panel's Fokker–Planck density, or why it has none (PDE off, Adam, no noise) */
  pde: PanelPde | null;
  pdeNote: string | null;
  /** the Gibbs density's free energy and occupation of each listed minimum's basin at the panel's T (null: no T > 0, or no minima) */
  gibbs: GibbsBasins | null;
}

/**
 * One panel's record: particle metrics, the PDE's where the panel has one,
 * and the Gibbs prediction of the basin fractions (constant over a run) where the panel has a T > 0.
 */
export type PanelRecord = ParticleRecord & { pde?: PanelPdeRecord; gibbsBasins?: number[] };

export class Simulation {
  readonly panels: PanelRuntime[] = [];
  readonly histogramGrid: number;
  private readonly owned: { destroy(): void }[] = [];

  private constructor(readonly device: GPUDevice, readonly scenario: Scenario, readonly surface: Surface) {
    this.histogramGrid = scenario.fokkerPlanck?.grid ?? DEFAULT_HISTOGRAM_GRID;
  }

  static async create(device: GPUDevice, scenario: Scenario, surface: Surface): Promise<Simulation> {
    const sim = new Simulation(device, scenario, surface);
    try {
      await sim.build();
    } catch (e) {
      sim.destroy();
      throw e;
    }
    return sim;
  }

  /** Optimizer steps done by every panel (all panels advance together). */
  get stepsDone(): number {
    return this.panels[0]?.system.stepsEncoded ?? 0;
  }

  private async build(): Promise<void> {
    const { device, scenario, surface } = this;
    const binding = new SurfaceBinding(device, surface);
    this.owned.push(binding);
    const loss = lossRange(surface, scenario.domain);
    const basins = basinMap(surface, scenario.domain, this.histogramGrid);
    const minimaCount = basinCount(surface);
    for (const [index, spec] of scenario.panels.entries()) {
      const label = `panel${index}`;
      const system = await ParticleSystem.create({
        device, count: scenario.particles.count, seed: scenario.seed, stream: index,
        step: stepConfig(spec, scenario.domain), init: initConfig(scenario.particles.init, scenario.domain),
        binding, label: `ParticleSystem[${index}]`,
      });
      this.owned.push(system);
      const metrics = await ParticleMetrics.create({
        device, system, binding, domain: scenario.domain, grid: this.histogramGrid, basins, loss, label: `ParticleMetrics[${index}]`,
      });
      this.owned.push(metrics);
      let pde: PanelPde | null = null, pdeNote: string | null = scenario.fokkerPlanck ? null : 'Fokker–Planck off';
      if (scenario.fokkerPlanck) {
        // the PDE grid is the histogram grid: the same basin map gives the density's mass per basin
        const made = await PanelPde.create(device, scenario, surface, spec, index, { map: basins, count: minimaCount });
        if (typeof made === 'string') pdeNote = made;
        else { pde = made; this.owned.push(made); }
      }
      const temperature = panelTemperature(spec);
      const gibbs = temperature ? gibbsBasins(surface, scenario.domain, basins, this.histogramGrid, minimaCount, temperature) : null;
      this.panels.push({ index, spec, label: panelLabel(spec, index) || label, temperature, system, metrics, pde, pdeNote, gibbs });
    }
  }

  /** Places the initial clouds (and densities: the PDE starts from the same distribution). */
  encodeInit(encoder: GPUCommandEncoder): void {
    for (const p of this.panels) {
      p.system.encodeInit(encoder);
      if (p.pde) {
        p.pde.grid.writeDensity(this.initialDensity ??= initialDensity(this.scenario.particles.init, this.scenario.domain, this.histogramGrid));
        p.pde.reset();
      }
    }
  }
  private initialDensity?: Float64Array;

  /** Advances every panel's particles by `steps`, and its PDE to the same time. */
  encodeSteps(encoder: GPUCommandEncoder, steps: number): void {
    for (const p of this.panels) {
      p.system.encodeSteps(encoder, steps);
      p.pde?.encodeTo(encoder, p.system.stepsEncoded);
    }
  }

  encodeMetrics(encoder: GPUCommandEncoder): void {
    for (const p of this.panels) {
      p.metrics.encode(encoder);
      p.pde?.grid.encodeMetrics(encoder, p.metrics.histogram);
    }
  }

  /**
   * Relaxes every non-isotropic PDE panel's own stationary density ρ_ss (in
   * parallel, spare grids; see stationary-density.ts); resolves when all are
   * known. `onProgress(panel, 0..1)` as each advances. Isotropic panels need none.
   */
  async relaxStationary(onProgress: (panel: number, progress: number) => void = () => {}): Promise<void> {
    await Promise.all(this.panels.map((p) => p.pde?.relaxStationary((q) => onProgress(p.index, q)) ?? null));
  }

  /** PDE time of panel p after the steps done so far (null when the optimizer has none). */
  pdeTime(p: PanelRuntime): number | null {
    return pdeTime(p.spec, this.stepsDone);
  }

  /** Final particle positions of a panel, float32 x0 y0 x1 y1 ... (a test/export readback, never per frame). */
  async readPositions(p: PanelRuntime): Promise<Float32Array> {
    return new Float32Array(await readBuffer(this.device, p.system.position, 8 * p.system.count));
  }

  /** Per particle of a panel: 0 alive, else 1 + the step it diverged at (u32; export readback, never per frame). */
  async readStatus(p: PanelRuntime): Promise<Uint32Array> {
    return new Uint32Array(await readBuffer(this.device, p.system.status, 4 * p.system.count));
  }

  /**
   * The buffers a record reads, per panel: the particle record, then the PDE
   * metrics where there is a PDE. Both the live loop (through its
   * MetricsReadback ring) and readRecords copy them whole.
   */
  recordBuffers(): GPUBuffer[] {
    return this.panels.flatMap((p) => (p.pde ? [p.metrics.record, p.pde.grid.metrics] : [p.metrics.record]));
  }

  /**
   * Parses the bytes of recordBuffers() (in that order) into one record per
   * panel: the one place a PanelRecord is built. `step`: the optimizer steps
   * done when the metrics were reduced (a live sample arrives frames later).
   */
  parseRecords(bytes: ArrayBuffer[], step = this.stepsDone): PanelRecord[] {
    let k = 0;
    return this.panels.map((p) => {
      const r: PanelRecord = p.metrics.parse(bytes[k++], step);
      if (p.pde) r.pde = p.pde.parse(bytes[k++], step);
      if (p.gibbs) r.gibbsBasins = p.gibbs.occupation;
      return r;
    });
  }

  /** Reads every panel's latest record (awaits the GPU; the live loop reads the same buffers through MetricsReadback). */
  async readRecords(): Promise<PanelRecord[]> {
    return this.parseRecords(await readBuffers(this.device, this.recordBuffers()));
  }

  /** A panel's Fokker–Planck density, float32 grid x grid summing to 1 (export readback, never per frame). */
  async readDensity(p: PanelRuntime): Promise<Float32Array | null> {
    return p.pde ? p.pde.grid.readDensity() : null;
  }

  destroy(): void {
    for (const o of this.owned.reverse()) o.destroy();
    this.owned.length = 0;
  }
}
