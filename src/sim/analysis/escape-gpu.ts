// First-passage times out of a basin on the GPU, two ways:
// - any ParticleSystem panel (any optimizer) records them inside its step
//   kernel every k steps (ParticleSystem.attachExitCheck, particles/exit-check.ts):
//   what the live page's escape watch uses;
// - EscapeRun here (shaders/analysis_escape_step.wgsl) steps plain SGD itself
//   with the particle engine's gradient estimators and random streams, checks
//   the exit after every step and stops a particle at its first passage:
//   exact, and it spends no work on particles that have left.
// EscapeRun owns its buffers and pipelines. CPU reference: escape.ts (escapeTimesCpu).
import type { StructuredView } from 'webgpu-utils';
import { readBuffer } from '../../gpu/buffers';
import { dispatchSize } from '../../gpu/dispatch';
import { composeShader } from '../../gpu/shader-compose';
import { withCachedSurfaceParams } from '../../gpu/shader-sources';
import { createShaderModuleChecked } from '../../gpu/shaders';
import { structView, UNIFORM_SLOT_BYTES } from '../../gpu/uniforms';
import { buildStage, OwnedResources } from '../../gpu/stage';
import type { Vec2 } from '../../model/surface-types';
import { MAX_STEPS_PER_DISPATCH, particleSources } from '../particles/particle-system';
import type { StepConfig } from '../particles/step-config';
import type { SurfaceBinding } from '../surface-binding';
import type { BasinExit } from './escape';

const WORKGROUP = 64;
/** checks one command encoder may hold (uniform slots with dynamic offsets) */
export const ESCAPE_CHECKS_PER_ENCODER = 256;

export interface EscapeRunOptions {
  device: GPUDevice;
  binding: SurfaceBinding;
  count: number;
  seed: number;
  /** random stream (the panel's index) */
  stream: number;
  /** a plain SGD panel's step (momentum 0) */
  step: StepConfig;
  exit: BasinExit;
  /** where every particle starts (the minimum) */
  start: Vec2;
  label?: string;
}

export class EscapeRun {
  readonly position: GPUBuffer;
  /** u32 per particle: 0 inside, else the step count at its first passage */
  readonly first: GPUBuffer;
  /** u32 per particle: 0 alive, else 1 + the step it diverged at */
  readonly status: GPUBuffer;
  readonly label: string;
  /** steps encoded since the last reset */
  stepsEncoded = 0;
  private readonly initial: GPUBuffer;
  private readonly uniforms: GPUBuffer;
  private readonly owned: OwnedResources;
  private pipeline!: GPUComputePipeline;
  private bind!: GPUBindGroup;
  private surfaceBind!: GPUBindGroup;
  private view!: StructuredView;
  private slots = new WeakMap<GPUCommandEncoder, number>();

