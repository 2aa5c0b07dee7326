// The training loss over a grid on a plane of weight space, on the GPU: every
// grid node is a network (origin + a u + b v) evaluated on the whole training
// split. Chunks of nodes are materialised into a scratch buffer
// (shaders/network_plane_points.wgsl) and evaluated by NetworkEvaluation (the
// same kernel and summation order as the per-particle metrics, so a node that
// is a particle gets that particle's loss up to the float32 rounding of
// origin + a u + b v). Each chunk is one short submit followed by an await of
// its readback, so the page's frame loop keeps running between chunks; an
// AbortSignal stops the computation between chunks.
import { buildStage, OwnedResources } from '../../gpu/stage';
import type { NetworkData } from './network-data';
import { NetworkEvaluation, EVALUATION_COLUMNS, type NetworkArchitecture } from './evaluation';
import { packPlane, type WeightPlane } from './plane';
import { bindBuffers, dispatchThreads, viewKernels, writeConfig, type ViewKernels } from './view-kernels';

export const LANDSCAPE_WORKGROUP = 64;
export const MAX_LANDSCAPE_GRID = 128;
/**
 * Default multiply-adds per chunk (grid nodes x training samples x weights):
 * ~0.1 s through SwiftShader on 2 cores, well under a millisecond on a
 * discrete GPU.
 */
export const LANDSCAPE_CHUNK_WORK = 2 ** 26;

/** The rectangle [a0, a1] x [b0, b1] of plane coordinates (parameter units). */
export interface LandscapeRange {
  a: [number, number];
  b: [number, number];
}

export interface LandscapeComputeOptions {
  /** aborting stops the computation before its next chunk; compute() then rejects with the signal's reason (an AbortError) */
  signal?: AbortSignal;
  /** called after each chunk with the fraction of nodes done (0..1]; the last call is 1 */
  onProgress?: (fraction: number) => void;
}

export interface PlaneLandscapeOptions {
  device: GPUDevice;
  model: NetworkArchitecture;
  /** the dataset on the GPU (the training split is evaluated) */
  data: NetworkData;
  /** multiply-adds per chunk (default LANDSCAPE_CHUNK_WORK) */
  chunkWork?: number;
  label?: string;
}

/** The coordinates of the grid nodes along one side: lo + (hi - lo) i / (grid - 1), i = 0 .. grid-1 (exactly lo and hi at the ends). */
export function gridNodes(lo: number, hi: number, grid: number): Float64Array {
  return Float64Array.from({ length: grid }, (_, i) => (i === grid - 1 ? hi : lo + ((hi - lo) * i) / (grid - 1)));
}

/**
 * A range that holds `points` (plane coordinates, e.g. garipovPlane's or the
 * projected cloud's) with a margin of `margin` times the larger extent on
 * every side; a square around them when they coincide (side 2 `minHalf`).
 */
export function rangeAround(points: readonly (readonly [number, number])[], margin = 0.25, minHalf = 1): LandscapeRange {
  if (points.length === 0) throw new Error('rangeAround: no points');
  const as = points.map((p) => p[0]), bs = points.map((p) => p[1]);
  const lo = [Math.min(...as), Math.min(...bs)], hi = [Math.max(...as), Math.max(...bs)];
  const extent = Math.max(hi[0] - lo[0], hi[1] - lo[1]);
  const pad = extent > 0 ? margin * extent : minHalf;
  return { a: [lo[0] - pad, hi[0] + pad], b: [lo[1] - pad, hi[1] + pad] };
}

export class PlaneLandscape {
  /** grid nodes evaluated per chunk (one submit) */
  readonly chunkPoints: number;
  readonly label: string;
  private readonly device: GPUDevice;
  private readonly owned: OwnedResources;
  /** chunkPoints x D f32: the chunk's networks */
  private readonly scratch: GPUBuffer;
  private readonly basis: GPUBuffer;
  private readonly coords: GPUBuffer;
  private readonly configBuf: GPUBuffer;
  private evaluation!: NetworkEvaluation;
  private kernels!: ViewKernels<'main'>;
  private bind!: GPUBindGroup;
  /** the compute in progress (computes run one after another) */
  private tail: Promise<unknown> = Promise.resolve();
  private destroyed = false;

