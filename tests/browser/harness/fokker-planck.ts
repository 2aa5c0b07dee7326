// Page side of the Fokker–Planck tests: FokkerPlanckGrid runs in the page;
// cases are plain JSON (FpCase) so Node builds the identical CPU reference
// with `caseOptions`.
import { readBuffer } from '../../../src/gpu/buffers';
import { findSurface } from '../../../src/model/surfaces/index';
import type { Surface } from '../../../src/model/surface-types';
import { FokkerPlanckGrid, type GpuRelaxOptions } from '../../../src/sim/fokker-planck/grid';
import { gibbs, gibbsLog } from '../../../src/sim/fokker-planck/coefficients';
import type { ReferenceOptions } from '../../../src/sim/fokker-planck/reference';
import type { DiffusionSpec, Domain, FokkerPlanckMetrics, InitSpec, Integrator, OffDiagonalScheme } from '../../../src/sim/fokker-planck/types';
import { sampleAtCentres, gridGeometry } from '../../../src/sim/fokker-planck/types';
import { gpuTest } from './gpu';

/** NaN: a kernel that skips an element leaves it, and NaN survives every check. */
export const FP_SENTINEL = 0x7fc00000;

export type FpPotential =
  | { kind: 'double-well'; h?: number }
  /** f = (a x^2 + b y^2) / 2 */
  | { kind: 'quadratic'; a: number; b: number }
  /** a catalogue surface (finite-sum ones give 'minibatch' diffusion its covariance) */
  | { kind: 'surface'; name: string; params?: Record<string, number>; seed?: number };

export type FpDiffusion =
  | Extract<DiffusionSpec, { kind: 'isotropic' } | { kind: 'constant' }>
  /**
   * Synthetic state-dependent tensor: D(x, y) = T R(th) diag(1, ratio) R(th)^T,
   * th = angle + twist * x (anisotropic, rotating across the domain).
   */
  | { kind: 'rotating'; temperature: number; ratio: number; angle: number; twist: number }
  | { kind: 'minibatch'; lr: number; batchSize: number };

export interface FpCase {
  grid: number;
  domain?: Domain;
  potential: FpPotential;
  diffusion: FpDiffusion;
  /** a particle init, or 'gibbs': the discrete exp(-f/T)/Z */
  initial: InitSpec | { kind: 'gibbs' };
  dt?: number;
  offDiagonal?: OffDiagonalScheme;
  integrator?: Integrator;
}

export const DEFAULT_DOMAIN: Domain = { x: [-2, 2], y: [-2, 2] };

function potentialOf(p: FpPotential): Surface | { value(x: number, y: number): number } {
  switch (p.kind) {
    case 'double-well': {
      const h = p.h ?? 1;
      return { value: (x, y) => h * (x * x - 1) ** 2 + 0.5 * y * y };
    }
    case 'quadratic':
      return { value: (x, y) => 0.5 * (p.a * x * x + p.b * y * y) };
    case 'surface': {
      const def = findSurface(p.name);
      if (!def) throw new Error(`FpCase: no surface '${p.name}' in the catalogue`);
      return def.create(p.params ?? {}, p.seed ?? 1);
    }
  }
}

