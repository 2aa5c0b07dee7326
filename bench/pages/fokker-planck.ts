// Page side of the Fokker–Planck benchmark (Node side: bench/fokker-planck.ts):
// on the double well f = (x^2 - 1)^2 + y^2/2 over [-2, 2]^2, T = 0.1, from a
// uniform start: cell-updates per second of the Euler substep kernel and of
// ADI steps, timed over whole batches with onSubmittedWorkDone (>= minSeconds
// of work), a WGSL copy of the Euler substep's compulsory bytes (32 per cell)
// as the bandwidth ceiling, and the wall time to KL(p || Gibbs) < target.
import { GpuContext, describeAdapter } from '../../src/gpu/device';
import { composeShader } from '../../src/gpu/shader-compose';
import { createShaderModuleChecked } from '../../src/gpu/shaders';
import { SHADER_SOURCES } from '../../src/gpu/shader-sources';
import { FokkerPlanckGrid } from '../../src/sim/fokker-planck/grid';
import { gridGeometry, sampleAtCentres, type DiffusionSpec } from '../../src/sim/fokker-planck/types';
import { timeSubmissions } from './ceilings';

const doubleWell = (x: number, y: number) => (x * x - 1) ** 2 + 0.5 * y * y;

let ctx: Promise<GpuContext> | undefined;

/**
 * Bytes the isotropic substep must move per cell: read p (4), the residual r
 * (4) and the axis coefficients (16), write p (4) and r (4).
 */
export const BYTES_PER_CELL = 32;

export interface FokkerPlanckBenchResult {
  grid: number;
  integrator: 'euler' | 'adi';
  /** the step (PDE time) */
  dt: number;
  substeps: number;
  seconds: number;
  cellUpdatesPerSecond: number;
  /** PDE time advanced per wall second */
  pdeTimePerSecond: number;
  /** effective bandwidth of the substep at BYTES_PER_CELL (bytes/s) */
  bytesPerSecond: number;
  /** the copy kernel moving the same bytes (bytes/s) */
  copyBytesPerSecond: number;
  adapter: string;
}

export interface FokkerPlanckBenchOptions {
  /** substeps per submitted command buffer (default 200) */
  batch?: number;
  /** seconds of timed work at least (default 0.5) */
  minSeconds?: number;
  workgroup?: [number, number];
  rows?: number;
  integrator?: 'euler' | 'adi';
  /** step for the integrator (default: the grid's) */
  dt?: number;
  /** 'isotropic' (default), or an anisotropic state-dependent tensor (cross flux + limiter) */
  diffusion?: 'isotropic' | 'rotating';
}

