// Every network of a cloud evaluated on the whole training and test splits on
// the GPU (shaders/network_evaluate.wgsl): mean binary cross-entropy (nats, no
// weight-decay term) and accuracy per network. Also the loss of arbitrary
// parameter vectors: the plane landscape runs it on a scratch buffer of grid
// points. CPU reference: src/model/network/mlp.ts evaluateNetwork.
import { buildStage, OwnedResources } from '../../gpu/stage';
import type { Activation, NetworkLayout } from '../../model/network/spec';
import type { NetworkData } from './network-data';
import { networkConstants } from './constants';
import { bindBuffers, dispatchThreads, NAN_BITS, viewKernels, writeConfig } from './view-kernels';

export const EVALUATION_WORKGROUP = 64;
/** Samples per thread of the first pass (a fixed chunking: the same vector gets the same bits in any buffer). */
export const EVALUATION_CHUNK = 64;
/** Floats per network in `perParticle`: train loss, train accuracy, test loss, test accuracy. */
export const EVALUATION_COLUMNS = 4;

/** The architecture of the networks evaluated (a NetworkModel will do). */
export interface NetworkArchitecture {
  layout: NetworkLayout;
  activation: Activation;
}

export interface NetworkEvaluationOptions {
  device: GPUDevice;
  model: NetworkArchitecture;
  /** the dataset on the GPU */
  data: NetworkData;
  /** count x D f32, network p's parameters at p * D */
  params: GPUBuffer;
  count: number;
  /** false: the training split only (test columns NaN), as the landscape needs; default true */
  test?: boolean;
  label?: string;
}

export class NetworkEvaluation {
  /**
   * count x 4 f32 per network: train loss, train accuracy, test loss, test accuracy
   * (losses: mean BCE in nats without weight decay; accuracies 0..1; NaN test values
   * when nTest = 0 or the test split is not evaluated).
   */
  readonly perParticle: GPUBuffer;
  readonly count: number;
  readonly label: string;
  /** multiply-adds of one full encode (every network on every evaluated sample, weights only) */
  readonly work: number;
  private readonly device: GPUDevice;
  private readonly owned: OwnedResources;
  /** sample chunks per network (train, then test) */
  private readonly chunks: number;
  /** the EvalConfig uniform's values */
  private readonly cfg: Record<string, number>;
  private readonly configBuf: GPUBuffer;
  private readonly partials: GPUBuffer;
  private sums!: GPUComputePipeline;
  private finalise!: GPUComputePipeline;
  private bind!: GPUBindGroup;

  private constructor(private readonly options: NetworkEvaluationOptions) {
    const { device, count, data, params, model } = options;
    this.device = device;
    this.count = count;
    this.label = options.label ?? 'NetworkEvaluation';
    if (!Number.isInteger(count) || count < 1) throw new Error(`${this.label}: count ${count} must be a positive integer`);
    const D = model.layout.params;
    if (params.size < 4 * D * count) {
      throw new Error(`${this.label}: the params buffer holds ${params.size} bytes but ${count} networks of ${D} parameters need ${4 * D * count}`);
    }
    const nTest = options.test === false ? 0 : data.nTest;
    const chunksTrain = Math.ceil(data.nTrain / EVALUATION_CHUNK);
    const chunksTest = Math.ceil(nTest / EVALUATION_CHUNK);
    this.chunks = chunksTrain + chunksTest;
    this.work = count * (data.nTrain + nTest) * model.layout.weights;
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    if (8 * this.chunks * count > limit) {
      throw new Error(`${this.label}: ${count} networks x ${this.chunks} sample chunks need ${8 * this.chunks * count} bytes of partial sums but this GPU binds at most ${limit}; evaluate fewer networks at a time`);
    }
    this.cfg = { count, chunks_train: chunksTrain, chunks_test: chunksTest, n_train: data.nTrain, n_test: nTest, nan_bits: NAN_BITS };
    this.owned = new OwnedResources(device, this.label);
    const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.perParticle = this.owned.buffer('perParticle', 4 * EVALUATION_COLUMNS * count, S);
    this.partials = this.owned.buffer('partials', 8 * this.chunks * count, GPUBufferUsage.STORAGE);
    this.configBuf = this.owned.buffer('config', 256, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(options: NetworkEvaluationOptions): Promise<NetworkEvaluation> {
    return buildStage(new NetworkEvaluation(options), (s) => s.build());
  }

  private async build(): Promise<void> {
    const { device, model, data, params } = this.options;
    const constants = { ...networkConstants(model.layout, model.activation), WG: EVALUATION_WORKGROUP, CHUNK: EVALUATION_CHUNK };
    const k = await viewKernels(device, this.label, 'network_evaluate.wgsl', ['partial_sums', 'finalise'], ['uniform', 'read', 'read', 'storage', 'storage'], constants);
    this.sums = k.pipelines.partial_sums;
    this.finalise = k.pipelines.finalise;
    writeConfig(device, k.cfg, this.configBuf, this.cfg);
    this.bind = bindBuffers(device, `${this.label}.bind`, k.layout, [
      this.configBuf, { buffer: params, size: 4 * model.layout.params * this.count }, data.samples, this.partials, this.perParticle,
    ]);
  }

  /**
   * Evaluates networks 0 .. networks-1 (default all) into perParticle; rows
   * past `networks` may be overwritten with values of whatever the params
   * buffer holds there (the last workgroup runs to its end).
   */
  encode(encoder: GPUCommandEncoder, networks = this.count): void {
    const n = Math.min(this.count, Math.max(0, Math.floor(networks)));
    if (n === 0) return;
    const pass = encoder.beginComputePass({ label: `${this.label}.evaluate` });
    pass.setBindGroup(0, this.bind);
    pass.setPipeline(this.sums);
    dispatchThreads(pass, this.device, n * this.chunks, EVALUATION_WORKGROUP);
    pass.setPipeline(this.finalise);
    dispatchThreads(pass, this.device, n, EVALUATION_WORKGROUP);
    pass.end();
  }

  destroy(): void {
    this.owned.destroy();
  }
}
