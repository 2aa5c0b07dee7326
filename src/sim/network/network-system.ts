// One panel's cloud of small MLPs on the GPU: initialisation and K fused
// optimizer steps per dispatch (shaders/network_init.wgsl, network_step.wgsl).
// Owns its parameter, moment and status buffers and its pipelines; the dataset
// (NetworkData) belongs to the caller and is shared by all panels.
// Layout (chosen by measuring on SwiftShader, see shaders/network_step.wgsl): one
// thread per network, which holds its parameters and gradient in private arrays
// for the K steps of a dispatch and works through each minibatch in chunks of 16
// samples with register-tiled small matrix products.
// CPU reference: src/sim/network/reference.ts.
import type { StructuredView } from 'webgpu-utils';
import { composeShader } from '../../gpu/shader-compose';
import { createShaderModuleChecked } from '../../gpu/shaders';
import { layoutKey, sharedComputePipeline } from '../../gpu/pipeline-cache';
import { networkWithVirtual } from '../../gpu/network-shader-sources';
import { dispatchSize } from '../../gpu/dispatch';
import { structView, UNIFORM_SLOT_BYTES } from '../../gpu/uniforms';
import { buildStage, OwnedResources } from '../../gpu/stage';
import { NETWORK_INIT_STREAM, type NetworkInitSpec, type NetworkLayout } from '../../model/network/spec';
import type { NetworkModel } from '../../model/network/model';
import type { NetworkStepConfig } from './step-config';
import type { NetworkData } from './network-data';
import { networkConstants } from './constants';

/** Threads (networks) per workgroup: a warp on a GPU; on SwiftShader small groups spread a few hundred networks over the cores. */
export const NETWORK_WORKGROUP = 32;
/** Dispatches one encoder may hold per system (uniform slots with dynamic offsets). */
const MAX_SLOTS = 256;
/** Most steps fused in one dispatch. */
export const MAX_NETWORK_STEPS_PER_DISPATCH = 256;
/**
 * Multiply-adds one dispatch may do by default (forward + backward = 3 x weights
 * per sample): ~1 s on SwiftShader with 2 cores, ~1 ms on a discrete GPU, so a
 * dispatch stays far from watchdog limits.
 */
export const DISPATCH_WORK_BUDGET = 2 ** 30;
/** Storage buffers the step kernel binds (params, moment1, moment2, status, samples). */
const STEP_STORAGE_BUFFERS = 5;

export interface NetworkSystemOptions {
  device: GPUDevice;
  model: NetworkModel;
  /** the dataset on the GPU, shared by all panels */
  data: NetworkData;
  count: number;
  seed: number;
  /** random stream of this panel (its index, < 256) */
  stream: number;
  step: NetworkStepConfig;
  init: NetworkInitSpec;
  label?: string;
}

/** Bytes of GPU memory one network of this layout takes in a NetworkSystem (params and 2 moments: 3 x D floats; status). */
export function bytesPerNetwork(layout: NetworkLayout): number {
  return 3 * 4 * layout.params + 4;
}

/**
 * The WGSL sources of the network kernels: the catalogue plus the virtual module
 * `network-capacity`, the sizes of the step kernel's private arrays for this
 * architecture (private array sizes must be WGSL constants, not override constants;
 * the architecture already fixes each pipeline).
 */
export function networkSources(layout: NetworkLayout) {
  const hidden = layout.sizes.slice(1, -1);
  return networkWithVirtual({
    'network-capacity': [
      `const PARAM_CAPACITY: u32 = ${layout.params}u;`,
      `const HIDDEN_UNITS: u32 = ${hidden.reduce((a, b) => a + b, 0)}u;`,
      `const WIDEST: u32 = ${Math.max(...hidden)}u;`,
      '',
    ].join('\n'),
  });
}

/** The largest network count whose buffers (count x D floats each) this device can bind. */
export function maxNetworks(device: GPUDevice, layout: NetworkLayout): number {
  const bytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const byBuffer = Math.floor(bytes / (4 * layout.params));
  const byDispatch = NETWORK_WORKGROUP * device.limits.maxComputeWorkgroupsPerDimension ** 2;
  return Math.min(byBuffer, byDispatch);
}

/** Steps per dispatch that keep one dispatch within DISPATCH_WORK_BUDGET multiply-adds (at least 1). */
export function defaultStepsPerDispatch(count: number, layout: NetworkLayout, step: NetworkStepConfig, nTrain: number): number {
  const samples = step.estimator === 'full' ? nTrain : step.batch;
  const perStep = count * samples * 3 * layout.weights;
  return Math.max(1, Math.min(MAX_NETWORK_STEPS_PER_DISPATCH, Math.floor(DISPATCH_WORK_BUDGET / perStep)));
}

