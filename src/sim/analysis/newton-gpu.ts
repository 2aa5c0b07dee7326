// The many-start damped Newton iteration on the GPU (shaders/analysis_newton.wgsl):
// one thread per start. Owns its buffers and pipeline; the surface's bind group
// belongs to the caller's SurfaceBinding. CPU reference: newton-reference.ts.
import type { StructuredView } from 'webgpu-utils';
import { readBuffer } from '../../gpu/buffers';
import { dispatchSize } from '../../gpu/dispatch';
import { composeShader } from '../../gpu/shader-compose';
import { analysisWithVirtual } from '../../gpu/analysis-shader-sources';
import { createShaderModuleChecked } from '../../gpu/shaders';
import { structView, UNIFORM_SLOT_BYTES } from '../../gpu/uniforms';
import { buildStage, OwnedResources } from '../../gpu/stage';
import type { SurfaceBinding } from '../surface-binding';
import type { Domain } from '../../model/surface-types';
import { criticalSearchSetup, findCriticalPoints, type CriticalOptions, type CriticalReport } from './critical-points';
import type { NewtonOptions, NewtonResult, NewtonStatus } from './newton-reference';

export const NEWTON_WORKGROUP = 64;

export interface ManyStartNewtonOptions {
  device: GPUDevice;
  binding: SurfaceBinding;
  /** starts as x0 y0 x1 y1 ... */
  starts: ArrayLike<number>;
  options: NewtonOptions;
  label?: string;
}

export class ManyStartNewton {
  readonly starts: GPUBuffer;
  /** vec4f per start: (x, y, |grad f|, mu) */
  readonly results: GPUBuffer;
  /** u32 per start: status | iterations << 8 */
  readonly info: GPUBuffer;
  readonly count: number;
  readonly label: string;
  private readonly uniform: GPUBuffer;
  private readonly owned: OwnedResources;
  private pipeline!: GPUComputePipeline;
  private bind!: GPUBindGroup;
  private surfaceBind!: GPUBindGroup;
  private view!: StructuredView;

  private constructor(private readonly o: ManyStartNewtonOptions) {
    const { device } = o;
    this.label = o.label ?? 'ManyStartNewton';
    this.count = Math.floor(o.starts.length / 2);
    if (this.count < 1) throw new Error(`${this.label}: no starts; pass at least one (x, y) pair`);
    const xy = Float32Array.from(o.starts);
    const owned = (this.owned = new OwnedResources(device, this.label));
    const io = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.starts = owned.buffer('starts', xy.byteLength, GPUBufferUsage.STORAGE, xy);
    this.results = owned.buffer('results', 16 * this.count, io);
    this.info = owned.buffer('info', 4 * this.count, io);
    this.uniform = owned.buffer('params', UNIFORM_SLOT_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(o: ManyStartNewtonOptions): Promise<ManyStartNewton> {
    return buildStage(new ManyStartNewton(o), (s) => s.build());
  }

  private async build(): Promise<void> {
    const { device, binding } = this.o;
    const surface = binding.surface;
    const shader = composeShader('analysis_newton.wgsl', analysisWithVirtual({ surface: `// @import ${surface.wgslModule}`, ...surface.wgslSources }));
    const module = await createShaderModuleChecked(device, shader);
    this.view = structView(shader.code, 'params');
    const layout = device.createBindGroupLayout({
      label: `${this.label}.layout`,
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    this.pipeline = await device.createComputePipelineAsync({
      label: `${this.label}.pipeline`,
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout, binding.layout] }),
      compute: { module, entryPoint: 'main', constants: { WORKGROUP_SIZE: NEWTON_WORKGROUP } },
    });
    this.bind = device.createBindGroup({
      label: `${this.label}.bind`,
      layout,
      entries: [
        { binding: 0, resource: { buffer: this.uniform } },
        { binding: 1, resource: { buffer: this.starts, size: 8 * this.count } },
        { binding: 2, resource: { buffer: this.results } },
        { binding: 3, resource: { buffer: this.info } },
      ],
    });
    this.surfaceBind = binding.bindGroup(binding.layout);
  }

  /** Encodes the K iterations of every start (options as given to create, or replaced). */
  encode(encoder: GPUCommandEncoder, options: NewtonOptions = this.o.options): void {
    const o = options;
    this.view.set({ count: this.count, iterations: o.iterations, gtol: o.gtol, max_step: o.maxStep, mu0: o.mu0, mu_min: o.muMin, mu_max: o.muMax, lo: o.lo, hi: o.hi });
    this.o.device.queue.writeBuffer(this.uniform, 0, this.view.arrayBuffer);
    const pass = encoder.beginComputePass({ label: `${this.label}.iterate` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bind);
    pass.setBindGroup(1, this.surfaceBind);
    const [gx, gy] = dispatchSize(Math.ceil(this.count / NEWTON_WORKGROUP), this.o.device.limits.maxComputeWorkgroupsPerDimension);
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
  }

  /** Reads the results back in the CPU reference's form. */
  async read(): Promise<NewtonResult[]> {
    const r = new Float32Array(await readBuffer(this.o.device, this.results, 16 * this.count));
    const info = new Uint32Array(await readBuffer(this.o.device, this.info, 4 * this.count));
    return decodeNewtonResults(r, info);
  }

  destroy(): void {
    this.owned.destroy();
  }
}

/** The kernel's output words as NewtonResult records. */
export function decodeNewtonResults(results: Float32Array, info: Uint32Array): NewtonResult[] {
  return Array.from(info, (w, i) => ({
    at: [results[4 * i], results[4 * i + 1]],
    gradientNorm: results[4 * i + 2],
    mu: results[4 * i + 3],
    status: (w & 0xff) as NewtonStatus,
    iterations: w >>> 8,
  }));
}

/**
 * Critical points with the many-start phase on the GPU: the seed grid's starts
 * iterated by ManyStartNewton, then polished, deduplicated and classified on
 * the CPU (findCriticalPoints with `starts`).
 */
export async function findCriticalPointsGpu(device: GPUDevice, binding: SurfaceBinding, domain: Domain, opts: Omit<CriticalOptions, 'starts'> = {}): Promise<CriticalReport> {
  const { seeds, options } = criticalSearchSetup(binding.surface, domain, opts);
  const newton = await ManyStartNewton.create({ device, binding, starts: seeds, options });
  try {
    const encoder = device.createCommandEncoder({ label: 'findCriticalPointsGpu' });
    newton.encode(encoder);
    device.queue.submit([encoder.finish()]);
    return findCriticalPoints(binding.surface, domain, { ...opts, starts: await newton.read() });
  } finally {
    newton.destroy();
  }
}
