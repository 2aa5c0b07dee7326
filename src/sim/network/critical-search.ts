// The critical-point search on the GPU (shaders/network_critical.wgsl): from
// `count` starts at once, one thread each, Levenberg–Marquardt on grad L = 0 in
// float32 with exact Hessians (R-operator columns), one iteration per dispatch.
// Its float32 points are polished and classified in float64 on the CPU
// (critical-points.ts polishCriticalPoints). CPU reference of the kernel:
// solveCriticalPoint(..., { hessian: 'exact' }).
import { buildStage, OwnedResources } from '../../gpu/stage';
import { readBuffers } from '../../gpu/buffers';
import type { NetworkArchitecture } from './evaluation';
import type { NetworkData } from './network-data';
import { networkConstants } from './constants';
import { networkSources } from './network-system';
import { bindBuffers, dispatchThreads, NAN_BITS, viewKernels, writeConfig } from './view-kernels';

export const CRITICAL_WORKGROUP = 32;
/** u32 words of a start's CriticalState in the kernel */
const STATE_WORDS = 8;

/** A start's outcome: 0 still searching (out of iterations), 1 converged, 2 stalled, 3 not finite. */
export const CRITICAL_STATUS = ['searching', 'converged', 'stalled', 'not finite'] as const;

export interface CriticalSearchSettings {
  /** LM iterations at most (one dispatch each) */
  iterations: number;
  /** |grad L| below which a point has converged (loss units per parameter unit); float32 reaches ~1e-7 */
  tolerance: number;
  /** mu increases per iteration before a point counts as stalled (as the CPU solver: 30) */
  maxTries: number;
}

export const DEFAULT_CRITICAL_SEARCH: CriticalSearchSettings = { iterations: 60, tolerance: 1e-6, maxTries: 30 };

export interface CriticalSearchResult {
  /** count x D: each start's final point */
  points: Float32Array;
  /** per start: |grad L| at its point, L there (nats, weight decay included), LM iterations, status index into CRITICAL_STATUS */
  gradientNorm: Float32Array;
  loss: Float32Array;
  iterations: Uint32Array;
  status: Uint32Array;
}

export interface CriticalSearchOptions {
  device: GPUDevice;
  model: NetworkArchitecture;
  data: NetworkData;
  count: number;
  weightDecay: number;
  settings?: CriticalSearchSettings;
  label?: string;
}

/** Floats of scratch per start: H (then the Cholesky factor) and H^2. */
export const criticalScratchFloats = (D: number): number => 2 * D * D;

export class NetworkCriticalSearch {
  readonly count: number;
  readonly settings: CriticalSearchSettings;
  readonly label: string;
  /** count x D f32: the starts (written by run), then the current points */
  readonly points: GPUBuffer;
  readonly grads: GPUBuffer;
  readonly state: GPUBuffer;
  private readonly scratch: GPUBuffer;
  private readonly configBuf: GPUBuffer;
  private readonly owned: OwnedResources;
  private pipelines!: { start: GPUComputePipeline; iterate: GPUComputePipeline };
  private bind!: GPUBindGroup;

