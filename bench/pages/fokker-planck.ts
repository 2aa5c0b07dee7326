// Page side of the Fokker–Planck benchmark: cell-updates per second of the
// substep kernel on the double well (isotropic, T = 0.1, uniform start), timed
// over whole batches with onSubmittedWorkDone (>= minSeconds of work), and a
// WGSL copy of the substep's compulsory bytes (24 per cell) as the bandwidth
// ceiling.
import { GpuContext, describeAdapter } from '../../src/gpu/device';
import { composeShader } from '../../src/gpu/shader-compose';
import { createShaderModuleChecked } from '../../src/gpu/shaders';
import { SHADER_SOURCES } from '../../src/gpu/shader-sources';
import { dispatchSize } from '../../src/gpu/dispatch';
import { FokkerPlanckGrid } from '../../src/sim/fokker-planck/grid';
import type { DiffusionSpec } from '../../src/sim/fokker-planck/types';

let ctx: Promise<GpuContext> | undefined;

/** Bytes the isotropic substep must move per cell: read p (4) and the axis coefficients (16), write p (4). */
export const BYTES_PER_CELL = 24;

export interface FokkerPlanckBenchResult {
  grid: number;
  substeps: number;
  seconds: number;
  cellUpdatesPerSecond: number;
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
  /** 'isotropic' (default), or an anisotropic state-dependent tensor (cross flux + limiter) */
  diffusion?: 'isotropic' | 'rotating';
}

async function timeBatches(device: GPUDevice, encodeBatch: (enc: GPUCommandEncoder) => void, minSeconds: number): Promise<{ batches: number; seconds: number }> {
  const run = () => {
    const enc = device.createCommandEncoder();
    encodeBatch(enc);
    device.queue.submit([enc.finish()]);
    return device.queue.onSubmittedWorkDone();
  };
  await run(); // warm-up: pipeline and memory first use
  let batches = 0;
  const t0 = performance.now();
  while ((performance.now() - t0) / 1000 < minSeconds) {
    await run();
    batches++;
  }
  return { batches, seconds: (performance.now() - t0) / 1000 };
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
    potential: { value: (x: number, y: number) => (x * x - 1) ** 2 + 0.5 * y * y } as never,
    initial: { kind: 'uniform' },
    workgroup: opts.workgroup,
    label: 'bench.FokkerPlanckGrid',
  });
  const cells = grid * grid;
  const words = (BYTES_PER_CELL / 8) * cells; // read 4W + write 4W bytes = 24 per cell
  const src = device.createBuffer({ label: 'bench.copySrc', size: 4 * words, usage: GPUBufferUsage.STORAGE });
  const dst = device.createBuffer({ label: 'bench.copyDst', size: 4 * words, usage: GPUBufferUsage.STORAGE });
  try {
    const step = await timeBatches(device, (enc) => fp.encode(enc, batch), minSeconds);
    const substeps = step.batches * batch;
    const module = await createShaderModuleChecked(device, composeShader('fokker_planck_copy.wgsl', SHADER_SOURCES));
    const copy = await device.createComputePipelineAsync({ label: 'bench.copy', layout: 'auto', compute: { module, entryPoint: 'main', constants: { WORDS: words, WG: 256 } } });
    const bind = device.createBindGroup({ layout: copy.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: src } }, { binding: 1, resource: { buffer: dst } }] });
    const [gx, gy] = dispatchSize(Math.ceil(words / 256), device.limits.maxComputeWorkgroupsPerDimension);
    const copyRun = await timeBatches(device, (enc) => {
      const pass = enc.beginComputePass();
      pass.setPipeline(copy);
      pass.setBindGroup(0, bind);
      for (let i = 0; i < batch; i++) pass.dispatchWorkgroups(gx, gy);
      pass.end();
    }, minSeconds);
    const a = describeAdapter(gpu.adapter);
    return {
      grid,
      substeps,
      seconds: step.seconds,
      cellUpdatesPerSecond: (substeps * cells) / step.seconds,
      bytesPerSecond: (substeps * cells * BYTES_PER_CELL) / step.seconds,
      copyBytesPerSecond: (copyRun.batches * batch * cells * BYTES_PER_CELL) / copyRun.seconds,
      adapter: `${a.vendor} / ${a.architecture}`,
    };
  } finally {
    fp.destroy();
    src.destroy();
    dst.destroy();
  }
}

/** TEMP probe: copy kernel timings for several sizes and dispatches per batch. */
export async function probeCopy(wordsList: number[], batch: number, minSeconds = 0.5) {
  ctx ??= GpuContext.create();
  const { device } = await ctx;
  const module = await createShaderModuleChecked(device, composeShader('fokker_planck_copy.wgsl', SHADER_SOURCES));
  const out: Record<string, number>[] = [];
  for (const words of wordsList) {
    const src = device.createBuffer({ size: 4 * words, usage: GPUBufferUsage.STORAGE });
    const dst = device.createBuffer({ size: 4 * words, usage: GPUBufferUsage.STORAGE });
    for (const wg of [64, 256]) {
      const copy = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main', constants: { WORDS: words, WG: wg } } });
      const bind = device.createBindGroup({ layout: copy.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: src } }, { binding: 1, resource: { buffer: dst } }] });
      const [gx, gy] = dispatchSize(Math.ceil(words / wg));
      const r = await timeBatches(device, (enc) => {
        const pass = enc.beginComputePass();
        pass.setPipeline(copy);
        pass.setBindGroup(0, bind);
        for (let i = 0; i < batch; i++) pass.dispatchWorkgroups(gx, gy);
        pass.end();
      }, minSeconds);
      out.push({ words, wg, usPerDispatch: (1e6 * r.seconds) / (r.batches * batch), wordsPerSec: (words * r.batches * batch) / r.seconds });
    }
    src.destroy(); dst.destroy();
  }
  return out;
}
