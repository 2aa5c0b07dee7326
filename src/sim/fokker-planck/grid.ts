// One panel's Fokker–Planck density on the GPU: the finite-volume scheme of
// coefficients.ts, with its coefficients built once on the CPU (float64) and
// uploaded as float32. The grid owns the density and the coefficients and
// drives three stages, one job each:
//   EulerStage   (euler-stage.ts)   explicit substeps, the default integrator
//   AdiStage     (adi-stage.ts)     implicit line sweeps, integrator 'adi'
//   MetricsStage (metrics-stage.ts) face currents and the metrics reduction
// CPU twin: reference.ts (FokkerPlanckReference); relaxation to the PDE's own
// stationary density: relax.ts.
//
// Public buffers (read them, never write them while encoding):
//   density  float32 n*n, probability per cell (sums to 1); cell (ix, iy) at
//            iy*n + ix, ix from domain x min to max, iy from y min to max
//   current  vec2f per cell: (J_x on its east face, J_y on its north face),
//            probability per unit time per unit length; written by
//            encodeCurrent / encodeMetrics
//   metrics  the raw sums of encodeMetrics, metricsBytes long (parseMetrics reads them)
import type { ShaderSources } from '../../gpu/shader-compose';
import { SHADER_SOURCES } from '../../gpu/shader-sources';
import { readBuffer } from '../../gpu/buffers';
import { buildStage, OwnedResources } from '../../gpu/stage';
import { chooseDt, gibbsLog, prepare, type FokkerPlanckCoefficients } from './coefficients';
import { initialDensity } from './init';
import { defaultStep, integratorLimit, isInitSpec } from './reference';
import { EulerStage } from './euler-stage';
import { AdiStage } from './adi-stage';
import { MetricsStage } from './metrics-stage';
import type { GridBuffers, GridIntegrator } from './integrator';
import { relaxGridToStationary, type GpuRelaxOptions, type GpuRelaxResult } from './relax';
import type { FokkerPlanckMetrics, FokkerPlanckOptions, GridGeometry, Integrator } from './types';

export { DT_SLOTS } from './euler-stage';
export { ADI_TAU_SLOTS } from './adi-stage';
export type { GpuRelaxOptions, GpuRelaxResult } from './relax';

/** The CPU reference's options (types.ts) plus the GPU's own. */
export interface FokkerPlanckGridOptions extends FokkerPlanckOptions {
  /** substep workgroup size, default [16, 1] (the current kernel uses [16, 16]) */
  workgroup?: [number, number];
  /** cells per substep invocation along y (a column strip), default n/8 clamped to 4..64 */
  rows?: number;
  /** label prefix of every GPU object, default 'FokkerPlanckGrid' */
  label?: string;
  /** WGSL sources (default: the shaders/ catalogue) */
  sources?: ShaderSources;
  /** per cell the index of its basin of attraction (>= basins: none): the metrics then carry the mass per basin */
  basinMap?: Uint32Array;
  /** basins counted in basinMap (at most 16) */
  basins?: number;
}

export class FokkerPlanckGrid {
  readonly label: string;
  readonly device: GPUDevice;
  readonly geometry: GridGeometry;
  readonly n: number;
  /** the step encode() uses (PDE time): an Euler substep or an ADI step */
  readonly dt: number;
  /** largest positivity-preserving Euler substep for this grid (PDE time) */
  readonly dtLimit: number;
  /** largest allowed `dt` for the integrator (dtLimit for Euler, Infinity for ADI) */
  readonly stepLimit: number;
  readonly integrator: Integrator;
  /** scalar temperature for the free energy and the Gibbs reference */
  readonly temperature: number;
  /** the scheme's properties (positive, exactGibbs, limited, addedDiffusion, ...), without its arrays */
  readonly scheme: Omit<FokkerPlanckCoefficients, 'axis' | 'diag' | 'cross'> & { hasDiag: boolean; hasCross: boolean };
  /** loss at cell centres (float64), as used for the coefficients */
  readonly f: Float64Array;
  /** PDE time encoded so far (encode / encodeAdvance add to it) */
  time = 0;

  readonly density: GPUBuffer;
  readonly current: GPUBuffer;
  readonly metrics: GPUBuffer;
  /** bytes of the metrics block (reflected from the WGSL) */
  readonly metricsBytes: number;
  private readonly owned: OwnedResources;
  /** four planes A_east | B_east | A_north | B_north (the kernels read them as SoA) */
  private readonly axis: GPUBuffer;
  /** float32 n*n, the ping-pong twin of density */
  private readonly scratch: GPUBuffer;
  /** diagonal exchange and cross flux coefficients (16-byte placeholders when the scheme has none) */
  private readonly diag: GPUBuffer;
  private readonly xcoef: GPUBuffer;
  private readonly stepper: GridIntegrator;
  private readonly metricsStage: MetricsStage;