export class NetworkSystem {
  /** count x D f32, network p's parameters at p * D (layout: src/model/network/spec.ts networkLayout) */
  readonly params: GPUBuffer;
  /** count x D f32: momentum / Adam first moment */
  readonly moment1: GPUBuffer;
  /** count x D f32: Adam second moment */
  readonly moment2: GPUBuffer;
  /** u32 per network: 0 alive, else 1 + the step it diverged at */
  readonly status: GPUBuffer;
  /** optimizer steps encoded so far (the next step's global index k) */
  stepsEncoded = 0;
  /** steps fused per dispatch when encodeSteps is not told */
  readonly stepsPerDispatch: number;
  readonly layout: NetworkLayout;
  readonly label: string;

  private stepPipeline!: GPUComputePipeline;
  private initPipeline!: GPUComputePipeline;
  private stepBind!: GPUBindGroup;
  private initBind!: GPUBindGroup;
  private stepView!: StructuredView;
  private initView!: StructuredView;
  private readonly stepUniforms: GPUBuffer;
  private readonly initUniform: GPUBuffer;
  private slotsUsed = new WeakMap<GPUCommandEncoder, number>();
  private readonly device: GPUDevice;
  private readonly owned: OwnedResources;

  private constructor(readonly options: NetworkSystemOptions) {
    const { device, count, model, data, step } = options;
    this.device = device;
    this.label = options.label ?? 'NetworkSystem';
    this.layout = model.layout;
    const D = this.layout.params;
    if (!Number.isInteger(count) || count < 1) throw new Error(`${this.label}: count ${count} must be a positive integer`);
    const most = maxNetworks(device, this.layout);
    if (count > most) {
      throw new Error(
        `${this.label}: ${count} networks of ${D} parameters need ${4 * D * count} bytes per buffer but this GPU binds at most ` +
          `${Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize)}; use at most ${most} networks or narrower layers`,
      );
    }
    if (device.limits.maxStorageBuffersPerShaderStage < STEP_STORAGE_BUFFERS) {
      throw new Error(`${this.label}: the step kernel binds ${STEP_STORAGE_BUFFERS} storage buffers but this GPU allows ${device.limits.maxStorageBuffersPerShaderStage} per stage`);
    }
    if (step.estimator === 'minibatch' && (!Number.isInteger(step.batch) || step.batch < 1)) {
      throw new Error(`${this.label}: minibatch size ${step.batch} must be a positive integer`);
    }
    if (data.nTrain < 1) throw new Error(`${this.label}: the dataset has no training samples; lower testFraction`);
    if (options.stream < 0 || options.stream > 255) throw new Error(`${this.label}: stream ${options.stream} must be a panel index in 0..255`);
    this.stepsPerDispatch = defaultStepsPerDispatch(count, this.layout, step, data.nTrain);
    const bytes = 4 * D * count;
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const owned = (this.owned = new OwnedResources(device, this.label));
    this.params = owned.buffer('params', bytes, storage);
    this.moment1 = owned.buffer('moment1', bytes, storage);
    this.moment2 = owned.buffer('moment2', bytes, storage);
    this.status = owned.buffer('status', 4 * count, storage);
    this.stepUniforms = owned.buffer('stepUniforms', MAX_SLOTS * UNIFORM_SLOT_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.initUniform = owned.buffer('initUniform', UNIFORM_SLOT_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(options: NetworkSystemOptions): Promise<NetworkSystem> {
    return buildStage(new NetworkSystem(options), (sys) => sys.build());
  }

  get count(): number {
    return this.options.count;
  }

  private async build(): Promise<void> {
    const { device, model, step, data } = this.options;
    const entry = (binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } });
    const stateEntries = [1, 2, 3, 4].map((b) => entry(b, 'storage'));
    const stepLayoutDesc: GPUBindGroupLayoutDescriptor = {
      label: `${this.label}.stepLayout`,
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } },
        ...stateEntries, entry(5, 'read-only-storage'),
      ],
    };
    const initLayoutDesc: GPUBindGroupLayoutDescriptor = { label: `${this.label}.initLayout`, entries: [entry(0, 'uniform'), ...stateEntries] };
    const stepLayout = device.createBindGroupLayout(stepLayoutDesc);
    const initLayout = device.createBindGroupLayout(initLayoutDesc);
    const sources = networkSources(model.layout);
    const stepShader = composeShader('network_step.wgsl', sources);
    const initShader = composeShader('network_init.wgsl', sources);
    this.stepView = structView(stepShader.code, 'cfg');
    this.initView = structView(initShader.code, 'cfg');
    const constants = { ...networkConstants(model.layout, model.activation), WORKGROUP_SIZE: NETWORK_WORKGROUP };
    const stepConstants = { ...constants, OPTIMIZER: step.optimizer, FULL_BATCH: step.estimator === 'full' ? 1 : 0, NOISE: step.noiseScale !== 0 ? 1 : 0 };
    // panels with the same architecture (and step kind) share these (src/gpu/pipeline-cache.ts);
    // compiled in turn: Chromium's GPU process compiles one pipeline at a time anyway
    this.stepPipeline = await sharedComputePipeline(device, { code: stepShader.code, constants: stepConstants, layout: layoutKey(stepLayoutDesc) }, async () =>
      device.createComputePipelineAsync({
        label: `${this.label}.stepPipeline`,
        layout: device.createPipelineLayout({ bindGroupLayouts: [stepLayout] }),
        compute: { module: await createShaderModuleChecked(device, stepShader), entryPoint: 'main', constants: stepConstants },
      }));
    this.initPipeline = await sharedComputePipeline(device, { code: initShader.code, constants, layout: layoutKey(initLayoutDesc) }, async () =>
      device.createComputePipelineAsync({
        label: `${this.label}.initPipeline`,
        layout: device.createPipelineLayout({ bindGroupLayouts: [initLayout] }),
        compute: { module: await createShaderModuleChecked(device, initShader), entryPoint: 'main', constants },
      }));
    const bound = (binding: number, buffer: GPUBuffer) => ({ binding, resource: { buffer } });
    const state = [this.params, this.moment1, this.moment2, this.status].map((b, j) => bound(j + 1, b));
    this.stepBind = device.createBindGroup({
      label: `${this.label}.stepBind`,
      layout: stepLayout,
      entries: [{ binding: 0, resource: { buffer: this.stepUniforms, size: this.stepView.arrayBuffer.byteLength } }, ...state, bound(5, data.samples)],
    });
    this.initBind = device.createBindGroup({ label: `${this.label}.initBind`, layout: initLayout, entries: [bound(0, this.initUniform), ...state] });
  }

  private dispatch(pass: GPUComputePassEncoder, threads: number): void {
    const [gx, gy] = dispatchSize(Math.ceil(threads / NETWORK_WORKGROUP), this.device.limits.maxComputeWorkgroupsPerDimension);
    pass.dispatchWorkgroups(gx, gy);
  }

  /** Draws the initial networks and resets moments, status and the step counter. */
  encodeInit(encoder: GPUCommandEncoder): void {
    const { init, seed } = this.options;
    this.initView.set({ count: this.count, seed, stream: NETWORK_INIT_STREAM, share: init.kind === 'shared' ? 1 : 0 });
    this.device.queue.writeBuffer(this.initUniform, 0, this.initView.arrayBuffer);
    const pass = encoder.beginComputePass({ label: `${this.label}.init` });
    pass.setPipeline(this.initPipeline);
    pass.setBindGroup(0, this.initBind);
    this.dispatch(pass, this.count * Math.ceil(this.layout.params / 4));
    pass.end();
    this.stepsEncoded = 0;
  }

  /** Encodes `steps` optimizer steps, `perDispatch` (default stepsPerDispatch) fused per dispatch. */
  encodeSteps(encoder: GPUCommandEncoder, steps: number, perDispatch = this.stepsPerDispatch): void {
    if (steps <= 0) return;
    if (!Number.isInteger(perDispatch) || perDispatch < 1) throw new Error(`${this.label}: perDispatch ${perDispatch} must be a positive integer`);
    const { step, seed, stream, data } = this.options;
    const pass = encoder.beginComputePass({ label: `${this.label}.steps` });
    pass.setPipeline(this.stepPipeline);
    let left = steps;
    while (left > 0) {
      const k = Math.min(left, perDispatch);
      const slot = this.slotsUsed.get(encoder) ?? 0;
      if (slot >= MAX_SLOTS) {
        pass.end();
        throw new Error(`${this.label}: more than ${MAX_SLOTS} step dispatches in one command encoder; submit more often or fuse more steps per dispatch`);
      }
      this.slotsUsed.set(encoder, slot + 1);
      this.stepView.set({
        count: this.count,
        start_step: this.stepsEncoded,
        steps: k,
        seed, stream,
        batch: step.batch,
        n_train: data.nTrain,
        lr: step.lr, momentum: step.momentum, beta1: step.beta1, beta2: step.beta2, eps: step.eps,
        noise_scale: step.noiseScale,
        weight_decay: step.weightDecay,
      });
      this.device.queue.writeBuffer(this.stepUniforms, slot * UNIFORM_SLOT_BYTES, this.stepView.arrayBuffer);
      pass.setBindGroup(0, this.stepBind, [slot * UNIFORM_SLOT_BYTES]);
      this.dispatch(pass, this.count);
      this.stepsEncoded += k;
      left -= k;
    }
    pass.end();
  }

  destroy(): void {
    this.owned.destroy();
  }
}