  private constructor(private readonly o: EscapeRunOptions) {
    this.label = o.label ?? 'EscapeRun';
    if (o.step.optimizer !== 0 || o.step.momentum !== 0) throw new Error(`${this.label}: only plain SGD (momentum 0) is stepped here; watch other optimizers with ParticleSystem.attachExitCheck`);
    if (o.step.estimator === 'minibatch') throw new Error(`${this.label}: minibatch noise is not supported here; use ParticleSystem.attachExitCheck`);
    const { device, count } = o;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const owned = (this.owned = new OwnedResources(device, this.label));
    this.position = owned.buffer('position', 8 * count, usage);
    this.first = owned.buffer('first', 4 * count, usage);
    this.status = owned.buffer('status', 4 * count, usage);
    const init = new Float32Array(2 * count);
    for (let i = 0; i < count; i++) { init[2 * i] = o.start[0]; init[2 * i + 1] = o.start[1]; }
    this.initial = owned.buffer('initial', 8 * count, GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(this.initial, 0, init);
    this.uniforms = owned.buffer('params', ESCAPE_CHECKS_PER_ENCODER * UNIFORM_SLOT_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  static async create(o: EscapeRunOptions): Promise<EscapeRun> {
    return buildStage(new EscapeRun(o), (r) => r.build());
  }

  get count(): number {
    return this.o.count;
  }

  private async build(): Promise<void> {
    const { device, binding, step } = this.o;
    const shader = composeShader('analysis_escape_step.wgsl', withCachedSurfaceParams(particleSources(binding.surface, step.estimator)));
    const module = await createShaderModuleChecked(device, shader);
    this.view = structView(shader.code, 'params');
    const storage = (b: number): GPUBindGroupLayoutEntry => ({ binding: b, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } });
    const layout = device.createBindGroupLayout({
      label: `${this.label}.layout`,
      entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } }, storage(1), storage(2), storage(3)],
    });
    this.pipeline = await device.createComputePipelineAsync({
      label: `${this.label}.pipeline`,
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout, binding.layout] }),
      compute: { module, entryPoint: 'main', constants: { WORKGROUP_SIZE: WORKGROUP } },
    });
    this.bind = device.createBindGroup({
      label: `${this.label}.bind`,
      layout,
      entries: [
        { binding: 0, resource: { buffer: this.uniforms, size: this.view.arrayBuffer.byteLength } },
        { binding: 1, resource: { buffer: this.position } },
        { binding: 2, resource: { buffer: this.first } },
        { binding: 3, resource: { buffer: this.status } },
      ],
    });
    this.surfaceBind = binding.bindGroup(binding.layout);
  }

  /** Every particle back at the start, inside, alive; the step counter to 0. */
  encodeReset(encoder: GPUCommandEncoder): void {
    encoder.copyBufferToBuffer(this.initial, 0, this.position, 0, 8 * this.count);
    encoder.clearBuffer(this.first);
    encoder.clearBuffer(this.status);
    this.stepsEncoded = 0;
  }

  /** Encodes `steps` more steps, fused MAX_STEPS_PER_DISPATCH at a time (submit each encoder before encoding the next). */
  encodeSteps(encoder: GPUCommandEncoder, steps: number): void {
    if (steps <= 0) return;
    const { device, step, seed, stream, exit } = this.o;
    const pass = encoder.beginComputePass({ label: `${this.label}.steps` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(1, this.surfaceBind);
    const [gx, gy] = dispatchSize(Math.ceil(this.count / WORKGROUP), device.limits.maxComputeWorkgroupsPerDimension);
    let left = steps;
    while (left > 0) {
      const k = Math.min(left, MAX_STEPS_PER_DISPATCH);
      const slot = this.slots.get(encoder) ?? 0;
      if (slot >= ESCAPE_CHECKS_PER_ENCODER) throw new Error(`${this.label}: more than ${ESCAPE_CHECKS_PER_ENCODER} dispatches in one command encoder; submit more often`);
      this.slots.set(encoder, slot + 1);
      this.view.set({
        count: this.count, start_step: this.stepsEncoded, steps: k, rng: { seed, stream },
        noise: { scale: step.noiseScale, batch: step.batch, chol: [...step.chol, 0] },
        lr: step.lr, saddle: exit.saddle, direction: exit.direction, margin: exit.margin,
        bound_lo: step.boundLo, bound_hi: step.boundHi,
      });
      device.queue.writeBuffer(this.uniforms, slot * UNIFORM_SLOT_BYTES, this.view.arrayBuffer);
      pass.setBindGroup(0, this.bind, [slot * UNIFORM_SLOT_BYTES]);
      pass.dispatchWorkgroups(gx, gy);
      this.stepsEncoded += k;
      left -= k;
    }
    pass.end();
  }

  async read(): Promise<{ first: Uint32Array; status: Uint32Array }> {
    const { device } = this.o;
    return {
      first: new Uint32Array(await readBuffer(device, this.first, 4 * this.count)),
      status: new Uint32Array(await readBuffer(device, this.status, 4 * this.count)),
    };
  }

  destroy(): void {
    this.owned.destroy();
  }
}