  /** Builds the coefficients (CPU, float64), uploads them and compiles the kernels. */
  static async create(device: GPUDevice, options: FokkerPlanckGridOptions): Promise<FokkerPlanckGrid> {
    return buildStage(new FokkerPlanckGrid(device, options), (grid) => grid.compile());
  }

  private constructor(device: GPUDevice, options: FokkerPlanckGridOptions) {
    this.device = device;
    this.label = options.label ?? 'FokkerPlanckGrid';
    const n = options.grid;
    const cells = n * n;
    const maxBinding = device.limits.maxStorageBufferBindingSize;
    if (16 * cells > maxBinding) {
      const most = Math.floor(Math.sqrt(maxBinding / 16));
      throw new Error(`${this.label}: grid ${n} needs ${16 * cells} bytes of coefficients per binding but this GPU binds at most ${maxBinding}; use a grid of at most ${most}`);
    }
    const { geometry, f, coefficients } = prepare(n, options.domain, options.potential, options.diffusion, options.offDiagonal ?? 'limited', 'f32');
    this.geometry = geometry;
    this.n = n;
    this.f = f;
    this.dtLimit = coefficients.dtLimit;
    this.integrator = options.integrator ?? 'euler';
    this.stepLimit = integratorLimit(coefficients, this.integrator, this.label);
    this.dt = options.dt === undefined ? defaultStep(coefficients, this.integrator) : chooseDt(this.stepLimit, options.dt);
    this.temperature = coefficients.temperature;
    const { axis, diag, cross, ...props } = coefficients;
    this.scheme = { ...props, hasDiag: diag !== null, hasCross: cross !== null };

    const initial = isInitSpec(options.initial) ? initialDensity(options.initial, options.domain, n) : options.initial;
    if (initial.length !== cells) throw new Error(`${this.label}: initial density has ${initial.length} values; the grid needs ${n}*${n} = ${cells}`);

    const owned = (this.owned = new OwnedResources(device, this.label));
    const S = GPUBufferUsage.STORAGE;
    const io = S | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.density = owned.buffer('density', 4 * cells, io | GPUBufferUsage.VERTEX, Float32Array.from(initial));
    this.scratch = owned.buffer('scratch', 4 * cells, io);
    const planes = new Float32Array(4 * cells);
    for (let c = 0; c < cells; c++) for (let k = 0; k < 4; k++) planes[k * cells + c] = axis[4 * c + k];
    this.axis = owned.buffer('axis', 16 * cells, S, planes);
    this.diag = owned.buffer('diag', diag ? 8 * cells : 16, S, diag ? (diag as Float32Array) : undefined);
    this.xcoef = owned.buffer('cross', cross ? 8 * cells : 16, S, cross ? (cross as Float32Array) : undefined);

    const sources = options.sources ?? SHADER_SOURCES;
    const buffers: GridBuffers = { density: this.density, scratch: this.scratch, fluxBindings: (input, output) => this.fluxBindings(input, output) };
    const flags = { hasDiag: this.scheme.hasDiag, hasCross: this.scheme.hasCross, limited: this.scheme.limited };
    this.stepper = owned.own(this.integrator === 'adi'
      ? new AdiStage(device, buffers, { label: this.label, coefficients, dt: this.dt, sources })
      : new EulerStage(device, buffers, {
        label: this.label, n, dt: this.dt, scheme: flags, sources,
        // enough workgroups for small grids, long strips for large ones
        workgroup: options.workgroup ?? [16, 1],
        rows: options.rows ?? Math.min(64, Math.max(4, Math.floor(n / 8))),
      }));
    this.metricsStage = owned.own(new MetricsStage(device, buffers, { label: this.label, geometry, f, scheme: flags, sources, basinMap: options.basinMap, basins: options.basins }));
    this.current = this.metricsStage.current;
    this.metrics = this.metricsStage.metrics;
    this.metricsBytes = this.metricsStage.metricsBytes;
    this.setLogStationary(gibbsLog(f, this.temperature));
  }

  private async compile(): Promise<void> {
    await Promise.all([this.stepper.compile(), this.metricsStage.compile()]);
  }

  /** Bindings 1..5 of the flux kernels (diag and cross are placeholders when the scheme has none: they are statically used). */
  private fluxBindings(input: GPUBuffer, output: GPUBuffer): GPUBindGroupEntry[] {
    return [
      { binding: 1, resource: { buffer: input } },
      { binding: 2, resource: { buffer: output } },
      { binding: 3, resource: { buffer: this.axis } },
      { binding: 4, resource: { buffer: this.diag } },
      { binding: 5, resource: { buffer: this.xcoef } },
    ];
  }

