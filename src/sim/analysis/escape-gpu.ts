// First-passage times of a ParticleSystem's particles out of a basin, on the
// GPU (shaders/analysis_escape.wgsl): encode a check after each chunk of
// steps; the record holds the step of the first check past the exit. Owns its
// buffers and pipeline; reads the system's public `position` buffer.
// CPU reference: escape.ts (escapeTimesCpu).
import type { StructuredView } from 'webgpu-utils';
import { readBuffer } from '../../gpu/buffers';
import { dispatchSize } from '../../gpu/dispatch';
import { composeShader } from '../../gpu/shader-compose';
import { SHADER_SOURCES } from '../../gpu/shader-sources';
import { createShaderModuleChecked } from '../../gpu/shaders';
import { structView, UNIFORM_SLOT_BYTES } from '../../gpu/uniforms';
import type { ParticleSystem } from '../particles/particle-system';
import type { BasinExit } from './escape';

const WORKGROUP = 64;
/** checks one command encoder may hold (uniform slots with dynamic offsets) */
export const ESCAPE_CHECKS_PER_ENCODER = 256;

export interface EscapeRecorderOptions {
  device: GPUDevice;
  system: ParticleSystem;
  exit: BasinExit;
  label?: string;
}

export class EscapeRecorder {
  /** u32 per particle: 0 still inside, else the step of the first check past the exit */
  readonly first: GPUBuffer;
  readonly label: string;
  private readonly uniforms: GPUBuffer;
  private pipeline!: GPUComputePipeline;
  private bind!: GPUBindGroup;
  private view!: StructuredView;
  private slots = new WeakMap<GPUCommandEncoder, number>();

  private constructor(private readonly o: EscapeRecorderOptions) {
    this.label = o.label ?? 'EscapeRecorder';
    const n = o.system.count;
    this.first = o.device.createBuffer({ label: `${this.label}.first`, size: 4 * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    this.uniforms = o.device.createBuffer({ label: `${this.label}.params`, size: ESCAPE_CHECKS_PER_ENCODER * UNIFORM_SLOT_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  }

  static async create(o: EscapeRecorderOptions): Promise<EscapeRecorder> {
    const r = new EscapeRecorder(o);
    try {
      await r.build();
    } catch (e) {
      r.destroy();
      throw e;
    }
    return r;
  }

  private async build(): Promise<void> {
    const { device, system } = this.o;
    const shader = composeShader('analysis_escape.wgsl', SHADER_SOURCES);
    const module = await createShaderModuleChecked(device, shader);
    this.view = structView(shader.code, 'params');
    const layout = device.createBindGroupLayout({
      label: `${this.label}.layout`,
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    this.pipeline = await device.createComputePipelineAsync({
      label: `${this.label}.pipeline`,
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main', constants: { WORKGROUP_SIZE: WORKGROUP } },
    });
    this.bind = device.createBindGroup({
      label: `${this.label}.bind`,
      layout,
      entries: [
        { binding: 0, resource: { buffer: this.uniforms, size: this.view.arrayBuffer.byteLength } },
        { binding: 1, resource: { buffer: system.position } },
        { binding: 2, resource: { buffer: this.first } },
      ],
    });
  }

  /** Clears the record (every particle inside). */
  encodeReset(encoder: GPUCommandEncoder): void {
    encoder.clearBuffer(this.first);
  }

  /** Marks particles past the exit at the system's current step (call after encodeSteps). */
  encodeCheck(encoder: GPUCommandEncoder): void {
    const { device, system, exit } = this.o;
    const slot = this.slots.get(encoder) ?? 0;
    if (slot >= ESCAPE_CHECKS_PER_ENCODER) throw new Error(`${this.label}: more than ${ESCAPE_CHECKS_PER_ENCODER} checks in one command encoder; submit more often`);
    this.slots.set(encoder, slot + 1);
    this.view.set({ count: system.count, step: system.stepsEncoded, saddle: exit.saddle, direction: exit.direction, margin: exit.margin });
    device.queue.writeBuffer(this.uniforms, slot * UNIFORM_SLOT_BYTES, this.view.arrayBuffer);
    const pass = encoder.beginComputePass({ label: `${this.label}.check` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bind, [slot * UNIFORM_SLOT_BYTES]);
    const [gx, gy] = dispatchSize(Math.ceil(system.count / WORKGROUP), device.limits.maxComputeWorkgroupsPerDimension);
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
  }

  async read(): Promise<Uint32Array> {
    return new Uint32Array(await readBuffer(this.o.device, this.first, 4 * this.o.system.count));
  }

  destroy(): void {
    this.first.destroy();
    this.uniforms.destroy();
  }
}
