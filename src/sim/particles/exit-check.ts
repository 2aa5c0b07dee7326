// The first-passage record a ParticleSystem's step kernel keeps while an
// escape watch is attached (shaders/lib/exit_check_on.wgsl, bind group 2):
// one u32 per particle, 0 until the first check (every `every` steps, inside
// the fused loop) that finds the particle past the exit line, then that
// step count. Owns the record and its parameters; the system decides when the
// kernel uses it (ParticleSystem.attachExitCheck).
import { SHADER_SOURCES } from '../../gpu/shader-sources';
import { structView } from '../../gpu/uniforms';
import { OwnedResources } from '../../gpu/stage';
import type { Vec2 } from '../../model/surface-types';

/** A half-plane exit: out once (x - saddle) . direction > margin (length units). */
export interface ExitLine {
  saddle: Vec2;
  /** unit vector pointing out of the basin */
  direction: Vec2;
  margin: number;
}

export interface ExitCheckOptions {
  exit: ExitLine;
  /** steps between checks (>= 1): checks at step counts every, 2·every, ... */
  every: number;
}

/** Bind group 2 of the step kernel with the record (see exit_check_on.wgsl); a function: GPUShaderStage exists only once WebGPU is set up (Node under Dawn). */
export function exitLayout(): GPUBindGroupLayoutDescriptor {
  return {
    label: 'ExitCheck.layout',
    entries: [
      { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
      { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
    ],
  };
}

/** Most steps between checks (a u32 in the kernel; a scenario's analysis.escape.every stays below MAX_STEPS). */
const MAX_EXIT_CHECK_EVERY = 0xffffffff;

export class ExitCheck {
  /** u32 per particle: 0 not yet out at any check, else the step count of the first check past the exit */
  readonly first: GPUBuffer;
  readonly bindGroup: GPUBindGroup;
  private readonly owned: OwnedResources;

  private constructor(device: GPUDevice, count: number, readonly options: ExitCheckOptions, label: string) {
    const { exit, every } = options;
    if (!Number.isInteger(every) || every < 1 || every > MAX_EXIT_CHECK_EVERY) throw new Error(`${label}: every must be an integer from 1 to ${MAX_EXIT_CHECK_EVERY} (steps between checks), got ${every}`);
    this.owned = new OwnedResources(device, label);
    const view = structView(SHADER_SOURCES['lib/exit_check_on.wgsl'], 'exit_params');
    view.set({ every, saddle: exit.saddle, direction: exit.direction, margin: exit.margin });
    const params = this.owned.buffer('params', view.arrayBuffer.byteLength, GPUBufferUsage.UNIFORM, new Uint8Array(view.arrayBuffer));
    this.first = this.owned.buffer('first', 4 * count, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
    this.bindGroup = device.createBindGroup({
      label: `${label}.bind`,
      layout: device.createBindGroupLayout(exitLayout()),
      entries: [{ binding: 0, resource: { buffer: params } }, { binding: 1, resource: { buffer: this.first } }],
    });
  }

  static create(device: GPUDevice, count: number, options: ExitCheckOptions, label = 'ExitCheck'): ExitCheck {
    return new ExitCheck(device, count, options, label);
  }

  get every(): number {
    return this.options.every;
  }

  destroy(): void {
    this.owned.destroy();
  }
}
