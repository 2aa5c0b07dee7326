// Sharpness of every network of a cloud on the GPU (shaders/network_hvp.wgsl):
// lambda_max of the Hessian of the full training loss (mean BCE over the
// training split + lambda/2 |W|^2) by power iteration, shifted when the
// eigenvalue of largest magnitude is negative, and tr H by Hutchinson's
// estimator with its standard error, all on exact Hessian-vector products
// (R-operator). One thread per network; the products are spread over as many
// dispatches as keep each within DISPATCH_WORK_BUDGET multiply-adds.
// Cost: at most 2 P + M products (P + M when lambda_1 >= 0), each about 8
// multiply-adds per weight per training sample (a full-batch gradient takes 3).
// CPU reference: src/sim/network/sharpness-reference.ts.
import { buildStage, OwnedResources } from '../../gpu/stage';
import { NETWORK_SHARPNESS_STREAM, POWER_START_PROBE } from '../../model/network/spec';
import type { NetworkArchitecture } from './evaluation';
import type { NetworkData } from './network-data';
import { networkConstants } from './constants';
import { DISPATCH_WORK_BUDGET, networkSources } from './network-system';
import { DEFAULT_SHARPNESS_SETTINGS, type SharpnessSettings } from './sharpness-reference';
import { bindBuffers, dispatchThreads, NAN_BITS, viewKernels, writeConfig } from './view-kernels';

export const SHARPNESS_WORKGROUP = 32;
/** Floats per network in `perParticle`: lambda_max, trace, trace standard error, residual. */
export const SHARPNESS_COLUMNS = 4;
/** Multiply-adds of one Hessian-vector product per weight and training sample (R-forward 3, products 2, R-backward 3). */
export const HVP_WORK_PER_WEIGHT = 8;
/** u32 words of a network's SharpState in the kernel. */
const STATE_WORDS = 8;

export interface NetworkSharpnessOptions {
  device: GPUDevice;
  model: NetworkArchitecture;
  /** the dataset on the GPU (its training split defines the loss) */
  data: NetworkData;
  /** count x D f32, network p's parameters at p * D */
  params: GPUBuffer;
  /** u32 per network, 0 alive (others get NaN) */
  status: GPUBuffer;
  count: number;
  seed: number;
  /** the panel (part of the probes' counter) */
  panel: number;
  /** lambda of the loss's L2 term (weights only) */
  weightDecay: number;
  settings?: SharpnessSettings;
  /** Hessian-vector products per thread per dispatch (default: as many as DISPATCH_WORK_BUDGET allows); results do not depend on it */
  productsPerDispatch?: number;
  label?: string;
}

export class NetworkSharpness {
  /**
   * count x 4 f32 per network: lambda_max (a Rayleigh quotient, so a lower bound that the
   * power iteration raises towards the top eigenvalue), Hutchinson's trace, its standard
   * error, and the residual |H v - lambda_max v| of the unit vector v (all in loss units per
   * weight^2); NaN for diverged networks.
   */
  readonly perParticle: GPUBuffer;
  /** count x D f32: each network's last power-iteration vector (unit norm), an estimate of the top eigenvector */
  readonly vectors: GPUBuffer;
  /** count x 8 words: the kernel's SharpState per network (tests read `shift`, word 1) */
  readonly state: GPUBuffer;
  readonly count: number;
  readonly settings: SharpnessSettings;
  /** products per thread per dispatch, and dispatches per encode */
  readonly budget: number;
  readonly dispatches: number;
  /** multiply-adds of one full encode at most (2 P + M products per network) */
  readonly work: number;
  readonly label: string;
  private readonly device: GPUDevice;
  private readonly owned: OwnedResources;
  private readonly configBuf: GPUBuffer;
  private pipeline!: GPUComputePipeline;
  private bind!: GPUBindGroup;

  private constructor(private readonly options: NetworkSharpnessOptions) {
    const { device, count, params, status, data, model } = options;
    this.device = device;
    this.count = count;
    this.label = options.label ?? 'NetworkSharpness';
    const settings = (this.settings = options.settings ?? DEFAULT_SHARPNESS_SETTINGS);
    if (!Number.isInteger(count) || count < 1) throw new Error(`${this.label}: count ${count} must be a positive integer`);
    if (!Number.isInteger(settings.iterations) || settings.iterations < 1) throw new Error(`${this.label}: iterations ${settings.iterations} must be a positive integer`);
    if (!Number.isInteger(settings.probes) || settings.probes < 0) throw new Error(`${this.label}: probes ${settings.probes} must be a non-negative integer`);
    const D = model.layout.params;
    if (params.size < 4 * D * count) throw new Error(`${this.label}: the params buffer holds ${params.size} bytes but ${count} networks of ${D} parameters need ${4 * D * count}`);
    if (status.size < 4 * count) throw new Error(`${this.label}: the status buffer holds ${status.size} bytes, ${count} networks need ${4 * count}`);
    if (data.nTrain < 1) throw new Error(`${this.label}: the dataset has no training samples`);
    const perProduct = count * data.nTrain * HVP_WORK_PER_WEIGHT * model.layout.weights;
    const slots = 2 * settings.iterations + settings.probes;
    const byWork = Math.floor(DISPATCH_WORK_BUDGET / perProduct);
    this.budget = Math.max(1, Math.min(slots, options.productsPerDispatch ?? byWork));
    this.dispatches = Math.ceil(slots / this.budget);
    this.work = slots * perProduct;
    this.owned = new OwnedResources(device, this.label);
    const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.perParticle = this.owned.buffer('perParticle', 4 * SHARPNESS_COLUMNS * count, S);
    this.vectors = this.owned.buffer('vectors', 4 * D * count, S);
    this.state = this.owned.buffer('state', 4 * STATE_WORDS * count, S);
    this.configBuf = this.owned.buffer('config', 256, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(options: NetworkSharpnessOptions): Promise<NetworkSharpness> {
    return buildStage(new NetworkSharpness(options), (s) => s.build());
  }

  private async build(): Promise<void> {
    const { device, model, data, params, status, count, seed, panel, weightDecay } = this.options;
    const constants = { ...networkConstants(model.layout, model.activation), WG: SHARPNESS_WORKGROUP };
    const k = await viewKernels(device, this.label, 'network_hvp.wgsl', ['main'], ['uniform', 'read', 'read', 'read', 'storage', 'storage', 'storage'], constants, networkSources(model.layout));
    this.pipeline = k.pipelines.main;
    writeConfig(device, k.cfg, this.configBuf, {
      count, n_train: data.nTrain, seed, stream: NETWORK_SHARPNESS_STREAM, panel,
      iterations: this.settings.iterations, probes: this.settings.probes, budget: this.budget,
      weight_decay: weightDecay, nan_bits: NAN_BITS, start_probe: POWER_START_PROBE,
    });
    this.bind = bindBuffers(device, `${this.label}.bind`, k.layout, [
      this.configBuf, { buffer: params, size: 4 * model.layout.params * count }, data.samples, { buffer: status, size: 4 * count },
      this.vectors, this.state, this.perParticle,
    ]);
  }

  /** Estimates every network's sharpness from the parameters the queue holds when this runs (restarts from scratch each time). */
  encode(encoder: GPUCommandEncoder): void {
    encoder.clearBuffer(this.state);
    const pass = encoder.beginComputePass({ label: `${this.label}.sharpness` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bind);
    for (let i = 0; i < this.dispatches; i++) dispatchThreads(pass, this.device, this.count, SHARPNESS_WORKGROUP);
    pass.end();
  }

  destroy(): void {
    this.owned.destroy();
  }
}