  /**
   * Encodes `substeps` steps of `dt` (default this.dt; refused above the
   * integrator's limit): explicit substeps in one compute pass, or ADI steps.
   * The result is in `density`.
   */
  encode(encoder: GPUCommandEncoder, substeps: number, dt: number = this.dt): void {
    if (!Number.isInteger(substeps) || substeps < 0) throw new Error(`${this.label}: substeps ${substeps} must be a whole number >= 0`);
    if (substeps === 0) return;
    if (dt !== this.dt) chooseDt(this.stepLimit, dt);
    this.stepper.encode(encoder, substeps, dt);
    this.time += substeps * dt;
  }

  /**
   * Encodes PDE time t (e.g. a frame's steps * lr) as ceil(t / this.dt) equal
   * substeps of t / that count, so the PDE keeps time with the particles.
   * Returns the number of substeps.
   */
  encodeAdvance(encoder: GPUCommandEncoder, t: number): number {
    if (!(t >= 0) || !Number.isFinite(t)) throw new Error(`${this.label}: advance time ${t} must be a finite number >= 0`);
    const k = Math.ceil(t / this.dt - 1e-9);
    if (k > 0) this.encode(encoder, k, Math.min(t / k, this.dt));
    return k;
  }

  /** Encodes the face currents of the present density into `current`. */
  encodeCurrent(encoder: GPUCommandEncoder): void {
    this.metricsStage.encodeCurrent(encoder);
  }

  /**
   * Encodes the metrics of the present density into `metrics` (also refreshes
   * `current`). `histogram`: u32 particle counts per cell in the density
   * layout, for KL(histogram || p).
   */
  encodeMetrics(encoder: GPUCommandEncoder, histogram?: GPUBuffer): void {
    this.metricsStage.encodeMetrics(encoder, histogram);
  }

  /** Turns the raw sums of `metrics` into FokkerPlanckMetrics. */
  parseMetrics(raw: Float32Array): FokkerPlanckMetrics {
    return MetricsStage.parse(raw, this.temperature, this.metricsStage.basins);
  }

  /** Encodes, submits and reads back the metrics (a metricsBytes readback). */
  async readMetrics(histogram?: GPUBuffer): Promise<FokkerPlanckMetrics> {
    const encoder = this.device.createCommandEncoder({ label: `${this.label}.readMetrics` });
    this.encodeMetrics(encoder, histogram);
    this.device.queue.submit([encoder.finish()]);
    return this.parseMetrics(new Float32Array(await readBuffer(this.device, this.metrics, this.metricsBytes)));
  }

  async readDensity(): Promise<Float32Array> {
    return new Float32Array(await readBuffer(this.device, this.density, 4 * this.n * this.n));
  }

  async readCurrent(): Promise<Float32Array> {
    return new Float32Array(await readBuffer(this.device, this.current, 8 * this.n * this.n));
  }

  /** Replaces the density (probabilities per cell, density layout); PDE time is kept. */
  writeDensity(p: ArrayLike<number>): void {
    if (p.length !== this.n * this.n) throw new Error(`${this.label}: density has ${p.length} values; the grid needs ${this.n * this.n}`);
    this.device.queue.writeBuffer(this.density, 0, Float32Array.from(p));
    this.stepper.resetState();
  }

  /**
   * Sets the stationary density KL(p || stationary) is measured against, as
   * log probabilities per cell (default: the discrete Gibbs exp(-f/T)/Z).
   */
  setLogStationary(logS: ArrayLike<number>): void {
    this.metricsStage.setLogStationary(logS);
  }

  /**
   * The PDE's own long-time solution (for anisotropic or state-dependent D,
   * where exp(-f/T) is not stationary), set as the stationary density for
   * klStationary; relax.ts relaxGridToStationary.
   */
  relaxToStationary(opts: GpuRelaxOptions = {}): Promise<GpuRelaxResult> {
    return relaxGridToStationary(this, opts);
  }

  /**
   * For tests: fills every buffer a kernel writes before reading it
   * (scratch, residScratch, current, partials, metrics) with `word`, so that
   * elements a kernel never wrote stand out.
   */
  fillSentinel(word: number): void {
    for (const b of [this.scratch, ...this.stepper.scratchBuffers, ...this.metricsStage.scratchBuffers]) {
      this.device.queue.writeBuffer(b, 0, new Uint32Array(b.size / 4).fill(word >>> 0));
    }
  }

  /** Destroys the buffers this grid and its stages made (pipelines and bind groups need no destroy). */
  destroy(): void {
    this.owned.destroy();
  }
}