/** The ReferenceOptions (and so the grid options) of a case, identical in Node and in the page. */
export function caseOptions(c: FpCase): ReferenceOptions {
  const domain = c.domain ?? DEFAULT_DOMAIN;
  const g = gridGeometry(c.grid, domain);
  const surface = potentialOf(c.potential);
  const f = sampleAtCentres(g, (x, y) => surface.value(x, y));
  let diffusion: DiffusionSpec;
  const d = c.diffusion;
  if (d.kind === 'rotating') {
    const th = (x: number) => d.angle + d.twist * x;
    const T = d.temperature;
    diffusion = {
      kind: 'field',
      temperature: T,
      dxx: sampleAtCentres(g, (x) => T * (Math.cos(th(x)) ** 2 + d.ratio * Math.sin(th(x)) ** 2)),
      dxy: sampleAtCentres(g, (x) => T * (1 - d.ratio) * Math.sin(th(x)) * Math.cos(th(x))),
      dyy: sampleAtCentres(g, (x) => T * (Math.sin(th(x)) ** 2 + d.ratio * Math.cos(th(x)) ** 2)),
    };
  } else if (d.kind === 'minibatch') {
    const fs = (surface as Surface).finiteSum;
    if (!fs) throw new Error(`FpCase: minibatch diffusion needs a finite-sum surface`);
    diffusion = { kind: 'minibatch', lr: d.lr, batchSize: d.batchSize, covariance: (x, y) => fs.gradientCovariance(x, y) };
  } else {
    diffusion = d;
  }
  let initial: ReferenceOptions['initial'];
  if (c.initial.kind === 'gibbs') {
    const T = 'temperature' in d ? d.temperature : 1;
    initial = gibbs(f, T);
  } else {
    initial = c.initial;
  }
  return { grid: c.grid, domain, potential: f, diffusion, initial, dt: c.dt, offDiagonal: c.offDiagonal, integrator: c.integrator };
}

/** Whether the catalogue has a finite-sum surface with a gradient covariance (another helper adds them). */
export function finiteSumAvailable(name: string): boolean {
  const def = findSurface(name);
  if (!def?.finiteSum) return false;
  try {
    return typeof def.create({}, 1).finiteSum?.gradientCovariance === 'function';
  } catch {
    return false;
  }
}

export interface FpRecord {
  substeps: number;
  time: number;
  metrics?: FokkerPlanckMetrics;
  density?: Float32Array;
  current?: Float32Array;
  minDensity: number;
  maxDensity: number;
  nonFinite: number;
}

export interface FpPlan {
  /** cumulative substep counts at which to record (ascending) */
  records: number[];
  metrics?: boolean;
  density?: boolean;
  current?: boolean;
  /** substeps per submitted command buffer (default 2000) */
  chunk?: number;
  /** relax to the PDE's stationary state first and measure KL against it */
  relax?: GpuRelaxOptions;
  /** u32 particle counts per cell for KL(histogram || p) */
  histogram?: number[];
  /** advance by PDE time per record instead of substeps (records then hold PDE times) */
  byTime?: boolean;
}

export interface FpRun {
  dt: number;
  dtLimit: number;
  scheme: FokkerPlanckGrid['scheme'];
  records: FpRecord[];
  relax?: { time: number; residual: number; converged: boolean; logStationary: Float64Array };
  /** the first density read back, before any substep */
  initial: Float32Array;
  ms: number;
}

/** Runs a case on the GPU and records metrics / densities / currents at the planned substep counts. */
export function runCase(c: FpCase, plan: FpPlan): Promise<FpRun> {
  return gpuTest('fokker-planck runCase', async (device, track) => {
    const grid = track(await FokkerPlanckGrid.create(device, caseOptions(c)));
    grid.fillSentinel(FP_SENTINEL);
    let hist: GPUBuffer | undefined;
    if (plan.histogram) {
      const data = Uint32Array.from(plan.histogram);
      hist = track(device.createBuffer({ label: 'test.histogram', size: data.byteLength, usage: GPUBufferUsage.STORAGE, mappedAtCreation: true }));
      new Uint32Array(hist.getMappedRange()).set(data);
      hist.unmap();
    }
    const initial = await grid.readDensity();
    let relax: FpRun['relax'];
    if (plan.relax) relax = await grid.relaxToStationary(plan.relax);
    const chunk = plan.chunk ?? 2000;
    const records: FpRecord[] = [];
    let done = 0;
    const t0 = performance.now();
    for (const target of plan.records) {
      if (plan.byTime) {
        const enc = device.createCommandEncoder();
        done += grid.encodeAdvance(enc, target - grid.time);
        device.queue.submit([enc.finish()]);
      } else {
        while (done < target) {
          const k = Math.min(chunk, target - done);
          const enc = device.createCommandEncoder();
          grid.encode(enc, k);
          device.queue.submit([enc.finish()]);
          done += k;
        }
      }
      const rec: FpRecord = { substeps: done, time: grid.time, minDensity: Infinity, maxDensity: -Infinity, nonFinite: 0 };
      if (plan.metrics) rec.metrics = await grid.readMetrics(hist);
      const p = await grid.readDensity();
      for (const v of p) {
        if (!Number.isFinite(v)) rec.nonFinite++;
        else { rec.minDensity = Math.min(rec.minDensity, v); rec.maxDensity = Math.max(rec.maxDensity, v); }
      }
      if (plan.density) rec.density = p;
      if (plan.current) {
        if (!plan.metrics) {
          const enc = device.createCommandEncoder();
          grid.encodeCurrent(enc);
          device.queue.submit([enc.finish()]);
        }
        rec.current = await grid.readCurrent();
      }
      records.push(rec);
    }
    const ms = performance.now() - t0;
    return { dt: grid.dt, dtLimit: grid.dtLimit, scheme: grid.scheme, records, relax, initial, ms };
  });
}

