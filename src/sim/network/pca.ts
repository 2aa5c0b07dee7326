// The cloud's top two principal directions on the GPU (shaders/network_pca.wgsl):
// orthogonal iteration (power iteration on two vectors, the second deflated
// against the first each iteration) on the centred parameters of the alive
// networks, run in batches of iterations until the directions stop moving.
// The result is a WeightPlane through the centre. CPU reference:
// src/sim/network/pca-reference.ts.
import { readBuffers } from '../../gpu/buffers';
import { buildStage, OwnedResources } from '../../gpu/stage';
import { normals4 } from '../../rng/philox';
import type { NetworkLayout } from '../../model/network/spec';
import type { WeightPlane } from './plane';
import { NetworkSpread } from './spread';
import { bindBuffers, dispatchThreads, viewKernels, writeConfig, type ViewKernels } from './view-kernels';

export const PCA_WORKGROUP = 64;
/**
 * Philox stream of the starting vectors: parameter d of start vector k (0, 1)
 * is component d % 4 of normals4(seed, NETWORK_PCA_STREAM, k, 0, floor(d / 4)).
 */
export const NETWORK_PCA_STREAM = 0x4e455443; // 'NETC'
/** A second variance below this fraction of the first is no plane (the alive cloud is a line or a point). */
export const PCA_MIN_VARIANCE_RATIO = 1e-4;

export interface NetworkPcaOptions {
  device: GPUDevice;
  /** the architecture (a NetworkModel will do) */
  model: { layout: NetworkLayout };
  /** count x D f32, network p's parameters at p * D */
  params: GPUBuffer;
  count: number;
  label?: string;
}

export interface PcaComputeOptions {
  /**
   * most iterations (default 100; an iteration reads the cloud twice: ~30 ms
   * for 1,024 networks of width 32 x 2 through SwiftShader on 2 cores)
   */
  maxIterations?: number;
  /** iterations per GPU submit between convergence checks (default 10) */
  batch?: number;
  /**
   * converged when, for both directions, the squared sine of the angle it turned
   * since the previous check is below this (default 1e-8: 1e-4 rad per batch;
   * float32 noise is ~1e-14)
   */
  tolerance?: number;
  /** seed of the random starting vectors (default 0) */
  seed?: number;
  /**
   * start from the previous compute's directions instead of random ones (a
   * cloud that moved a little since converges in a few iterations); default false
   */
  warm?: boolean;
}

export interface PcaResult {
  /** origin: the centre (mean of the alive networks); u, v: the first and second principal directions */
  plane: WeightPlane;
  /** variances of the alive cloud along u and v (parameter units squared, divided by the alive count) */
  variances: [number, number];
  iterations: number;
  converged: boolean;
  alive: number;
}

/** Flips x in place so that its component of largest magnitude is positive (a sign convention for eigenvectors). */
export function fixSign(x: Float32Array | Float64Array): void {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (Math.abs(x[i]) > Math.abs(x[best])) best = i;
  if (x[best] < 0) for (let i = 0; i < x.length; i++) x[i] = -x[i];
}

/**
 * sin^2 of the angle between direction k of two interleaved bases (v1_d, v2_d),
 * as 1 - cos^2 in float64 with the norms divided out (float32 vectors are not
 * exactly unit length, which 1 - |x . y| would mistake for turning).
 */
function turnedSquared(x: Float32Array, y: Float32Array, k: number, D: number): number {
  let xy = 0, xx = 0, yy = 0;
  for (let d = 0; d < D; d++) {
    const a = x[2 * d + k], b = y[2 * d + k];
    xy += a * b; xx += a * a; yy += b * b;
  }
  return 1 - (xy * xy) / (xx * yy);
}

/** The starting vectors, interleaved (v1_d, v2_d) as the shader's `basis`. */
export function pcaStart(D: number, seed: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(2 * D);
  for (let k = 0; k < 2; k++) {
    for (let j = 0; 4 * j < D; j++) {
      const z = normals4(seed, NETWORK_PCA_STREAM, k, 0, j);
      for (let c = 0; c < 4 && 4 * j + c < D; c++) out[2 * (4 * j + c) + k] = z[c];
    }
  }
  return out;
}

export class NetworkPca {
  readonly count: number;
  readonly label: string;
  private readonly device: GPUDevice;
  private readonly owned: OwnedResources;
  private readonly basis: GPUBuffer;
  private readonly scores: GPUBuffer;
  private readonly image: GPUBuffer;
  private readonly norms: GPUBuffer;
  private readonly configBuf: GPUBuffer;
  private spread!: NetworkSpread;
  private kernels!: ViewKernels<'pca_scores' | 'pca_image' | 'pca_orthonormalise'>;
  private bound: { status: GPUBuffer; group: GPUBindGroup } | null = null;
  /** the compute in progress (computes run one after another) */
  private tail: Promise<unknown> = Promise.resolve();
  /** the finite directions a previous compute left in `basis` (interleaved v1_d, v2_d), or null */
  private warmBasis: Float32Array | null = null;

