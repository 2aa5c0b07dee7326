// One panel's cloud of SGD particles on the GPU: initialisation and K fused
// optimizer steps per dispatch. Owns its buffers and pipelines; the surface's
// bind group (params, dataset) belongs to the caller's SurfaceBinding.
import type { StructuredView } from 'webgpu-utils';
import { composeShader } from '../../gpu/shader-compose';
import { createShaderModuleChecked } from '../../gpu/shaders';
import { layoutKey, sharedComputePipeline } from '../../gpu/pipeline-cache';
import { withCachedSurfaceParams, withVirtual } from '../../gpu/shader-sources';
import { dispatchSize } from '../../gpu/dispatch';
import { structView, UNIFORM_SLOT_BYTES } from '../../gpu/uniforms';
import { buildStage, OwnedResources } from '../../gpu/stage';
import type { Surface } from '../../model/surface-types';
import type { SurfaceBinding } from '../surface-binding';
import { ExitCheck, exitLayout, type ExitCheckOptions } from './exit-check';
import { INIT_STREAM, type GradientEstimator, type InitConfig, type StepConfig } from './step-config';

export const PARTICLE_WORKGROUP = 64;
/** Dispatches one encoder may hold per system (uniform slots with dynamic offsets). */
const MAX_SLOTS = 256;
/** Most steps fused in one dispatch (keeps each dispatch well under GPU watchdog limits). */
export const MAX_STEPS_PER_DISPATCH = 256;

export interface ParticleSystemOptions {
  device: GPUDevice;
  /** the surface and its group(1) bind group (params, dataset), shared by all panels */
  binding: SurfaceBinding;
  count: number;
  seed: number;
  /** random stream of this panel (its index) */
  stream: number;
  step: StepConfig;
  init: InitConfig;
  label?: string;
}

/**
 * The WGSL sources of the particle kernels for this surface and gradient
 * estimator; `exitCheck` makes the step kernel record first passages
 * (shaders/lib/exit_check_on.wgsl, bind group 2).
 */
export function particleSources(surface: Surface, estimator: GradientEstimator, exitCheck = false) {
  return withVirtual({
    ...surface.wgslSources,
    surface: `// @import ${surface.wgslModule}`,
    'gradient-estimator': `// @import lib/gradient/${estimator}.wgsl`,
    'exit-check': `// @import lib/exit_check_${exitCheck ? 'on' : 'off'}.wgsl`,
  });
}

export class ParticleSystem {
  readonly position: GPUBuffer;
  readonly moment1: GPUBuffer;
  readonly moment2: GPUBuffer;
  /** u32 per particle: 0 alive, else 1 + the step it diverged at */
  readonly status: GPUBuffer;
  /** optimizer steps encoded so far (the next step's global index k) */
  stepsEncoded = 0;

  private stepPipeline!: GPUComputePipeline;
  /** the step kernel with the first-passage record (compiled when a check is first attached) */
  private exitStepPipeline: GPUComputePipeline | null = null;
  /** the first-passage record the step kernel keeps, or null */
  private exitCheck: ExitCheck | null = null;
  private stepLayout!: GPUBindGroupLayout;
  private stepLayoutDesc!: GPUBindGroupLayoutDescriptor;
  private initPipeline!: GPUComputePipeline;
  private stepBind!: GPUBindGroup;
  private initBind!: GPUBindGroup;
  private surfaceBind!: GPUBindGroup;
  private stepView!: StructuredView;
  private initView!: StructuredView;
  private readonly stepUniforms: GPUBuffer;
  private readonly initUniform: GPUBuffer;
  private slotsUsed = new WeakMap<GPUCommandEncoder, number>();
  private readonly device: GPUDevice;
  private readonly owned: OwnedResources;
  readonly label: string;

