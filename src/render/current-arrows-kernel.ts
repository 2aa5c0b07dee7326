// The arrow kernel of one panel (shaders/fokker_planck_arrows.wgsl): reads
// the Fokker–Planck grid's density and face currents on the GPU and writes
// the arrow lattice's instance data (probability velocity J/rho per block,
// rho, |J|, shown) and the peak |J| into its own buffers, which the arrow
// layer copies GPU-to-GPU into three.js's storage buffer. CPU twin:
// current-arrows-reference.ts. Pipelines are shared between panels
// (equal grid, lattice and domain give equal constants).
import { composeShader, type ShaderSources } from '../gpu/shader-compose';
import { byShaderPath } from '../gpu/shader-sources';
import { buildStage, OwnedResources } from '../gpu/stage';
import { fpPipeline } from '../sim/fokker-planck/kernels';
import { ARROW_FLOATS, cellSize, type ArrowLattice } from './arrow-lattice';

const WORKGROUP = 64;
/**
 * The kernel's WGSL (it imports nothing), loaded with this module: once
 * shader-sources.ts leaves it out of the page's first load, only here.
 */
const SOURCES = byShaderPath(import.meta.glob('/shaders/fokker_planck_arrows.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>);

export interface CurrentArrowsOptions {
  lattice: ArrowLattice;
  /** arrows with block-mean rho below this (probability per unit area) are hidden */
  rhoMin: number;
  /** f32 probability per cell, n*n */
  density: GPUBuffer;
  /** vec2f per cell (J_x east face, J_y north face), n*n */
  current: GPUBuffer;
  label?: string;
  sources?: ShaderSources;
}

export class CurrentArrowsKernel {
  /** ARROW_FLOATS f32 per arrow: (x, y, v_x, v_y), (rho, |J|, shown, 0) */
  readonly arrows: GPUBuffer;
  /** one f32: max |J| over the shown arrows (16 bytes, the rest 0) */
  readonly peak: GPUBuffer;
  readonly count: number;
  private readonly owned: OwnedResources;
  private bind!: GPUBindGroup;
  private pipeline!: GPUComputePipeline;

  static create(device: GPUDevice, o: CurrentArrowsOptions): Promise<CurrentArrowsKernel> {
    return buildStage(new CurrentArrowsKernel(device, o), (k) => k.compile());
  }

  private constructor(private readonly device: GPUDevice, private readonly o: CurrentArrowsOptions) {
    const { a, n } = o.lattice;
    if (!(a >= 1 && a <= n)) throw new Error(`CurrentArrowsKernel: ${a} arrows per side need a grid of at least as many cells (it has ${n})`);
    this.count = a * a;
    this.owned = new OwnedResources(device, o.label ?? 'CurrentArrowsKernel');
    const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
    this.arrows = this.owned.buffer('arrows', 4 * ARROW_FLOATS * this.count, S | GPUBufferUsage.COPY_DST);
    this.peak = this.owned.buffer('peak', 16, S | GPUBufferUsage.COPY_DST);
  }

  private async compile(): Promise<void> {
    const { lattice: l, rhoMin } = this.o;
    const [hx, hy] = cellSize(l);
    const constants = { N: l.n, A: l.a, HX: hx, HY: hy, X0: l.domain.x[0], Y0: l.domain.y[0], RHO_MIN: rhoMin };
    const shader = composeShader('fokker_planck_arrows.wgsl', this.o.sources ?? SOURCES);
    this.pipeline = await fpPipeline(this.device, 'CurrentArrowsKernel', shader, constants);
    this.bind = this.device.createBindGroup({
      label: `${this.owned.label}.bind`,
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [this.o.density, this.o.current, this.arrows, this.peak].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  /** Encodes the arrows of the grid's present density and current. */
  encode(encoder: GPUCommandEncoder): void {
    encoder.clearBuffer(this.peak);
    const pass = encoder.beginComputePass({ label: 'CurrentArrowsKernel' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bind);
    pass.dispatchWorkgroups(Math.ceil(this.count / WORKGROUP));
    pass.end();
  }

  destroy(): void {
    this.owned.destroy();
  }
}
