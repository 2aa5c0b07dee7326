// Each network of a cloud placed on a plane of weight space, on the GPU
// (shaders/network_plane_project.wgsl): the plane coordinates (a, b) of its
// projection and its distance from the plane. CPU reference:
// src/sim/network/plane.ts planeCoordinates.
import { buildStage, OwnedResources } from '../../gpu/stage';
import type { NetworkLayout } from '../../model/network/spec';
import { packPlane, type WeightPlane } from './plane';
import { bindBuffers, dispatchThreads, viewKernels, writeConfig } from './view-kernels';

export const PROJECTION_WORKGROUP = 64;

export interface PlaneProjectionOptions {
  device: GPUDevice;
  /** the architecture (a NetworkModel will do) */
  model: { layout: NetworkLayout };
  /** count x D f32, network p's parameters at p * D */
  params: GPUBuffer;
  count: number;
  label?: string;
}

export class PlaneProjection {
  /** count x 4 f32 per network: a, b (plane coordinates, parameter units), distance from the plane, 0 */
  readonly coords: GPUBuffer;
  readonly count: number;
  readonly label: string;
  private readonly device: GPUDevice;
  private readonly owned: OwnedResources;
  /** origin, u, v (3 x D f32) */
  private readonly basis: GPUBuffer;
  private readonly configBuf: GPUBuffer;
  private pipeline!: GPUComputePipeline;
  private bind!: GPUBindGroup;
  private hasPlane = false;

  private constructor(private readonly options: PlaneProjectionOptions) {
    const { device, count, params } = options;
    const layout = options.model.layout;
    this.device = device;
    this.count = count;
    this.label = options.label ?? 'PlaneProjection';
    if (!Number.isInteger(count) || count < 1) throw new Error(`${this.label}: count ${count} must be a positive integer`);
    if (params.size < 4 * layout.params * count) {
      throw new Error(`${this.label}: the params buffer holds ${params.size} bytes but ${count} networks of ${layout.params} parameters need ${4 * layout.params * count}`);
    }
    this.owned = new OwnedResources(device, this.label);
    this.coords = this.owned.buffer('coords', 16 * count, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | GPUBufferUsage.VERTEX);
    this.basis = this.owned.buffer('basis', 12 * layout.params, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.configBuf = this.owned.buffer('config', 256, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(options: PlaneProjectionOptions): Promise<PlaneProjection> {
    return buildStage(new PlaneProjection(options), (s) => s.build());
  }

  private async build(): Promise<void> {
    const { device, params } = this.options;
    const layout = this.options.model.layout;
    const k = await viewKernels(device, this.label, 'network_plane_project.wgsl', ['main'], ['uniform', 'read', 'read', 'storage'], { WG: PROJECTION_WORKGROUP });
    this.pipeline = k.pipelines.main;
    writeConfig(device, k.cfg, this.configBuf, { count: this.count, dim: layout.params });
    this.bind = bindBuffers(device, `${this.label}.bind`, k.layout, [this.configBuf, this.basis, { buffer: params, size: 4 * layout.params * this.count }, this.coords]);
  }

  /** Sets the plane that later encodes project onto (written to the GPU at the next submit). */
  setPlane(plane: WeightPlane): void {
    const D = this.options.model.layout.params;
    if (plane.origin.length !== D) throw new Error(`${this.label}: the plane has ${plane.origin.length} parameters, the networks ${D}`);
    this.device.queue.writeBuffer(this.basis, 0, packPlane(plane));
    this.hasPlane = true;
  }

  /** Projects every network onto the current plane into `coords`. */
  encode(encoder: GPUCommandEncoder): void {
    if (!this.hasPlane) throw new Error(`${this.label}: no plane yet; call setPlane first`);
    const pass = encoder.beginComputePass({ label: `${this.label}.project` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bind);
    dispatchThreads(pass, this.device, this.count, PROJECTION_WORKGROUP);
    pass.end();
  }

  destroy(): void {
    this.owned.destroy();
  }
}
