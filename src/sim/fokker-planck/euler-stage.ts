// The explicit Euler integrator of FokkerPlanckGrid on the GPU: one stencil
// kernel dispatch per substep, ping-pong between (density, resid) and
// (scratch, residScratch), many substeps per compute pass, compensated
// float32 updates (shaders/lib/fokker_planck_step_common.wgsl). Kernels:
// fokker_planck_step_fast.wgsl (axis-only schemes, n % 4 == 0, vectorised),
// fokker_planck_step.wgsl (everything else). CPU twin: stepReference in
// reference.ts.
import type { StructuredView } from 'webgpu-utils';
import { composeShader, type ComposedShader, type ShaderSources } from '../../gpu/shader-compose';
import { OwnedResources } from '../../gpu/stage';
import { structView, UNIFORM_SLOT_BYTES } from '../../gpu/uniforms';
import { fpPipeline } from './kernels';
import type { GridBuffers, GridIntegrator, SchemeFlags } from './integrator';

/** Distinct substep sizes one grid keeps uniform slots for (slot 0 is the default dt). */
export const DT_SLOTS = 16;

export interface EulerStageOptions {
  /** label prefix of the stage's GPU objects (the grid's) */
  label: string;
  n: number;
  /** the default substep (PDE time), kept in uniform slot 0 */
  dt: number;
  scheme: SchemeFlags;
  /** substep workgroup size */
  workgroup: [number, number];
  /** cells per substep invocation along y (a column strip) */
  rows: number;
  sources: ShaderSources;
}

export class EulerStage implements GridIntegrator {
  /** rounding residuals r of the compensated update (the state is density + r) and their ping-pong twin */
  private readonly resid: GPUBuffer;
  private readonly residScratch: GPUBuffer;
  /** DT_SLOTS FpStep uniforms, one per UNIFORM_SLOT_BYTES */
  private readonly dtSlots: GPUBuffer;
  private readonly owned: OwnedResources;
  /** the vectorised axis-only kernel (no cross flux or diagonal exchange, n % 4 == 0) */
  private readonly fast: boolean;
  private readonly shader: ComposedShader;
  /** the WGSL FpStep uniform, packed by reflection */
  private readonly stepView: StructuredView;
  private pipeline!: GPUComputePipeline;
  /** [slot][parity]: parity 0 reads density, writes scratch */
  private stepBinds: ([GPUBindGroup, GPUBindGroup] | undefined)[] = [];
  private slotOfDt = new Map<number, number>();
  private nextSlot = 1;

  constructor(private readonly device: GPUDevice, private readonly grid: GridBuffers, private readonly o: EulerStageOptions) {
    this.owned = new OwnedResources(device, o.label);
    this.fast = !o.scheme.hasCross && !o.scheme.hasDiag && o.n % 4 === 0;
    this.shader = composeShader(this.fast ? 'fokker_planck_step_fast.wgsl' : 'fokker_planck_step.wgsl', o.sources);
    this.stepView = structView(this.shader.code, 'step');
    const io = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const cells = o.n * o.n;
    this.resid = this.owned.buffer('resid', 4 * cells, io);
    this.residScratch = this.owned.buffer('residScratch', 4 * cells, io);
    this.dtSlots = this.owned.buffer('dtSlots', UNIFORM_SLOT_BYTES * DT_SLOTS, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.writeSlot(0, o.dt);
    this.slotOfDt.set(o.dt, 0);
  }

  async compile(): Promise<void> {
    const { n, scheme, workgroup, rows, label } = this.o;
    const wg = { WG_X: workgroup[0], WG_Y: workgroup[1], ROWS: rows };
    const flux = { N: n, HAS_DIAG: scheme.hasDiag ? 1 : 0, HAS_CROSS: scheme.hasCross ? 1 : 0, LIMITED: scheme.limited ? 1 : 0 };
    this.pipeline = await fpPipeline(this.device, `${label}.stepPipeline`, this.shader, this.fast ? { N: n, ...wg } : { ...flux, ...wg });
    this.bindsFor(0);
  }

  /** Encodes `substeps` substeps of `dt` in one compute pass; the result is in `density` (an odd count ends with buffer copies). */
  encode(encoder: GPUCommandEncoder, substeps: number, dt: number): void {
    const { n, workgroup, rows, label } = this.o;
    const binds = this.bindsFor(this.slotFor(dt));
    const pass = encoder.beginComputePass({ label: `${label}.stepPass` });
    pass.setPipeline(this.pipeline);
    const columns = this.fast ? n / 4 : n;
    const gx = Math.ceil(columns / workgroup[0]), gy = Math.ceil(Math.ceil(n / rows) / workgroup[1]);
    for (let s = 0; s < substeps; s++) {
      pass.setBindGroup(0, binds[s & 1]);
      pass.dispatchWorkgroups(gx, gy);
    }
    pass.end();
    if (substeps & 1) {
      encoder.copyBufferToBuffer(this.grid.scratch, 0, this.grid.density, 0, 4 * n * n);
      encoder.copyBufferToBuffer(this.residScratch, 0, this.resid, 0, 4 * n * n);
    }
  }

  /** The density was replaced: its rounding residuals start at 0. */
  resetState(): void {
    this.device.queue.writeBuffer(this.resid, 0, new Float32Array(this.o.n * this.o.n));
  }

  get scratchBuffers(): GPUBuffer[] {
    return [this.residScratch];
  }

  destroy(): void {
    this.owned.destroy();
  }

  private writeSlot(slot: number, dt: number): void {
    this.stepView.set({ dt });
    this.device.queue.writeBuffer(this.dtSlots, slot * UNIFORM_SLOT_BYTES, this.stepView.arrayBuffer);
  }

  /**
   * The uniform slot holding substep `dt`. A new value is written with
   * queue.writeBuffer at once; slots are recycled round-robin, so keep at most
   * DT_SLOTS - 1 distinct non-default substeps between two submits.
   */
  private slotFor(dt: number): number {
    const known = this.slotOfDt.get(dt);
    if (known !== undefined) return known;
    const slot = this.nextSlot;
    this.nextSlot = this.nextSlot + 1 >= DT_SLOTS ? 1 : this.nextSlot + 1;
    for (const [v, s] of this.slotOfDt) if (s === slot) this.slotOfDt.delete(v);
    this.slotOfDt.set(dt, slot);
    this.writeSlot(slot, dt);
    return slot;
  }

  private bindsFor(slot: number): [GPUBindGroup, GPUBindGroup] {
    let binds = this.stepBinds[slot];
    if (!binds) {
      const { density, scratch } = this.grid;
      const layout = this.pipeline.getBindGroupLayout(0);
      const uniform: GPUBindGroupEntry = { binding: 0, resource: { buffer: this.dtSlots, offset: slot * UNIFORM_SLOT_BYTES, size: this.stepView.arrayBuffer.byteLength } };
      const entries = (input: GPUBuffer, output: GPUBuffer, rIn: GPUBuffer, rOut: GPUBuffer) => [
        uniform,
        ...this.grid.fluxBindings(input, output).slice(0, this.fast ? 3 : 5),
        { binding: 6, resource: { buffer: rIn } },
        { binding: 7, resource: { buffer: rOut } },
      ];
      const label = `${this.o.label}.stepBind${slot}`;
      binds = [
        this.device.createBindGroup({ label: `${label}a`, layout, entries: entries(density, scratch, this.resid, this.residScratch) }),
        this.device.createBindGroup({ label: `${label}b`, layout, entries: entries(scratch, density, this.residScratch, this.resid) }),
      ];
      this.stepBinds[slot] = binds;
    }
    return binds;
  }
}