  private constructor(private readonly options: NetworkPcaOptions) {
    const { device, count } = options;
    const layout = options.model.layout;
    this.device = device;
    this.count = count;
    this.label = options.label ?? 'NetworkPca';
    const D = layout.params;
    this.owned = new OwnedResources(device, this.label);
    const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.basis = this.owned.buffer('basis', 8 * D, S);
    this.scores = this.owned.buffer('scores', 8 * count, GPUBufferUsage.STORAGE);
    this.image = this.owned.buffer('image', 8 * D, GPUBufferUsage.STORAGE);
    this.norms = this.owned.buffer('norms', 8, S);
    this.configBuf = this.owned.buffer('config', 256, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(options: NetworkPcaOptions): Promise<NetworkPca> {
    return buildStage(new NetworkPca(options), (s) => s.build());
  }

  private async build(): Promise<void> {
    const { device, params, count, model } = this.options;
    const layout = model.layout;
    // validates count and the params buffer's size
    this.spread = this.owned.own(await NetworkSpread.create({ device, model, params, count, label: `${this.label}.spread` }));
    this.kernels = await viewKernels(device, this.label, 'network_pca.wgsl', ['pca_scores', 'pca_image', 'pca_orthonormalise'],
      ['uniform', 'read', 'read', 'read', 'storage', 'storage', 'storage', 'storage'], { WG: PCA_WORKGROUP });
    writeConfig(device, this.kernels.cfg, this.configBuf, { count, dim: layout.params });
  }

  private bindFor(status: GPUBuffer): GPUBindGroup {
    if (this.bound?.status !== status) {
      const { params } = this.options;
      const layout = this.options.model.layout;
      const group = bindBuffers(this.device, `${this.label}.bind`, this.kernels.layout, [
        this.configBuf, { buffer: params, size: 4 * layout.params * this.count }, status, this.spread.centre, this.basis, this.scores, this.image, this.norms,
      ]);
      this.bound = { status, group };
    }
    return this.bound.group;
  }

  private encodeIterations(encoder: GPUCommandEncoder, status: GPUBuffer, iterations: number): void {
    const { pipelines } = this.kernels;
    const D = this.options.model.layout.params;
    const pass = encoder.beginComputePass({ label: `${this.label}.iterate` });
    pass.setBindGroup(0, this.bindFor(status));
    for (let i = 0; i < iterations; i++) {
      pass.setPipeline(pipelines.pca_scores);
      dispatchThreads(pass, this.device, this.count, PCA_WORKGROUP);
      pass.setPipeline(pipelines.pca_image);
      dispatchThreads(pass, this.device, D, PCA_WORKGROUP);
      pass.setPipeline(pipelines.pca_orthonormalise);
      pass.dispatchWorkgroups(1);
    }
    pass.end();
  }

  /**
   * The principal plane of the networks whose `status` is 0; null when fewer
   * than 3 are alive or their cloud has no second direction (variance ratio
   * below PCA_MIN_VARIANCE_RATIO). Computes run one after another.
   */
  compute(status: GPUBuffer, options: PcaComputeOptions = {}): Promise<PcaResult | null> {
    const run = this.tail.then(() => this.run(status, options));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async run(status: GPUBuffer, options: PcaComputeOptions): Promise<PcaResult | null> {
    const { maxIterations = 100, batch = 10, tolerance = 1e-8, seed = 0, warm = false } = options;
    if (!(Number.isInteger(maxIterations) && maxIterations >= 1 && Number.isInteger(batch) && batch >= 1)) {
      throw new Error(`${this.label}: maxIterations ${maxIterations} and batch ${batch} must be positive integers`);
    }
    if (status.size < 4 * this.count) throw new Error(`${this.label}: the status buffer holds ${status.size} bytes, ${this.count} networks need ${4 * this.count}`);
    const { device } = this;
    const D = this.options.model.layout.params;
    // a previous compute that ended in NaN (no spread) leaves no usable start
    const start = warm ? this.warmBasis : null;
    if (!start) device.queue.writeBuffer(this.basis, 0, pcaStart(D, seed));
    const first = device.createCommandEncoder({ label: `${this.label}.centre` });
    this.spread.encode(first, status);
    device.queue.submit([first.finish()]);
    let previous: Float32Array | null = start;
    let iterations = 0, converged = false;
    let basis = new Float32Array(2 * D), norms = new Float32Array(2);
    while (iterations < maxIterations && !converged) {
      const k = Math.min(batch, maxIterations - iterations);
      const encoder = device.createCommandEncoder({ label: `${this.label}.batch` });
      this.encodeIterations(encoder, status, k);
      device.queue.submit([encoder.finish()]);
      iterations += k;
      const [b, n] = await readBuffers(device, [this.basis, this.norms]);
      basis = new Float32Array(b, 0, 2 * D);
      norms = new Float32Array(n, 0, 2);
      if (!norms.every(Number.isFinite)) break;
      if (previous) converged = [0, 1].every((k) => turnedSquared(basis, previous!, k, D) < tolerance);
      previous = basis;
    }
    this.warmBasis = norms.every(Number.isFinite) && norms[1] > 0 ? basis : null;
    const [st, centre] = await readBuffers(device, [status, this.spread.centre]);
    const statuses = new Uint32Array(st, 0, this.count);
    let alive = 0;
    for (const s of statuses) if (s === 0) alive++;
    if (alive < 3 || !norms.every(Number.isFinite) || !(norms[1] >= PCA_MIN_VARIANCE_RATIO * norms[0])) return null;
    const u = new Float32Array(D), v = new Float32Array(D);
    for (let d = 0; d < D; d++) {
      u[d] = basis[2 * d];
      v[d] = basis[2 * d + 1];
    }
    fixSign(u);
    fixSign(v);
    return {
      plane: { origin: new Float32Array(centre, 0, D), u, v },
      variances: [norms[0] / alive, norms[1] / alive],
      iterations, converged, alive,
    };
  }

  destroy(): void {
    this.bound = null;
    this.owned.destroy();
  }
}