  private constructor(private readonly options: PlaneLandscapeOptions) {
    const { device, model, data } = options;
    this.device = device;
    this.label = options.label ?? 'PlaneLandscape';
    const D = model.layout.params;
    const perPoint = Math.max(1, data.nTrain * model.layout.weights);
    const byWork = Math.floor((options.chunkWork ?? LANDSCAPE_CHUNK_WORK) / perPoint);
    const byMemory = Math.floor(Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize) / (4 * D));
    this.chunkPoints = Math.max(1, Math.min(byWork, byMemory, MAX_LANDSCAPE_GRID * MAX_LANDSCAPE_GRID));
    this.owned = new OwnedResources(device, this.label);
    this.scratch = this.owned.buffer('scratch', 4 * D * this.chunkPoints, GPUBufferUsage.STORAGE);
    this.basis = this.owned.buffer('basis', 12 * D, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.coords = this.owned.buffer('coords', 8 * MAX_LANDSCAPE_GRID, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.configBuf = this.owned.buffer('config', 256, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(options: PlaneLandscapeOptions): Promise<PlaneLandscape> {
    return buildStage(new PlaneLandscape(options), (s) => s.build());
  }

  private async build(): Promise<void> {
    const { device, model, data } = this.options;
    this.evaluation = this.owned.own(await NetworkEvaluation.create({
      device, model, data, params: this.scratch, count: this.chunkPoints, test: false, label: `${this.label}.evaluation`,
    }));
    this.kernels = await viewKernels(device, this.label, 'network_plane_points.wgsl', ['main'], ['uniform', 'read', 'read', 'storage'], { WG: LANDSCAPE_WORKGROUP });
    this.bind = bindBuffers(device, `${this.label}.bind`, this.kernels.layout, [this.configBuf, this.basis, this.coords, this.scratch]);
  }

  /**
   * The mean training loss (BCE, nats, no weight decay) at the grid x grid nodes
   * of `range` on `plane`, row-major: value [j * grid + i] is the loss at
   * a = a_i, b = b_j with a_i = gridNodes(a0, a1, grid)[i] (row j = the b index,
   * column i = the a index). Computes run one after another on one landscape.
   */
  compute(plane: WeightPlane, range: LandscapeRange, grid: number, options: LandscapeComputeOptions = {}): Promise<Float32Array> {
    const run = this.tail.then(() => this.run(plane, range, grid, options));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async run(plane: WeightPlane, range: LandscapeRange, grid: number, { signal, onProgress }: LandscapeComputeOptions): Promise<Float32Array> {
    const D = this.options.model.layout.params;
    if (this.destroyed) throw new Error(`${this.label} is destroyed; create a new one`);
    if (!Number.isInteger(grid) || grid < 2 || grid > MAX_LANDSCAPE_GRID) throw new Error(`${this.label}: grid ${grid} must be an integer in [2, ${MAX_LANDSCAPE_GRID}]`);
    for (const [name, [lo, hi]] of [['a', range.a], ['b', range.b]] as const) {
      if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new Error(`${this.label}: range ${name} [${lo}, ${hi}] must be finite with ${name}0 < ${name}1`);
    }
    if (plane.origin.length !== D) throw new Error(`${this.label}: the plane has ${plane.origin.length} parameters, the networks ${D}`);
    signal?.throwIfAborted();
    const { device } = this;
    const nodes = new Float32Array(2 * grid);
    nodes.set(gridNodes(range.a[0], range.a[1], grid), 0);
    nodes.set(gridNodes(range.b[0], range.b[1], grid), grid);
    device.queue.writeBuffer(this.basis, 0, packPlane(plane));
    device.queue.writeBuffer(this.coords, 0, nodes);
    const total = grid * grid;
    // whole rows per chunk when a chunk holds at least one row
    const per = this.chunkPoints >= grid ? Math.min(total, Math.floor(this.chunkPoints / grid) * grid) : this.chunkPoints;
    const out = new Float32Array(total);
    const staging = device.createBuffer({ label: `${this.label}.staging`, size: 4 * EVALUATION_COLUMNS * per, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    try {
      for (let first = 0; first < total; first += per) {
        const points = Math.min(per, total - first);
        writeConfig(device, this.kernels.cfg, this.configBuf, { dim: D, grid, first, points });
        const encoder = device.createCommandEncoder({ label: `${this.label}.chunk` });
        const pass = encoder.beginComputePass({ label: `${this.label}.points` });
        pass.setPipeline(this.kernels.pipelines.main);
        pass.setBindGroup(0, this.bind);
        dispatchThreads(pass, device, points * D, LANDSCAPE_WORKGROUP);
        pass.end();
        this.evaluation.encode(encoder, points);
        encoder.copyBufferToBuffer(this.evaluation.perParticle, 0, staging, 0, 4 * EVALUATION_COLUMNS * points);
        device.queue.submit([encoder.finish()]);
        await staging.mapAsync(GPUMapMode.READ, 0, 4 * EVALUATION_COLUMNS * points);
        const rows = new Float32Array(staging.getMappedRange(0, 4 * EVALUATION_COLUMNS * points));
        for (let k = 0; k < points; k++) out[first + k] = rows[EVALUATION_COLUMNS * k];
        staging.unmap();
        if (this.destroyed) throw new Error(`${this.label} was destroyed during a compute`);
        onProgress?.((first + points) / total);
        if (first + points < total) signal?.throwIfAborted();
      }
    } finally {
      staging.destroy();
    }
    return out;
  }

  destroy(): void {
    this.destroyed = true;
    this.owned.destroy();
  }
}
