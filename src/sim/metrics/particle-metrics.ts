// GPU reduction of one panel's particles into a ParticleRecord (a few hundred
// bytes), plus the 2-D position histogram that the Fokker–Planck comparison
// and the renderer read. Two passes: per-workgroup sums, then one workgroup.
import type { StructuredView } from 'webgpu-utils';
import { composeShader } from '../../gpu/shader-compose';
import { createShaderModuleChecked } from '../../gpu/shaders';
import { layoutKey, sharedComputePipeline } from '../../gpu/pipeline-cache';
import { withVirtual } from '../../gpu/shader-sources';
import { dispatchSize } from '../../gpu/dispatch';
import { arrayElementBytes, structView } from '../../gpu/uniforms';
import { OwnedResources } from '../../gpu/stage';
import type { Domain } from '../../model/surface-types';
import type { SurfaceBinding } from '../surface-binding';
import type { ParticleSystem } from '../particles/particle-system';
import { basinCount, basinMap, lossRange, MAX_BASINS, type LossRange } from './loss-range';
import type { ParticleRecord } from './record';

/** first pass: threads per workgroup, and particles per thread (shaders/particles_metrics.wgsl overrides) */
const WG = 64;
const PER_THREAD = 16;
const LOSS_BINS = 256;

export interface ParticleMetricsOptions {
  device: GPUDevice;
  system: ParticleSystem;
  binding: SurfaceBinding;
  domain: Domain;
  /** 2-D histogram grid (cells per side) */
  grid: number;
  /** precomputed basin map on the same grid (shared between panels); computed if omitted */
  basins?: Uint32Array<ArrayBuffer>;
  loss?: LossRange;
  label?: string;
}

export class ParticleMetrics {
  /** u32 counts of alive particles per cell, grid x grid, cell (ix, iy) at iy * grid + ix */
  readonly histogram: GPUBuffer;
  /** the latest MetricsRecord struct (see shaders/particles_metrics_final.wgsl) */
  readonly record: GPUBuffer;
  readonly recordView: StructuredView;
  readonly loss: LossRange;
  readonly label: string;
  private readonly owned: OwnedResources;
  private readonly workgroups: number;
  private readonly dispatch: [number, number];