  private constructor(readonly options: ParticleSystemOptions) {
    const { device, count } = options;
    this.device = device;
    this.label = options.label ?? 'ParticleSystem';
    const vec2Bytes = 8 * count;
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const need = vec2Bytes;
    if (need > device.limits.maxStorageBufferBindingSize) {
      throw new Error(
        `${this.label}: ${count} particles need ${need} bytes per buffer but this GPU binds at most ` +
          `${device.limits.maxStorageBufferBindingSize}; use at most ${maxParticles(device)} particles`,
      );
    }
    const owned = (this.owned = new OwnedResources(device, this.label));
    this.position = owned.buffer('position', vec2Bytes, storage | GPUBufferUsage.VERTEX);
    this.moment1 = owned.buffer('moment1', vec2Bytes, storage);
    this.moment2 = owned.buffer('moment2', vec2Bytes, storage);
    this.status = owned.buffer('status', 4 * count, storage);
    this.stepUniforms = owned.buffer('stepUniforms', MAX_SLOTS * UNIFORM_SLOT_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.initUniform = owned.buffer('initUniform', UNIFORM_SLOT_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(options: ParticleSystemOptions): Promise<ParticleSystem> {
    return buildStage(new ParticleSystem(options), (sys) => sys.build());
  }

  get count(): number {
    return this.options.count;
  }

  private async build(): Promise<void> {
    const { device, binding, step } = this.options;
    const surface = binding.surface;
    const sources = particleSources(surface, step.estimator);
    const storageEntry = (binding: number): GPUBindGroupLayoutEntry => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } });
    const stateEntries = [1, 2, 3, 4].map(storageEntry);
    const stepLayoutDesc: GPUBindGroupLayoutDescriptor = {
      label: `${this.label}.stepLayout`,
      entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } }, ...stateEntries],
    };
    const initLayoutDesc: GPUBindGroupLayoutDescriptor = {
      label: `${this.label}.initLayout`,
      entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } }, ...stateEntries],
    };
    const stepLayout = device.createBindGroupLayout(stepLayoutDesc);
    const initLayout = device.createBindGroupLayout(initLayoutDesc);
    const initShader = composeShader('particles_init.wgsl', sources);
    this.initView = structView(initShader.code, 'params');
    this.stepLayout = stepLayout;
    this.stepLayoutDesc = stepLayoutDesc;
    this.stepPipeline = await this.compileStep(false);
    const constants = { WORKGROUP_SIZE: PARTICLE_WORKGROUP };
    this.initPipeline = await sharedComputePipeline(device, { code: initShader.code, constants, layout: layoutKey(initLayoutDesc) }, async () =>
      device.createComputePipelineAsync({
        label: `${this.label}.initPipeline`,
        layout: device.createPipelineLayout({ bindGroupLayouts: [initLayout] }),
        compute: { module: await createShaderModuleChecked(device, initShader), entryPoint: 'main', constants },
      }));
    const state = [this.position, this.moment1, this.moment2, this.status].map((buffer, j) => ({ binding: j + 1, resource: { buffer } }));
    this.stepBind = device.createBindGroup({
      label: `${this.label}.stepBind`,
      layout: stepLayout,
      entries: [{ binding: 0, resource: { buffer: this.stepUniforms, size: this.stepView.arrayBuffer.byteLength } }, ...state],
    });
    this.initBind = device.createBindGroup({ label: `${this.label}.initBind`, layout: initLayout, entries: [{ binding: 0, resource: { buffer: this.initUniform } }, ...state] });
    this.surfaceBind = binding.bindGroup(binding.layout);
  }

  /**
   * The step kernel, with or without the first-passage record. Panels with the
   * same surface, estimator and optimizer share it (src/gpu/pipeline-cache.ts).
   */
  private async compileStep(exitCheck: boolean): Promise<GPUComputePipeline> {
    const { device, binding, step } = this.options;
    // the step loop reads the surface's parameters from a private copy (see the module)
    const shader = composeShader('particles_step.wgsl', withCachedSurfaceParams(particleSources(binding.surface, step.estimator, exitCheck)));
    this.stepView ??= structView(shader.code, 'params');
    const constants = { WORKGROUP_SIZE: PARTICLE_WORKGROUP, OPTIMIZER: step.optimizer };
    const groups = exitCheck ? [this.stepLayout, binding.layout, device.createBindGroupLayout(exitLayout())] : [this.stepLayout, binding.layout];
    const layout = layoutKey(this.stepLayoutDesc) + `|surface dataset ${binding.dataset !== null}` + (exitCheck ? `|${layoutKey(exitLayout())}` : '');
    return sharedComputePipeline(device, { code: shader.code, constants, layout }, async () =>
      device.createComputePipelineAsync({
        label: `${this.label}.stepPipeline${exitCheck ? '+exit' : ''}`,
        layout: device.createPipelineLayout({ bindGroupLayouts: groups }),
        compute: { module: await createShaderModuleChecked(device, shader), entryPoint: 'main', constants },
      }));
  }

  /**
   * Makes the step kernel record each particle's first passage over an exit
   * line, checked every `every` steps inside the fused loop, in place of any
   * check attached before (whose owner still destroys it: its buffer stays
   * valid, no longer written). The record starts empty and is cleared when the
   * cloud is placed (encodeInit). Give it back with detachExitCheck.
   */
  async attachExitCheck(o: ExitCheckOptions): Promise<ExitCheck> {
    this.exitStepPipeline ??= await this.compileStep(true);
    const check = ExitCheck.create(this.device, this.count, o, `${this.label}.exitCheck`);
    this.exitCheck = check;
    return check;
  }

  /** Stops recording into `check` (a check replaced since is left alone) and destroys it. */
  detachExitCheck(check: ExitCheck): void {
    if (this.exitCheck === check) this.exitCheck = null;
    check.destroy();
  }

  private dispatch(pass: GPUComputePassEncoder): void {
    const [gx, gy] = dispatchSize(Math.ceil(this.count / PARTICLE_WORKGROUP), this.device.limits.maxComputeWorkgroupsPerDimension);
    pass.dispatchWorkgroups(gx, gy);
  }

  /** Places the initial cloud and resets moments, flags and the step counter. */
  encodeInit(encoder: GPUCommandEncoder): void {
    const { init, seed } = this.options;
    this.initView.set({ count: this.count, rng: { seed, stream: INIT_STREAM }, kind: init.kind, center: init.center, spread: init.std, lo: init.lo, hi: init.hi });
    this.device.queue.writeBuffer(this.initUniform, 0, this.initView.arrayBuffer);
    const pass = encoder.beginComputePass({ label: `${this.label}.init` });
    pass.setPipeline(this.initPipeline);
    pass.setBindGroup(0, this.initBind);
    this.dispatch(pass);
    pass.end();
    if (this.exitCheck) encoder.clearBuffer(this.exitCheck.first);
    this.stepsEncoded = 0;
  }

  /** Encodes `steps` optimizer steps, fused MAX_STEPS_PER_DISPATCH at a time. */
  encodeSteps(encoder: GPUCommandEncoder, steps: number, perDispatch = MAX_STEPS_PER_DISPATCH): void {
    if (steps <= 0) return;
    const { step, seed, stream } = this.options;
    const pass = encoder.beginComputePass({ label: `${this.label}.steps` });
    const check = this.exitCheck;
    pass.setPipeline(check ? this.exitStepPipeline! : this.stepPipeline);
    pass.setBindGroup(1, this.surfaceBind);
    if (check) pass.setBindGroup(2, check.bindGroup);
    let left = steps;
    while (left > 0) {
      const k = Math.min(left, perDispatch);
      const slot = this.slotsUsed.get(encoder) ?? 0;
      if (slot >= MAX_SLOTS) throw new Error(`${this.label}: more than ${MAX_SLOTS} step dispatches in one command encoder; submit more often`);
      this.slotsUsed.set(encoder, slot + 1);
      this.stepView.set({
        count: this.count,
        start_step: this.stepsEncoded,
        steps: k,
        rng: { seed, stream },
        noise: { scale: step.noiseScale, batch: step.batch, chol: [...step.chol, 0] },
        lr: step.lr, momentum: step.momentum, beta1: step.beta1, beta2: step.beta2, eps: step.eps,
        bound_lo: step.boundLo, bound_hi: step.boundHi,
      });
      this.device.queue.writeBuffer(this.stepUniforms, slot * UNIFORM_SLOT_BYTES, this.stepView.arrayBuffer);
      pass.setBindGroup(0, this.stepBind, [slot * UNIFORM_SLOT_BYTES]);
      this.dispatch(pass);
      this.stepsEncoded += k;
      left -= k;
    }
    pass.end();
  }

  destroy(): void {
    // an attached check belongs to whoever attached it
    this.exitCheck = null;
    this.owned.destroy();
  }
}

/** The most particles one panel can hold on this device (8 bytes per particle per buffer). */
export function maxParticles(device: GPUDevice): number {
  return Math.floor(Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize) / 8);
}