/** Times the substep kernel at `grid` cells per side and the copy kernel of the same bytes. */
export async function benchFokkerPlanckPage(grid: number, opts: FokkerPlanckBenchOptions = {}): Promise<FokkerPlanckBenchResult> {
  ctx ??= GpuContext.create();
  const gpu = await ctx;
  const { device } = gpu;
  const batch = opts.batch ?? 200;
  const minSeconds = opts.minSeconds ?? 0.5;
  const domain = { x: [-2, 2] as [number, number], y: [-2, 2] as [number, number] };
  let diffusion: DiffusionSpec = { kind: 'isotropic', temperature: 0.1 };
  if (opts.diffusion === 'rotating') {
    const cells = grid * grid, h = 4 / grid;
    const dxx = new Float64Array(cells), dxy = new Float64Array(cells), dyy = new Float64Array(cells);
    for (let c = 0; c < cells; c++) {
      const th = 0.5 + 0.8 * (-2 + ((c % grid) + 0.5) * h);
      dxx[c] = 0.1 * (Math.cos(th) ** 2 + 0.2 * Math.sin(th) ** 2);
      dyy[c] = 0.1 * (Math.sin(th) ** 2 + 0.2 * Math.cos(th) ** 2);
      dxy[c] = 0.1 * 0.8 * Math.sin(th) * Math.cos(th);
    }
    diffusion = { kind: 'field', dxx, dxy, dyy, temperature: 0.1 };
  }
  const fp = await FokkerPlanckGrid.create(device, {
    grid, domain, diffusion,
    potential: sampleAtCentres(gridGeometry(grid, domain), doubleWell),
    initial: { kind: 'uniform' },
    workgroup: opts.workgroup,
    rows: opts.rows,
    integrator: opts.integrator,
    dt: opts.dt,
    label: 'bench.FokkerPlanckGrid',
  });
  const cells = grid * grid;
  const src = device.createBuffer({ label: 'bench.copySrc', size: 16 * cells, usage: GPUBufferUsage.STORAGE });
  const dst = device.createBuffer({ label: 'bench.copyDst', size: 16 * cells, usage: GPUBufferUsage.STORAGE });
  try {
    const step = await timeSubmissions(device, (enc) => fp.encode(enc, batch), minSeconds);
    const substeps = step.runs * batch;
    // the copy with the Euler kernel's strip shape (same workgroup and rows as the grid's defaults)
    const rows = opts.rows ?? Math.min(64, Math.max(4, Math.floor(grid / 8)));
    const wgx = (opts.workgroup ?? [16, 1])[0];
    const module = await createShaderModuleChecked(device, composeShader('fokker_planck_copy.wgsl', SHADER_SOURCES));
    const copy = await device.createComputePipelineAsync({ label: 'bench.copy', layout: 'auto', compute: { module, entryPoint: 'main', constants: { N: grid, WG_X: wgx, ROWS: rows } } });
    const bind = device.createBindGroup({ layout: copy.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: src } }, { binding: 1, resource: { buffer: dst } }] });
    const gx = Math.ceil(grid / 4 / wgx), gy = Math.ceil(grid / rows);
    const copyRun = await timeSubmissions(device, (enc) => {
      const pass = enc.beginComputePass();
      pass.setPipeline(copy);
      pass.setBindGroup(0, bind);
      for (let i = 0; i < batch; i++) pass.dispatchWorkgroups(gx, gy);
      pass.end();
    }, minSeconds);
    const a = describeAdapter(gpu.adapter);
    return {
      grid,
      integrator: fp.integrator,
      dt: fp.dt,
      substeps,
      seconds: step.seconds,
      cellUpdatesPerSecond: (substeps * cells) / step.seconds,
      pdeTimePerSecond: (substeps * fp.dt) / step.seconds,
      bytesPerSecond: (substeps * cells * BYTES_PER_CELL) / step.seconds,
      copyBytesPerSecond: (copyRun.runs * batch * cells * BYTES_PER_CELL) / copyRun.seconds,
      adapter: `${a.vendor} / ${a.architecture}`,
    };
  } finally {
    fp.destroy();
    src.destroy();
    dst.destroy();
  }
}

export interface TimeToKlResult {
  grid: number;
  integrator: 'euler' | 'adi';
  dt: number;
  steps: number;
  /** PDE time reached */
  time: number;
  kl: number;
  reached: boolean;
  /** wall seconds from the first step to the readback that showed KL < target (metrics read every `check` steps) */
  seconds: number;
  adapter: string;
}

/** Wall time for the double well at `grid` from uniform to KL(p || Gibbs) < target. */
export async function timeToKlPage(grid: number, integrator: 'euler' | 'adi', dt: number | null | undefined, target: number, check: number, maxSteps: number): Promise<TimeToKlResult> {
  ctx ??= GpuContext.create();
  const gpu = await ctx;
  const { device } = gpu;
  const domain = { x: [-2, 2] as [number, number], y: [-2, 2] as [number, number] };
  const fp = await FokkerPlanckGrid.create(device, {
    grid, domain, diffusion: { kind: 'isotropic', temperature: 0.1 },
    potential: sampleAtCentres(gridGeometry(grid, domain), doubleWell),
    initial: { kind: 'uniform' }, integrator, dt: dt ?? undefined, label: 'bench.FokkerPlanckGrid',
  });
  try {
    await fp.readMetrics(); // warm-up: pipelines and first use
    let steps = 0, kl = Infinity;
    const t0 = performance.now();
    while (steps < maxSteps && !(kl < target)) {
      const enc = device.createCommandEncoder();
      fp.encode(enc, check);
      device.queue.submit([enc.finish()]);
      steps += check;
      kl = (await fp.readMetrics()).klStationary;
    }
    const a = describeAdapter(gpu.adapter);
    return { grid, integrator, dt: fp.dt, steps, time: fp.time, kl, reached: kl < target, seconds: (performance.now() - t0) / 1000, adapter: `${a.vendor} / ${a.architecture}` };
  } finally {
    fp.destroy();
  }
}