  private constructor(private readonly options: CriticalSearchOptions) {
    const { device, count, model, data } = options;
    this.label = options.label ?? 'NetworkCriticalSearch';
    this.count = count;
    const settings = (this.settings = options.settings ?? DEFAULT_CRITICAL_SEARCH);
    if (!Number.isInteger(count) || count < 1) throw new Error(`${this.label}: count ${count} must be a positive integer`);
    if (!Number.isInteger(settings.iterations) || settings.iterations < 1) throw new Error(`${this.label}: iterations ${settings.iterations} must be a positive integer`);
    if (data.nTrain < 1) throw new Error(`${this.label}: the dataset has no training samples`);
    const D = model.layout.params;
    const scratchBytes = 4 * criticalScratchFloats(D) * count;
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    if (scratchBytes > limit) {
      throw new Error(`${this.label}: ${count} starts of ${D} parameters need ${(scratchBytes / 2 ** 20).toFixed(1)} MiB of Hessian scratch; this adapter binds at most ${(limit / 2 ** 20).toFixed(0)} MiB (at most ${Math.floor(limit / (4 * criticalScratchFloats(D)))} starts)`);
    }
    this.owned = new OwnedResources(device, this.label);
    const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.points = this.owned.buffer('points', 4 * D * count, S);
    this.grads = this.owned.buffer('grads', 4 * D * count, S);
    this.scratch = this.owned.buffer('scratch', scratchBytes, GPUBufferUsage.STORAGE);
    this.state = this.owned.buffer('state', 4 * STATE_WORDS * count, S);
    this.configBuf = this.owned.buffer('config', 256, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(options: CriticalSearchOptions): Promise<NetworkCriticalSearch> {
    return buildStage(new NetworkCriticalSearch(options), (s) => s.build());
  }

  private async build(): Promise<void> {
    const { device, model, data, count, weightDecay } = this.options;
    const constants = { ...networkConstants(model.layout, model.activation), WG: CRITICAL_WORKGROUP };
    const k = await viewKernels(device, this.label, 'network_critical.wgsl', ['start', 'iterate'], ['uniform', 'read', 'storage', 'storage', 'storage', 'storage'], constants, networkSources(model.layout));
    this.pipelines = k.pipelines;
    writeConfig(device, k.cfg, this.configBuf, {
      count, n_train: data.nTrain, weight_decay: weightDecay, tolerance: this.settings.tolerance, max_tries: this.settings.maxTries, nan_bits: NAN_BITS,
    });
    this.bind = bindBuffers(device, `${this.label}.bind`, k.layout, [this.configBuf, data.samples, this.points, this.grads, this.scratch, this.state]);
  }

  /** Encodes the search from the starts now in `points`: the start pass, then `iterations` LM iterations (one dispatch each). */
  encode(encoder: GPUCommandEncoder, iterations = this.settings.iterations): void {
    const pass = encoder.beginComputePass({ label: `${this.label}.search` });
    pass.setBindGroup(0, this.bind);
    pass.setPipeline(this.pipelines.start);
    dispatchThreads(pass, this.options.device, this.count, CRITICAL_WORKGROUP);
    pass.setPipeline(this.pipelines.iterate);
    for (let i = 0; i < iterations; i++) dispatchThreads(pass, this.options.device, this.count, CRITICAL_WORKGROUP);
    pass.end();
  }

  /** Searches from `starts` (count x D, any float values) and reads every start's outcome back. */
  async run(starts: ArrayLike<number>, iterations = this.settings.iterations): Promise<CriticalSearchResult> {
    const { device, model } = this.options;
    const D = model.layout.params;
    if (starts.length !== this.count * D) throw new Error(`${this.label}: ${starts.length} start values for ${this.count} starts of ${D} parameters`);
    device.queue.writeBuffer(this.points, 0, Float32Array.from(starts));
    const enc = device.createCommandEncoder({ label: `${this.label}.run` });
    this.encode(enc, iterations);
    device.queue.submit([enc.finish()]);
    const [points, state] = await readBuffers(device, [this.points, this.state]);
    const words = new Uint32Array(state), floats = new Float32Array(state);
    const pick = <T extends Uint32Array | Float32Array>(make: (n: number) => T, from: Uint32Array | Float32Array, word: number) => {
      const out = make(this.count);
      for (let p = 0; p < this.count; p++) out[p] = from[STATE_WORDS * p + word];
      return out;
    };
    return {
      points: new Float32Array(points),
      status: pick((n) => new Uint32Array(n), words, 0),
      iterations: pick((n) => new Uint32Array(n), words, 1),
      gradientNorm: pick((n) => new Float32Array(n), floats, 3),
      loss: pick((n) => new Float32Array(n), floats, 4),
    };
  }

  destroy(): void {
    this.owned.destroy();
  }
}
