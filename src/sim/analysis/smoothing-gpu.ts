// The raw and smoothed loss on a grid, computed on the GPU
// (shaders/analysis_smoothing.wgsl, one thread per cell), then the CPU's
// post-processing (smoothedLossFromGrids: which raw minima survive). Both
// kernels run on the GPU: the gaussian one (constant covariance) on every
// surface, the gradient-covariance (minibatch) one on finite-sum surfaces,
// whose per-sample gradients the shader reads from the surface's dataset.
// CPU reference: smoothing.ts (smoothedLoss), with the same Gauss–Hermite
// nodes and weights (rounded to float32) and the same symmetric square root.
import type { StructuredView } from 'webgpu-utils';
import { readBuffers } from '../../gpu/buffers';
import { dispatchSize } from '../../gpu/dispatch';
import { composeShader } from '../../gpu/shader-compose';
import { analysisWithVirtual } from '../../gpu/analysis-shader-sources';
import { createShaderModuleChecked } from '../../gpu/shaders';
import { layoutKey, sharedComputePipeline } from '../../gpu/pipeline-cache';
import { structView, UNIFORM_SLOT_BYTES } from '../../gpu/uniforms';
import { OwnedResources } from '../../gpu/stage';
import type { Domain } from '../../model/surface-types';
import type { SurfaceBinding } from '../surface-binding';
import { gaussHermite } from './gauss-hermite';
import { smoothedLossFromGrids, sqrtm, type SmoothedLoss, type SmoothingKernel, type SmoothingOptions } from './smoothing';

export const SMOOTHING_WORKGROUP = 64;

/** Surface evaluations one submit may hold by default, so a slow device returns between submits (and progress can be shown). */
export const EVALUATIONS_PER_SUBMIT = 2 ** 24;

export interface GpuSmoothingOptions extends SmoothingOptions {
  /** called after each submitted slice of rows with the fraction of the grid done (0..1] */
  onProgress?: (fraction: number) => void;
  /** surface evaluations (per-sample ones for a finite sum) per submitted slice of whole rows (default EVALUATIONS_PER_SUBMIT) */
  evaluationsPerSubmit?: number;
}

/**
 * The smoothing pipeline for one surface binding; run it for any domain, grid
 * and kernel. Owns its pipeline's buffers (destroy()); the surface bind group
 * belongs to the caller's SurfaceBinding.
 */
export class GpuSmoother {
  private readonly uniform: GPUBuffer;
  private readonly owned: OwnedResources;
  private readonly surfaceBind: GPUBindGroup;