/** The raw metric sums after one encodeMetrics, straight from the buffer (sentinel check). */
export function rawMetrics(c: FpCase): Promise<Float32Array> {
  return gpuTest('fokker-planck rawMetrics', async (device, track) => {
    const grid = track(await FokkerPlanckGrid.create(device, caseOptions(c)));
    grid.fillSentinel(FP_SENTINEL);
    const enc = device.createCommandEncoder();
    grid.encodeMetrics(enc);
    device.queue.submit([enc.finish()]);
    return new Float32Array(await readBuffer(device, grid.metrics, 48));
  });
}

/** Creating the grid with this case must fail: returns the error message ('' if it did not fail). */
export async function creationError(c: FpCase): Promise<string> {
  try {
    await gpuTest('fokker-planck creationError', async (device, track) => {
      track(await FokkerPlanckGrid.create(device, caseOptions(c)));
    });
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Wall time to bring KL(p || Gibbs) below `target`: substeps in chunks of
 * `chunk`, a metrics readback after each chunk (included in the time).
 */
export function timeToKl(c: FpCase, target: number, chunk: number, maxSubsteps: number) {
  return gpuTest('fokker-planck timeToKl', async (device, track) => {
    const grid = track(await FokkerPlanckGrid.create(device, caseOptions(c)));
    // warm-up: pipelines and memory first use, not counted
    await grid.readMetrics();
    await device.queue.onSubmittedWorkDone();
    const kls: number[] = [];
    const t0 = performance.now();
    let done = 0;
    let kl = Infinity;
    while (done < maxSubsteps) {
      const enc = device.createCommandEncoder();
      grid.encode(enc, chunk);
      device.queue.submit([enc.finish()]);
      done += chunk;
      kl = (await grid.readMetrics()).klStationary;
      kls.push(kl);
      if (kl < target) break;
    }
    const ms = performance.now() - t0;
    return { ms, substeps: done, time: grid.time, kl, kls, dt: grid.dt, reached: kl < target };
  });
}

/**
 * Relaxes a case to the PDE's own stationary state on the GPU and returns the
 * metrics of that steady density, with KL measured against the discrete
 * Gibbs density at the grid's temperature (KL(steady || Gibbs)).
 */
export function steadyMetrics(c: FpCase, relax: GpuRelaxOptions) {
  return gpuTest('fokker-planck steadyMetrics', async (device, track) => {
    const grid = track(await FokkerPlanckGrid.create(device, caseOptions(c)));
    grid.fillSentinel(FP_SENTINEL);
    const r = await grid.relaxToStationary(relax);
    grid.setLogStationary(gibbsLog(grid.f, grid.temperature));
    grid.writeDensity(Array.from(r.logStationary, Math.exp));
    const p = await grid.readDensity();
    let minDensity = Infinity;
    for (const v of p) minDensity = Math.min(minDensity, v);
    return { metrics: await grid.readMetrics(), converged: r.converged, time: r.time, residual: r.residual, minDensity };
  });
}
