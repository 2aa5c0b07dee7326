// The ADI integrator of FokkerPlanckGrid on the GPU: per step an x sweep
// (density -> scratch) and a y sweep (scratch -> density), both
// shaders/fokker_planck_adi.wgsl, with the LU factors of adi.ts built on the
// CPU (float64) per step size and uploaded as float32. CPU twin: adiStep.
import { composeShader, type ShaderSources } from '../../gpu/shader-compose';
import { OwnedResources } from '../../gpu/stage';
import { adiFactors } from './adi';
import type { FokkerPlanckCoefficients } from './coefficients';
import { fpPipeline } from './kernels';
import type { GridBuffers, GridIntegrator } from './integrator';

/** Distinct ADI steps one grid keeps LU factors for on the GPU (each 24 bytes per cell). */
export const ADI_TAU_SLOTS = 2;
/** line solves per workgroup (one invocation per grid line) */
const ADI_WG = 64;

export interface AdiStageOptions {
  /** label prefix of the stage's GPU objects (the grid's) */
  label: string;
  /** the scheme (float32 values), factored anew for each step size */
  coefficients: FokkerPlanckCoefficients;
  /** the default step (PDE time), factored at compile time */
  dt: number;
  sources: ShaderSources;
}

export class AdiStage implements GridIntegrator {
  private readonly owned: OwnedResources;
  private readonly n: number;
  /** [tau slot]: LU factors of the x and y line systems */
  private readonly factorBuffers: [GPUBuffer, GPUBuffer][] = [];
  private pipelines?: [GPUComputePipeline, GPUComputePipeline];
  /** [tau slot]: x sweep density -> scratch, y sweep scratch -> density */
  private binds: [GPUBindGroup, GPUBindGroup][] = [];
  private slotOfTau = new Map<number, number>();
  private nextTauSlot = 0;

  constructor(private readonly device: GPUDevice, private readonly grid: GridBuffers, private readonly o: AdiStageOptions) {
    this.owned = new OwnedResources(device, o.label);
    this.n = o.coefficients.geometry.n;
    const cells = this.n * this.n;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    for (let k = 0; k < ADI_TAU_SLOTS; k++) {
      this.factorBuffers.push([this.owned.buffer(`adiFactorsX${k}`, 12 * cells, usage), this.owned.buffer(`adiFactorsY${k}`, 12 * cells, usage)]);
    }
  }

  async compile(): Promise<void> {
    const shader = composeShader('fokker_planck_adi.wgsl', this.o.sources);
    const sweep = (axis: 0 | 1, field: string) => fpPipeline(this.device, `${this.o.label}.${field}`, shader, { N: this.n, AXIS: axis, WG: ADI_WG });
    const x = await sweep(0, 'adiXPipeline');
    this.pipelines = [x, await sweep(1, 'adiYPipeline')];
    this.tauSlotFor(this.o.dt);
  }

  encode(encoder: GPUCommandEncoder, steps: number, tau: number): void {
    const [bx, by] = this.binds[this.tauSlotFor(tau)];
    const [px, py] = this.pipelines!;
    const groups = Math.ceil(this.n / ADI_WG);
    const pass = encoder.beginComputePass({ label: `${this.o.label}.adiPass` });
    for (let k = 0; k < steps; k++) {
      pass.setPipeline(px);
      pass.setBindGroup(0, bx);
      pass.dispatchWorkgroups(groups);
      pass.setPipeline(py);
      pass.setBindGroup(0, by);
      pass.dispatchWorkgroups(groups);
    }
    pass.end();
  }

  /** ADI carries nothing between steps but the density itself. */
  resetState(): void {}

  get scratchBuffers(): GPUBuffer[] {
    return [];
  }

  destroy(): void {
    this.owned.destroy();
  }

  /**
   * The LU-factor slot for ADI step tau: a new tau is factored on the CPU
   * (float64, O(n^2)) and uploaded at once; slots are recycled round-robin,
   * so keep at most ADI_TAU_SLOTS distinct steps between two submits.
   */
  private tauSlotFor(tau: number): number {
    const known = this.slotOfTau.get(tau);
    if (known !== undefined) return known;
    const slot = this.nextTauSlot;
    this.nextTauSlot = (this.nextTauSlot + 1) % ADI_TAU_SLOTS;
    for (const [v, s] of this.slotOfTau) if (s === slot) this.slotOfTau.delete(v);
    this.slotOfTau.set(tau, slot);
    const f = adiFactors(this.o.coefficients, tau, 'f32');
    const [fx, fy] = this.factorBuffers[slot];
    this.device.queue.writeBuffer(fx, 0, f.x as Float32Array<ArrayBuffer>);
    this.device.queue.writeBuffer(fy, 0, f.y as Float32Array<ArrayBuffer>);
    if (!this.binds[slot]) {
      const [px, py] = this.pipelines!;
      const bind = (pipe: GPUComputePipeline, input: GPUBuffer, output: GPUBuffer, factor: GPUBuffer, axis: string) => this.device.createBindGroup({
        label: `${this.o.label}.adiBind${axis}${slot}`,
        layout: pipe.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: input } }, { binding: 1, resource: { buffer: output } }, { binding: 2, resource: { buffer: factor } }],
      });
      const { density, scratch } = this.grid;
      this.binds[slot] = [bind(px, density, scratch, fx, 'X'), bind(py, scratch, density, fy, 'Y')];
    }
    return slot;
  }
}
