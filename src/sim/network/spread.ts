// The spread of a cloud of networks on the GPU (shaders/network_spread.wgsl):
// its centre (the mean parameter vector over the alive networks) and each
// network's Euclidean distance to the centre per layer (W and b of a layer
// together). CPU reference: src/sim/network/spread-reference.ts.
import { buildStage, OwnedResources } from '../../gpu/stage';
import type { NetworkLayout } from '../../model/network/spec';
import { bindBuffers, dispatchThreads, NAN_BITS, viewKernels, writeConfig, type ViewKernels } from './view-kernels';

export const SPREAD_WORKGROUP = 64;
/** Networks per thread of the centre's first pass. */
export const SPREAD_CHUNK = 64;

export interface NetworkSpreadOptions {
  device: GPUDevice;
  /** the architecture (a NetworkModel will do) */
  model: { layout: NetworkLayout };
  /** count x D f32, network p's parameters at p * D */
  params: GPUBuffer;
  count: number;
  label?: string;
}

/** First parameter of each layer, then D: layer l is [starts[l], starts[l + 1]) (its W then its b). */
export function layerStarts(layout: NetworkLayout): number[] {
  return [...layout.layers.map((l) => l.weightOffset), layout.params];
}

export class NetworkSpread {
  /** D f32: the mean parameter vector over the alive networks (NaN when none is alive) */
  readonly centre: GPUBuffer;
  /** count x L f32: network p's Euclidean distance to the centre over layer l's W and b, at p * L + l */
  readonly distances: GPUBuffer;
  readonly count: number;
  /** L: layers (hidden layers + the output layer) */
  readonly layers: number;
  readonly label: string;
  private readonly device: GPUDevice;
  private readonly owned: OwnedResources;
  private readonly partials: GPUBuffer;
  private readonly configBuf: GPUBuffer;
  private readonly chunks: number;
  private kernels!: ViewKernels<'centre_partials' | 'centre_final' | 'layer_distances'>;
  /** the bind group of the last status buffer seen */
  private bound: { status: GPUBuffer; group: GPUBindGroup } | null = null;

  private constructor(private readonly options: NetworkSpreadOptions) {
    const { device, count, params } = options;
    const layout = options.model.layout;
    this.device = device;
    this.count = count;
    this.layers = layout.layers.length;
    this.label = options.label ?? 'NetworkSpread';
    if (!Number.isInteger(count) || count < 1) throw new Error(`${this.label}: count ${count} must be a positive integer`);
    if (params.size < 4 * layout.params * count) {
      throw new Error(`${this.label}: the params buffer holds ${params.size} bytes but ${count} networks of ${layout.params} parameters need ${4 * layout.params * count}`);
    }
    this.chunks = Math.ceil(count / SPREAD_CHUNK);
    this.owned = new OwnedResources(device, this.label);
    const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.centre = this.owned.buffer('centre', 4 * layout.params, S);
    this.distances = this.owned.buffer('distances', 4 * this.layers * count, S);
    this.partials = this.owned.buffer('partials', 8 * this.chunks * layout.params, GPUBufferUsage.STORAGE);
    this.configBuf = this.owned.buffer('config', 256, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(options: NetworkSpreadOptions): Promise<NetworkSpread> {
    return buildStage(new NetworkSpread(options), (s) => s.build());
  }

  private async build(): Promise<void> {
    const { device } = this.options;
    const layout = this.options.model.layout;
    this.kernels = await viewKernels(device, this.label, 'network_spread.wgsl', ['centre_partials', 'centre_final', 'layer_distances'],
      ['uniform', 'read', 'read', 'storage', 'storage', 'storage'], { WG: SPREAD_WORKGROUP, CHUNK: SPREAD_CHUNK });
    const starts = layerStarts(layout);
    const padded = [...starts, ...Array(8 - starts.length).fill(0)];
    writeConfig(device, this.kernels.cfg, this.configBuf, {
      count: this.count, dim: layout.params, layers: this.layers, chunks: this.chunks, nan_bits: NAN_BITS,
      layer_start: padded,
    });
  }

  private bindFor(status: GPUBuffer): GPUBindGroup {
    if (this.bound?.status !== status) {
      if (status.size < 4 * this.count) throw new Error(`${this.label}: the status buffer holds ${status.size} bytes, ${this.count} networks need ${4 * this.count}`);
      const { params } = this.options;
      const layout = this.options.model.layout;
      const group = bindBuffers(this.device, `${this.label}.bind`, this.kernels.layout, [
        this.configBuf, { buffer: params, size: 4 * layout.params * this.count }, status, this.partials, this.centre, this.distances,
      ]);
      this.bound = { status, group };
    }
    return this.bound.group;
  }

  /** Computes `centre`, then `distances`; `status` holds a u32 per network (0 alive). */
  encode(encoder: GPUCommandEncoder, status: GPUBuffer): void {
    const D = this.options.model.layout.params;
    const { pipelines } = this.kernels;
    const pass = encoder.beginComputePass({ label: `${this.label}.spread` });
    pass.setBindGroup(0, this.bindFor(status));
    pass.setPipeline(pipelines.centre_partials);
    dispatchThreads(pass, this.device, this.chunks * D, SPREAD_WORKGROUP);
    pass.setPipeline(pipelines.centre_final);
    dispatchThreads(pass, this.device, D, SPREAD_WORKGROUP);
    pass.setPipeline(pipelines.layer_distances);
    dispatchThreads(pass, this.device, this.count * this.layers, SPREAD_WORKGROUP);
    pass.end();
  }

  destroy(): void {
    this.bound = null;
    this.owned.destroy();
  }
}
