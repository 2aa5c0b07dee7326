// The no-WebGPU lab's simulation: every panel's particle cloud at reduced
// scale (at most CPU_MAX_PARTICLES per panel), stepped by the float64 CPU
// reference in Web Workers (one per core, each a contiguous slice of every
// panel; cpu-worker.ts), with the same random streams as the GPU, so a
// scenario's CPU cloud is its GPU cloud up to float32 rounding. Metrics
// records come from the same CPU reference the GPU reductions are tested
// against (sim/metrics/reference.ts). No Fokker–Planck grid: a 128² grid
// with the page's substeps would take the cores the particles need.
import type { Scenario } from '../model/scenario';
import type { PanelSpec } from '../model/scenario-schema';
import type { Surface } from '../model/surface-types';
import { panelLabel, panelTemperature, pdeTime } from '../model/panel-quantities';
import { basinCount, basinMap, lossRange, type LossRange } from '../sim/metrics/loss-range';
import { gibbsBasins, type GibbsBasins } from '../sim/metrics/gibbs-basins';
import { particleRecordReference } from '../sim/metrics/reference';
import { sliceRanges, type CloudSlice } from '../sim/particles/cpu-cloud';
import { stepConfig } from '../sim/particles/step-config';
import type { CpuWorkerReply, CpuWorkerRequest } from './cpu-worker';
import type { PanelRecord } from './simulation';

/** Particles per panel without WebGPU (the scenario's count if smaller). */
export const CPU_MAX_PARTICLES = 1 << 14;
/** Histogram grid of the CPU records' basin map (cells per side), as the GPU's without a PDE. */
const CPU_HISTOGRAM_GRID = 128;
/** Workers at most (one per core, leaving one for the page where there are more than two). */
const MAX_WORKERS = 8;

export interface CpuPanel {
  index: number;
  spec: PanelSpec;
  label: string;
  /** T in loss units (null for Adam) */
  temperature: number | null;
  gibbs: GibbsBasins | null;
  /** the GPU's PDE is not run here; the reason, in the page's words */
  pdeNote: string;
}

/** One worker with at most one request in flight. */
class WorkerPort {
  private pending: { resolve(m: CpuWorkerReply): void; reject(e: Error): void } | null = null;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<CpuWorkerReply>) => {
      const p = this.pending;
      this.pending = null;
      if (e.data.kind === 'error') p?.reject(new Error(`CPU worker: ${e.data.message}`));
      else p?.resolve(e.data);
    };
    worker.onerror = (e) => {
      const p = this.pending;
      this.pending = null;
      p?.reject(new Error(`CPU worker failed: ${e.message || 'it could not be loaded'}`));
    };
  }

  request(m: CpuWorkerRequest): Promise<CpuWorkerReply> {
    if (this.pending) return Promise.reject(new Error('CpuSimulation: a worker got a second request while busy'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(m);
    });
  }

  terminate(): void {
    this.worker.terminate();
    this.pending?.reject(new Error('CpuSimulation: destroyed'));
    this.pending = null;
  }
}

export class CpuSimulation {
  readonly panels: CpuPanel[];
  /** particles per panel here (≤ CPU_MAX_PARTICLES) */
  readonly count: number;
  readonly histogramGrid = CPU_HISTOGRAM_GRID;
  /** optimizer steps done by every panel */
  stepsDone = 0;
  /** per panel, the whole cloud as the workers last reported it: x, y (domain units) per particle */
  readonly position: Float64Array[];
  readonly moment1: Float64Array[];
  readonly status: Uint32Array[];
  private readonly ports: WorkerPort[];
  private readonly ranges: [number, number][];
  private readonly loss: LossRange;
  private readonly basins: Uint32Array;
  private busy = false;