  private constructor(
    private readonly device: GPUDevice,
    private readonly binding: SurfaceBinding,
    readonly label: string,
    private readonly pipeline: GPUComputePipeline,
    private readonly layout: GPUBindGroupLayout,
    private readonly view: StructuredView,
  ) {
    this.owned = new OwnedResources(device, label);
    this.uniform = this.owned.buffer('params', UNIFORM_SLOT_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.surfaceBind = binding.bindGroup(binding.layout);
  }

  /** Compiles the kernel for this binding's surface (no buffers exist until it has compiled). */
  static async create(device: GPUDevice, binding: SurfaceBinding, label = 'GpuSmoother'): Promise<GpuSmoother> {
    const surface = binding.surface;
    const covariance = surface.finiteSum ? 'gradient_covariance' : 'no_gradient_covariance';
    const shader = composeShader('analysis_smoothing.wgsl', analysisWithVirtual({
      ...surface.wgslSources,
      surface: `// @import ${surface.wgslModule}`,
      'smoothing-covariance': `// @import lib/smoothing/${covariance}.wgsl`,
    }));
    // params, quadrature, raw, smoothed
    const layoutDesc: GPUBindGroupLayoutDescriptor = {
      label: `${label}.layout`,
      entries: (['uniform', 'read-only-storage', 'storage', 'storage'] as const).map((type, i) => ({ binding: i, visibility: GPUShaderStage.COMPUTE, buffer: { type } })),
    };
    const layout = device.createBindGroupLayout(layoutDesc);
    const constants = { WORKGROUP_SIZE: SMOOTHING_WORKGROUP };
    // compiled once per surface code and device (src/gpu/pipeline-cache.ts), not at every smoothing job
    const pipeline = await sharedComputePipeline(device, { code: shader.code, constants, layout: layoutKey(layoutDesc) + `|surface dataset ${binding.dataset !== null}` }, async () =>
      device.createComputePipelineAsync({
        label: `${label}.pipeline`,
        layout: device.createPipelineLayout({ bindGroupLayouts: [layout, binding.layout] }),
        compute: { module: await createShaderModuleChecked(device, shader), entryPoint: 'main', constants },
      }));
    return new GpuSmoother(device, binding, label, pipeline, layout, structView(shader.code, 'params'));
  }

  /** The raw and smoothed loss at the grid x grid cell centres of `domain`, and which raw minima survive. */
  async run(domain: Domain, grid: number, kernel: SmoothingKernel, opts: GpuSmoothingOptions = {}): Promise<SmoothedLoss> {
    const { device, binding } = this;
    const surface = binding.surface;
    const order = opts.order ?? 10;
    checkRequest(device, surface.name, !!surface.finiteSum, domain, grid, kernel);
    const { nodes, weights } = gaussHermite(order);
    const quad = new Float32Array(2 * order);
    for (let i = 0; i < order; i++) { quad[2 * i] = nodes[i]; quad[2 * i + 1] = weights[i]; }
    const cells = grid * grid;
    // this job's buffers, destroyed when it ends (also when it fails)
    const job = new OwnedResources(device, this.label);
    try {
      const quadrature = job.buffer('quadrature', quad.byteLength, GPUBufferUsage.STORAGE, quad);
      const outUsage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
      const raw = job.buffer('raw', 4 * cells, outUsage);
      const smoothed = job.buffer('smoothed', 4 * cells, outUsage);
      const bind = device.createBindGroup({
        label: `${this.label}.bind`,
        layout: this.layout,
        entries: [
          { binding: 0, resource: { buffer: this.uniform } },
          { binding: 1, resource: { buffer: quadrature, size: quad.byteLength } },
          { binding: 2, resource: { buffer: raw } },
          { binding: 3, resource: { buffer: smoothed } },
        ],
      });
      const samples = surface.finiteSum?.sampleCount ?? 1;
      const gradientKernel = kernel.kind === 'gradient-covariance';
      // surface evaluations per cell: the stencil's, and the covariance's two passes over the samples
      const perCell = (order * order + 1) * samples + (gradientKernel ? 2 * samples : 0);
      const rowsPerSubmit = Math.max(1, Math.floor((opts.evaluationsPerSubmit ?? EVALUATIONS_PER_SUBMIT) / (perCell * grid)));
      const sqrtCov = kernel.kind === 'gaussian' ? sqrtm(kernel.covariance) : [0, 0, 0, 0];
      for (let row0 = 0; row0 < grid; row0 += rowsPerSubmit) {
        const rows = Math.min(rowsPerSubmit, grid - row0);
        this.view.set({
          grid, order, row0, rows, kind: gradientKernel ? 1 : 0, scale: gradientKernel ? kernel.scale : 0,
          lo: [domain.x[0], domain.y[0]], cell: [(domain.x[1] - domain.x[0]) / grid, (domain.y[1] - domain.y[0]) / grid], sqrt_cov: sqrtCov,
        });
        device.queue.writeBuffer(this.uniform, 0, this.view.arrayBuffer);
        const encoder = device.createCommandEncoder({ label: `${this.label}.rows ${row0}..${row0 + rows - 1}` });
        const pass = encoder.beginComputePass({ label: `${this.label}.smooth` });
        pass.setPipeline(this.pipeline);
        pass.setBindGroup(0, bind);
        pass.setBindGroup(1, this.surfaceBind);
        const [gx, gy] = dispatchSize(Math.ceil((rows * grid) / SMOOTHING_WORKGROUP), device.limits.maxComputeWorkgroupsPerDimension);
        pass.dispatchWorkgroups(gx, gy);
        pass.end();
        device.queue.submit([encoder.finish()]);
        if (opts.onProgress) {
          await device.queue.onSubmittedWorkDone();
          opts.onProgress((row0 + rows) / grid);
        }
      }
      const [r, s] = await readBuffers(device, [raw, smoothed]);
      return smoothedLossFromGrids(surface, domain, grid, kernel, order, Float64Array.from(new Float32Array(r)), Float64Array.from(new Float32Array(s)), opts.minima);
    } finally {
      job.destroy();
    }
  }

  destroy(): void {
    this.owned.destroy();
  }
}

/** Errors for requests the kernel cannot serve, in the caller's terms. */
function checkRequest(device: GPUDevice, surfaceName: string, finiteSum: boolean, domain: Domain, grid: number, kernel: SmoothingKernel): void {
  const where = 'smoothedLossGpu';
  if (!Number.isInteger(grid) || grid < 3) throw new Error(`${where}: grid ${grid} must be a whole number >= 3`);
  const maxGrid = Math.floor(Math.sqrt(device.limits.maxStorageBufferBindingSize / 4));
  if (grid > maxGrid) throw new Error(`${where}: grid ${grid} needs ${grid * grid * 4} bytes per output, more than this device binds (${device.limits.maxStorageBufferBindingSize}); use grid <= ${maxGrid}`);
  for (const axis of ['x', 'y'] as const) {
    const [lo, hi] = domain[axis];
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new Error(`${where}: domain ${axis} [${lo}, ${hi}] must be finite with ${axis}min < ${axis}max`);
  }
  if (kernel.kind === 'gaussian') {
    const [a, b, c] = kernel.covariance;
    // PSD up to the rounding of the entries
    if (![a, b, c].every(Number.isFinite) || a < 0 || c < 0 || a * c - b * b < -1e-12 * (a * c + b * b)) {
      throw new Error(`${where}: gaussian covariance (${a}, ${b}, ${c}) must be finite and positive semi-definite (c_xx, c_yy >= 0, c_xx c_yy >= c_xy^2)`);
    }
  } else if (kernel.kind === 'gradient-covariance') {
    if (!finiteSum) throw new Error(`${where}: the gradient-covariance (minibatch) kernel needs a finite-sum surface; '${surfaceName}' has no per-sample gradients`);
    if (!(Number.isFinite(kernel.scale) && kernel.scale >= 0)) throw new Error(`${where}: gradient-covariance scale ${kernel.scale} must be finite and >= 0 (lr_eff^2 / B, length^2 per (loss/length)^2)`);
  }
}

/**
 * smoothedLoss (smoothing.ts) with the grids computed on the GPU: the raw and
 * smoothed loss at the grid x grid cell centres of `domain` (float32, returned
 * as Float64Array) and the raw minima with whether they survive the smoothing.
 * Builds and destroys its pipeline; for repeated calls on one surface keep a GpuSmoother.
 */
export async function smoothedLossGpu(
  device: GPUDevice, binding: SurfaceBinding, domain: Domain, grid: number, kernel: SmoothingKernel, opts: GpuSmoothingOptions = {},
): Promise<SmoothedLoss> {
  const smoother = await GpuSmoother.create(device, binding, 'smoothedLossGpu');
  try {
    return await smoother.run(domain, grid, kernel, opts);
  } finally {
    smoother.destroy();
  }
}