  private constructor(
    readonly options: ParticleMetricsOptions,
    private readonly pass1: GPUComputePipeline,
    private readonly pass2: GPUComputePipeline,
    recordView: StructuredView,
    paramsView: StructuredView,
    /** bytes of one WGSL Partial (the first pass's per-thread sums) */
    partialBytes: number,
  ) {
    const { device, system, grid, binding, domain } = options;
    const surface = binding.surface;
    this.label = options.label ?? 'ParticleMetrics';
    this.loss = options.loss ?? lossRange(surface, domain);
    this.recordView = recordView;
    // one Partial per thread of PER_THREAD particles (the shader's `workgroups` counts partials)
    const threads = Math.ceil(system.count / PER_THREAD);
    this.dispatch = dispatchSize(Math.ceil(threads / WG), device.limits.maxComputeWorkgroupsPerDimension);
    this.workgroups = threads;
    this.owned = new OwnedResources(device, this.label);
    const buf = (field: string, size: number, usage: GPUBufferUsageFlags) => this.owned.buffer(field, size, usage);
    const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.histogram = buf('histogram', 4 * grid * grid, S);
    this.record = buf('record', recordView.arrayBuffer.byteLength, S);
    this.paramsBuf = buf('params', paramsView.arrayBuffer.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.basinBuf = buf('basinMap', 4 * grid * grid, S);
    this.partials = buf('partials', partialBytes * this.workgroups, S);
    // loss histogram then basin counts (shaders/lib/metrics_types.wgsl COUNT_WORDS)
    this.counts = buf('counts', 4 * (LOSS_BINS + MAX_BASINS), S);
    const basins = options.basins ?? basinMap(surface, domain, grid);
    device.queue.writeBuffer(this.basinBuf, 0, basins);
    const minima = basinCount(surface);
    const cx = (domain.x[0] + domain.x[1]) / 2, cy = (domain.y[0] + domain.y[1]) / 2;
    paramsView.set({
      count: system.count, grid, basins: minima, workgroups: this.workgroups,
      lo: [domain.x[0], domain.y[0]], hi: [domain.x[1], domain.y[1]],
      loss_min: this.loss.min, loss_floor: this.loss.floor, log_span: this.loss.logSpan, origin: [cx, cy],
      optimizer: system.options.step.optimizer, momentum: system.options.step.momentum,
    });
    device.queue.writeBuffer(this.paramsBuf, 0, paramsView.arrayBuffer);
    const entries = (bufs: GPUBuffer[]) => bufs.map((buffer, binding) => ({ binding, resource: { buffer } }));
    this.bind1 = device.createBindGroup({
      label: `${this.label}.bind1`, layout: pass1.getBindGroupLayout(0),
      entries: entries([this.paramsBuf, system.position, system.status, this.basinBuf, this.partials, this.counts, this.histogram, system.moment1]),
    });
    this.bind2 = device.createBindGroup({
      label: `${this.label}.bind2`, layout: pass2.getBindGroupLayout(0),
      entries: entries([this.paramsBuf, this.partials, this.counts, this.record]),
    });
    this.surfaceBind = binding.bindGroup(binding.layout);
  }
  private readonly paramsBuf: GPUBuffer;
  private readonly basinBuf: GPUBuffer;
  private readonly partials: GPUBuffer;
  private readonly counts: GPUBuffer;
  private readonly bind1: GPUBindGroup;
  private readonly bind2: GPUBindGroup;
  private readonly surfaceBind: GPUBindGroup;

  static async create(options: ParticleMetricsOptions): Promise<ParticleMetrics> {
    const { device, binding } = options;
    const surface = binding.surface;
    const sources = withVirtual({ ...surface.wgslSources, surface: `// @import ${surface.wgslModule}` });
    const s1 = composeShader('particles_metrics.wgsl', sources);
    const s2 = composeShader('particles_metrics_final.wgsl', sources);
    const label = options.label ?? 'ParticleMetrics';
    const layout1Desc: GPUBindGroupLayoutDescriptor = {
      label: `${label}.layout1`,
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        ...[1, 2, 3].map((binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' as const } })),
        ...[4, 5, 6].map((binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' as const } })),
        { binding: 7, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
      ],
    };
    // shared between panels on one surface (src/gpu/pipeline-cache.ts)
    const pass1 = await sharedComputePipeline(device, { code: s1.code, constants: { WG, PER_THREAD }, layout: layoutKey(layout1Desc) + `|surface dataset ${binding.dataset !== null}` }, async () =>
      device.createComputePipelineAsync({
        label: `${label}.pass1`,
        layout: device.createPipelineLayout({ bindGroupLayouts: [device.createBindGroupLayout(layout1Desc), binding.layout] }),
        compute: { module: await createShaderModuleChecked(device, s1), entryPoint: 'main', constants: { WG, PER_THREAD } },
      }));
    const pass2 = await sharedComputePipeline(device, { code: s2.code, layout: 'auto' }, async () =>
      device.createComputePipelineAsync({ label: `${label}.pass2`, layout: 'auto', compute: { module: await createShaderModuleChecked(device, s2), entryPoint: 'main' } }));
    return new ParticleMetrics(options, pass1, pass2, structView(s2.code, 'record'), structView(s1.code, 'params'), arrayElementBytes(s1.code, 'partials'));
  }

  /** Clears the accumulators and reduces the current particle state into `record` and `histogram`. */
  encode(encoder: GPUCommandEncoder): void {
    for (const b of [this.histogram, this.counts]) encoder.clearBuffer(b);
    const pass = encoder.beginComputePass({ label: `${this.label}.reduce` });
    pass.setPipeline(this.pass1);
    pass.setBindGroup(0, this.bind1);
    pass.setBindGroup(1, this.surfaceBind);
    pass.dispatchWorkgroups(...this.dispatch);
    pass.setPipeline(this.pass2);
    pass.setBindGroup(0, this.bind2);
    pass.dispatchWorkgroups(1);
    pass.end();
  }

  /** Parses the bytes of `record` (after a readback) into a ParticleRecord. */
  parse(bytes: ArrayBuffer, step: number): ParticleRecord {
    const u8 = new Uint8Array(this.recordView.arrayBuffer);
    u8.set(new Uint8Array(bytes, 0, u8.length));
    const v = this.recordView.views as Record<string, Float32Array>;
    const basins = basinCount(this.options.binding.surface);
    // every particle diverged: the GPU's sums are empty (0), which is no measurement
    const some = v.alive[0] > 0;
    return {
      step,
      alive: v.alive[0],
      diverged: v.diverged[0],
      meanLoss: some ? v.mean_loss[0] : null,
      mean: some ? [v.mean[0], v.mean[1]] : null,
      cov: some ? [v.cov[0], v.cov[1], v.cov[2]] : null,
      lossQuantiles: some ? [v.quantiles[0], v.quantiles[1], v.quantiles[2]] : null,
      basinFractions: Array.from(v.basin_fraction.subarray(0, basins)),
      // Adam's expected step is not linear in the noise: no drift, no angular momentum
      angularMomentum: some && this.options.system.options.step.optimizer !== 2 ? v.angular_momentum[0] : null,
    };
  }

  destroy(): void {
    this.owned.destroy();
  }
}
