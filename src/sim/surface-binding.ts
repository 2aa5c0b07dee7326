// Bind group 1 of every kernel that evaluates a surface: the parameter uniform
// (binding 0, SURFACE_PARAM_SLOTS floats, lib/surface_params.wgsl) and, for a
// finite-sum surface, its dataset (binding 1, one vec4f per sample,
// lib/dataset.wgsl). Owns both buffers. Pipelines with explicit layouts use
// `layout` (src/sim/surface-layout.ts) as their group 1; pipelines with layout
// 'auto' pass themselves to `bindGroup`.
import { createBuffer } from '../gpu/buffers';
import type { Surface } from '../model/surface-types';
import { createSurfaceLayout } from './surface-layout';

export class SurfaceBinding {
  readonly params: GPUBuffer;
  /** null for a surface without a dataset */
  readonly dataset: GPUBuffer | null;
  /** the shared group(1) layout for this surface (dataset binding only when finite-sum) */
  readonly layout: GPUBindGroupLayout;

  constructor(private readonly device: GPUDevice, readonly surface: Surface) {
    const fs = surface.finiteSum;
    if (fs && (fs.sampleCount < 1 || fs.dataset.length !== 4 * fs.sampleCount)) {
      throw new Error(`SurfaceBinding: ${surface.name} has ${fs.dataset.length} dataset floats for ${fs.sampleCount} samples; it needs at least one sample, 4 floats each`);
    }
    this.params = createBuffer(device, 'SurfaceBinding.params', surface.packedParams.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, surface.packedParams);
    this.dataset = fs
      ? createBuffer(device, 'SurfaceBinding.dataset', fs.dataset.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST, fs.dataset)
      : null;
    this.layout = createSurfaceLayout(device, fs !== undefined);
  }

  /** A group(1) bind group for a pipeline's own group-1 layout (layout 'auto'), or for an explicit layout. */
  bindGroup(target: GPUComputePipeline | GPURenderPipeline | GPUBindGroupLayout): GPUBindGroup {
    const layout = 'getBindGroupLayout' in target ? target.getBindGroupLayout(1) : target;
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: this.params } }];
    // the WGSL counts samples as arrayLength(&dataset), so the binding covers exactly the samples
    if (this.dataset) entries.push({ binding: 1, resource: { buffer: this.dataset, size: this.surface.finiteSum!.dataset.byteLength } });
    return this.device.createBindGroup({ label: 'SurfaceBinding.bindGroup', layout, entries });
  }

  destroy(): void {
    this.params.destroy();
    this.dataset?.destroy();
  }
}