  private constructor(readonly scenario: Scenario, readonly surface: Surface, threads: number) {
    this.count = Math.min(scenario.particles.count, CPU_MAX_PARTICLES);
    this.loss = lossRange(surface, scenario.domain);
    this.basins = basinMap(surface, scenario.domain, this.histogramGrid);
    const minima = basinCount(surface);
    this.panels = scenario.panels.map((spec, index) => {
      const temperature = panelTemperature(spec);
      return {
        index, spec, label: panelLabel(spec, index) || `panel${index}`, temperature,
        gibbs: temperature ? gibbsBasins(surface, scenario.domain, this.basins, this.histogramGrid, minima, temperature) : null,
        pdeNote: 'no Fokker–Planck grid without WebGPU',
      };
    });
    this.position = this.panels.map(() => new Float64Array(2 * this.count));
    this.moment1 = this.panels.map(() => new Float64Array(2 * this.count));
    this.status = this.panels.map(() => new Uint32Array(this.count));
    this.ranges = sliceRanges(this.count, threads);
    this.ports = this.ranges.map((_, j) => new WorkerPort(new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module', name: `sgd-lab cpu ${j}` })));
  }

  /** Workers for the machine's cores: all of them up to two, else one left for the page. */
  static defaultThreads(): number {
    const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
    return Math.max(1, Math.min(MAX_WORKERS, cores > 2 ? cores - 1 : cores));
  }

  static async create(scenario: Scenario, surface: Surface, threads = CpuSimulation.defaultThreads()): Promise<CpuSimulation> {
    const sim = new CpuSimulation(scenario, surface, threads);
    try {
      await Promise.all(sim.ports.map((p, j) => p.request({ kind: 'init', scenario, count: sim.count, from: sim.ranges[j][0], to: sim.ranges[j][1] })));
      await sim.gather(sim.ports.map((p) => p.request({ kind: 'reset' })));
    } catch (e) {
      sim.destroy();
      throw e;
    }
    return sim;
  }

  /** how many Web Workers step the clouds */
  get workers(): number {
    return this.ports.length;
  }

  /** Whether a request is in flight (advance and reset wait for none). */
  get stepping(): boolean {
    return this.busy;
  }

  /** Advances every panel by `steps` optimizer steps; resolves with the slowest worker's stepping time (ms). */
  async advance(steps: number): Promise<number> {
    const start = this.stepsDone;
    const ms = await this.gather(this.ports.map((p) => p.request({ kind: 'advance', start, steps })));
    this.stepsDone = start + steps;
    return ms;
  }

  /** Back to the initial clouds at step 0. */
  async reset(): Promise<void> {
    await this.gather(this.ports.map((p) => p.request({ kind: 'reset' })));
    this.stepsDone = 0;
  }

  /** One record per panel from the clouds as they are (the GPU records' fields; no PDE). */
  records(step = this.stepsDone): PanelRecord[] {
    const { scenario, surface } = this;
    return this.panels.map((p, i) => {
      const cfg = stepConfig(p.spec, scenario.domain);
      const { record } = particleRecordReference(this.position[i], this.status[i], surface, scenario.domain, this.histogramGrid, this.basins, this.loss, step,
        cfg.optimizer === 2 ? null : { moment1: this.moment1[i], optimizer: cfg });
      const r: PanelRecord = record;
      if (p.gibbs) r.gibbsBasins = p.gibbs.occupation;
      return r;
    });
  }

  /** PDE time of a panel after the steps done (null when its optimizer has none). */
  pdeTime(p: CpuPanel): number | null {
    return pdeTime(p.spec, this.stepsDone);
  }

  destroy(): void {
    for (const p of this.ports) p.terminate();
  }

  /** Waits for one reply per worker and copies its slices into the whole clouds; the slowest worker's ms. */
  private async gather(replies: Promise<CpuWorkerReply>[]): Promise<number> {
    if (this.busy) throw new Error('CpuSimulation: a step is already in flight');
    this.busy = true;
    try {
      const all = await Promise.all(replies);
      let ms = 0;
      all.forEach((m, j) => {
        if (m.kind !== 'advanced') throw new Error(`CpuSimulation: unexpected worker reply '${m.kind}'`);
        ms = Math.max(ms, m.ms);
        const from = this.ranges[j][0];
        m.slices.forEach((s: CloudSlice, i) => {
          this.position[i].set(s.position, 2 * from);
          this.moment1[i].set(s.moment1, 2 * from);
          this.status[i].set(s.status, from);
        });
      });
      return ms;
    } finally {
      this.busy = false;
    }
  }
}
