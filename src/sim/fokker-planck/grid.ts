// One panel's Fokker–Planck density on the GPU: the finite-volume scheme of
// coefficients.ts, with its coefficients built once on the CPU (float64) and
// uploaded as float32; explicit Euler substeps (one stencil kernel per
// substep, ping-pong buffers, many substeps per compute pass, compensated
// float32 updates) or the ADI option (adi.ts: two implicit line sweeps per
// step); face currents; metrics by a two-pass reduction with a 48-byte
// readback. CPU twin: reference.ts (FokkerPlanckReference).
//
// Kernels: fokker_planck_step_fast.wgsl (axis-only schemes, n % 4 == 0,
// vectorised), fokker_planck_step.wgsl (everything else), fokker_planck_adi.wgsl,
// fokker_planck_current.wgsl, fokker_planck_reduce(_final).wgsl.
//
// Public buffers (read them, never write them while encoding):
//   density  float32 n*n, probability per cell (sums to 1); cell (ix, iy) at
//            iy*n + ix, ix from domain x min to max, iy from y min to max
//   current  vec2f per cell: (J_x on its east face, J_y on its north face),
//            probability per unit time per unit length; written by
//            encodeCurrent / encodeMetrics
//   metrics  3 vec4f, the raw sums of encodeMetrics (parseMetrics reads them)
import { composeShader, type ShaderSources } from '../../gpu/shader-compose';
import { createShaderModuleChecked } from '../../gpu/shaders';
import { sharedComputePipeline } from '../../gpu/pipeline-cache';
import { SHADER_SOURCES } from '../../gpu/shader-sources';
import { readBuffer } from '../../gpu/buffers';
import type { Surface } from '../../model/surface-types';
import { chooseDt, gibbsLog, prepare, type FokkerPlanckCoefficients } from './coefficients';
import { initialDensity } from './init';
import { defaultStep, integratorLimit, isInitSpec } from './reference';
import { adiFactors } from './adi';
import type { DiffusionSpec, Domain, FokkerPlanckMetrics, GridGeometry, InitSpec, Integrator, OffDiagonalScheme } from './types';

/** Byte layout of WGSL struct FpStep (shaders/fokker_planck_step.wgsl): one dt slot. */
export const FP_STEP_LAYOUT = { size: 16, fields: { dt: 0, _pad0: 4, _pad1: 8, _pad2: 12 } } as const;
/** Byte layout of WGSL struct FpMetricsParams (shaders/fokker_planck_reduce.wgsl). */
export const FP_METRICS_PARAMS_LAYOUT = { size: 16, fields: { has_hist: 0, _pad0: 4, _pad1: 8, _pad2: 12 } } as const;

/** Distinct substep sizes one grid keeps uniform slots for (slot 0 is the default dt). */
export const DT_SLOTS = 16;
/** Distinct ADI steps one grid keeps LU factors for on the GPU (each 24 bytes per cell). */
export const ADI_TAU_SLOTS = 2;
const SLOT_BYTES = 256; // minUniformBufferOffsetAlignment
const RED_WG = 256;
/** Cells each reduction invocation sums at least (fewer workgroups, shorter pass 2). */
const CELLS_PER_THREAD = 16;
const MAX_PARTIALS = 1024;

export interface FokkerPlanckGridOptions {
  /** cells per side (64..2048 in the lab; any n >= 2 works) */
  grid: number;
  domain: Domain;
  /** loss at cell centres (n*n, density layout) or a Surface, sampled at cell centres with its TS `value` */
  potential: ArrayLike<number> | Surface;
  diffusion: DiffusionSpec;
  /** initial probabilities per cell (n*n) or a particle init */
  initial: ArrayLike<number> | InitSpec;
  /**
   * step in PDE time: the Euler substep (default 0.9 of the stable limit,
   * refused above it) or the ADI step (default 25 Euler limits; any size)
   */
  dt?: number;
  /** 'euler' (default) or 'adi' (implicit line sweeps, diagonal D only); see types.ts and adi.ts */
  integrator?: Integrator;
  offDiagonal?: OffDiagonalScheme;
  /** substep workgroup size, default [16, 1] (the current kernel uses [16, 16]) */
  workgroup?: [number, number];
  /** cells per substep invocation along y (a column strip), default n/8 clamped to 4..64 */
  rows?: number;
  /** label prefix of every GPU object, default 'FokkerPlanckGrid' */
  label?: string;
  /** WGSL sources (default: the shaders/ catalogue) */
  sources?: ShaderSources;
}

export interface GpuRelaxOptions {
  /** stop when sum|p' - p| / (PDE time of a chunk) drops below this (1/time); default 1e-5 (float32 noise is ~1e-6) */
  tol?: number;
  /** PDE time budget; default 1000 */
  maxTime?: number;
  /** PDE time between convergence checks; default 1 */
  chunkTime?: number;
  /** start from the current density (default) or the discrete Gibbs density */
  start?: 'current' | 'gibbs';
}

export interface GpuRelaxResult {
  /** log of the stationary probabilities (float64 of the float32 result; -Infinity where p <= 0) */
  logStationary: Float64Array;
  time: number;
  residual: number;
  converged: boolean;
}

export class FokkerPlanckGrid {
  readonly label: string;
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

  private readonly device: GPUDevice;
  private readonly scratch: GPUBuffer;
  /** rounding residuals r of the compensated update (the state is density + r) and their ping-pong twin */
  private readonly resid: GPUBuffer;
  private readonly residScratch: GPUBuffer;
  private readonly axis: GPUBuffer;
  private readonly diag: GPUBuffer;
  private readonly xcoef: GPUBuffer;
  private readonly loss: GPUBuffer;
  private readonly stationary: GPUBuffer;
  private readonly partials: GPUBuffer;
  private readonly dtSlots: GPUBuffer;
  private readonly histDummy: GPUBuffer;
  private readonly paramsNoHist: GPUBuffer;
  private readonly paramsHist: GPUBuffer;
  private readonly owned: GPUBuffer[] = [];
  // ADI only: the coefficients (float32 values, to factor new steps), LU factors per step slot, sweeps
  private adiCoefficients?: FokkerPlanckCoefficients;
  private adiFactorBuffers: [GPUBuffer, GPUBuffer][] = [];
  private adiPipelines?: [GPUComputePipeline, GPUComputePipeline];
  /** [tau slot]: x sweep density -> scratch, y sweep scratch -> density */
  private adiBinds: [GPUBindGroup, GPUBindGroup][] = [];
  private slotOfTau = new Map<number, number>();
  private nextTauSlot = 0;
  private readonly partialCount: number;
  private readonly wg: [number, number];
  private readonly rows: number;
  /** the vectorised axis-only kernel (no cross flux or diagonal exchange, n % 4 == 0) */
  private fast = false;

  private stepPipeline!: GPUComputePipeline;
  private currentPipeline!: GPUComputePipeline;
  private reducePipeline!: GPUComputePipeline;
  private finalPipeline!: GPUComputePipeline;
  private currentBind!: GPUBindGroup;
  private finalBind!: GPUBindGroup;
  private reduceBinds = new WeakMap<GPUBuffer, GPUBindGroup>();
  private reduceBindNoHist!: GPUBindGroup;
  /** [slot][parity]: parity 0 reads density, writes scratch */
  private stepBinds: ([GPUBindGroup, GPUBindGroup] | undefined)[] = [];
  private slotOfDt = new Map<number, number>();
  private nextSlot = 1;

  /** Builds the coefficients (CPU, float64), uploads them and compiles the kernels. */
  static async create(device: GPUDevice, options: FokkerPlanckGridOptions): Promise<FokkerPlanckGrid> {
    const grid = new FokkerPlanckGrid(device, options);
    try {
      await grid.compile(options);
    } catch (e) {
      grid.destroy();
      throw e;
    }
    return grid;
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
    this.adiCoefficients = this.integrator === 'adi' ? coefficients : undefined;
    this.temperature = coefficients.temperature;
    const { axis, diag, cross, ...props } = coefficients;
    this.scheme = { ...props, hasDiag: diag !== null, hasCross: cross !== null };
    // enough workgroups for small grids, long strips for large ones
    this.wg = options.workgroup ?? [16, 1];
    this.rows = options.rows ?? Math.min(64, Math.max(4, Math.floor(n / 8)));

    const initial = isInitSpec(options.initial) ? initialDensity(options.initial, options.domain, n) : options.initial;
    if (initial.length !== cells) throw new Error(`${this.label}: initial density has ${initial.length} values; the grid needs ${n}*${n} = ${cells}`);

    const S = GPUBufferUsage.STORAGE;
    const make = (field: string, size: number, usage: GPUBufferUsageFlags, data?: ArrayBufferView) => {
      const buf = device.createBuffer({ label: `${this.label}.${field}`, size: Math.max(16, Math.ceil(size / 4) * 4), usage, mappedAtCreation: data !== undefined });
      if (data) {
        new Uint8Array(buf.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        buf.unmap();
      }
      this.owned.push(buf);
      return buf;
    };
    const io = S | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.density = make('density', 4 * cells, io | GPUBufferUsage.VERTEX, Float32Array.from(initial));
    this.scratch = make('scratch', 4 * cells, io);
    this.resid = make('resid', 4 * cells, io);
    this.residScratch = make('residScratch', 4 * cells, io);
    // four planes A_east | B_east | A_north | B_north (the kernels read them as SoA)
    const planes = new Float32Array(4 * cells);
    for (let c = 0; c < cells; c++) for (let k = 0; k < 4; k++) planes[k * cells + c] = axis[4 * c + k];
    this.axis = make('axis', 16 * cells, S, planes);
    this.diag = make('diag', diag ? 8 * cells : 16, S, diag ? (diag as Float32Array) : undefined);
    this.xcoef = make('cross', cross ? 8 * cells : 16, S, cross ? (cross as Float32Array) : undefined);
    this.loss = make('loss', 4 * cells, S, Float32Array.from(f));
    this.stationary = make('stationary', 8 * cells, S | GPUBufferUsage.COPY_DST);
    this.current = make('current', 8 * cells, io | GPUBufferUsage.VERTEX);
    this.partialCount = Math.min(MAX_PARTIALS, Math.max(1, Math.ceil(cells / (RED_WG * CELLS_PER_THREAD))));
    this.partials = make('partials', 48 * this.partialCount, S | GPUBufferUsage.COPY_DST);
    this.metrics = make('metrics', 48, io);
    this.dtSlots = make('dtSlots', SLOT_BYTES * DT_SLOTS, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.histDummy = make('histDummy', 16, S);
    if (this.integrator === 'adi') {
      for (let k = 0; k < ADI_TAU_SLOTS; k++) this.adiFactorBuffers.push([make(`adiFactorsX${k}`, 12 * cells, S | GPUBufferUsage.COPY_DST), make(`adiFactorsY${k}`, 12 * cells, S | GPUBufferUsage.COPY_DST)]);
    }
    this.paramsNoHist = make('metricsParams', 16, GPUBufferUsage.UNIFORM, Uint32Array.of(0, 0, 0, 0));
    this.paramsHist = make('metricsParamsHist', 16, GPUBufferUsage.UNIFORM, Uint32Array.of(1, 0, 0, 0));
    device.queue.writeBuffer(this.dtSlots, 0, Float32Array.of(this.dt, 0, 0, 0));
    this.slotOfDt.set(this.dt, 0);
    this.setLogStationary(gibbsLog(f, this.temperature));
  }

  private async compile(options: FokkerPlanckGridOptions): Promise<void> {
    const sources = options.sources ?? SHADER_SOURCES;
    const { hx, hy } = this.geometry;
    const flux = { N: this.n, HAS_DIAG: this.scheme.hasDiag ? 1 : 0, HAS_CROSS: this.scheme.hasCross ? 1 : 0, LIMITED: this.scheme.limited ? 1 : 0 };
    const wg = { WG_X: this.wg[0], WG_Y: this.wg[1] };
    const wgCurrent = { WG_X: 16, WG_Y: 16 };
    const pipeline = (field: string, entry: string, constants: Record<string, number>) =>
      {
        const shader = composeShader(entry, sources);
        return sharedComputePipeline(this.device, { code: shader.code, constants, layout: 'auto' }, async () => {
          const module = await createShaderModuleChecked(this.device, shader);
          return this.device.createComputePipelineAsync({ label: `${this.label}.${field}`, layout: 'auto', compute: { module, entryPoint: 'main', constants } });
        });
      };
    this.fast = !this.scheme.hasCross && !this.scheme.hasDiag && this.n % 4 === 0;
    const adi = this.integrator === 'adi';
    [this.stepPipeline, this.currentPipeline, this.reducePipeline, this.finalPipeline] = await Promise.all([
      adi
        ? pipeline('adiXPipeline', 'fokker_planck_adi.wgsl', { N: this.n, AXIS: 0, WG: 64 })
        : this.fast
          ? pipeline('stepPipeline', 'fokker_planck_step_fast.wgsl', { N: this.n, ...wg, ROWS: this.rows })
          : pipeline('stepPipeline', 'fokker_planck_step.wgsl', { ...flux, ...wg, ROWS: this.rows }),
      pipeline('currentPipeline', 'fokker_planck_current.wgsl', { ...flux, ...wgCurrent, HX: hx, HY: hy }),
      pipeline('reducePipeline', 'fokker_planck_reduce.wgsl', { N: this.n, HX: hx, HY: hy, LOG_AREA: Math.log(hx * hy), RED_WG }),
      pipeline('finalPipeline', 'fokker_planck_reduce_final.wgsl', { PARTIALS: this.partialCount, RED_WG }),
    ]);
    this.currentBind = this.device.createBindGroup({
      label: `${this.label}.currentBind`,
      layout: this.currentPipeline.getBindGroupLayout(0),
      entries: this.fluxBindings(this.density, this.current),
    });
    this.finalBind = this.device.createBindGroup({
      label: `${this.label}.finalBind`,
      layout: this.finalPipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.partials } },
        { binding: 1, resource: { buffer: this.metrics } },
      ],
    });
    this.reduceBindNoHist = this.makeReduceBind(this.histDummy, this.paramsNoHist);
    if (adi) {
      // the step pipeline slot holds the x sweep; the y sweep is the same file with AXIS 1
      this.adiPipelines = [this.stepPipeline, await pipeline('adiYPipeline', 'fokker_planck_adi.wgsl', { N: this.n, AXIS: 1, WG: 64 })];
      this.tauSlotFor(this.dt);
    } else {
      this.stepBindsFor(0);
    }
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

  private makeReduceBind(hist: GPUBuffer, params: GPUBuffer): GPUBindGroup {
    return this.device.createBindGroup({
      label: `${this.label}.reduceBind`,
      layout: this.reducePipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: params } },
        { binding: 1, resource: { buffer: this.density } },
        { binding: 2, resource: { buffer: this.loss } },
        { binding: 3, resource: { buffer: this.stationary } },
        { binding: 4, resource: { buffer: hist } },
        { binding: 5, resource: { buffer: this.current } },
        { binding: 6, resource: { buffer: this.partials } },
      ],
    });
  }

  private stepBindsFor(slot: number): [GPUBindGroup, GPUBindGroup] {
    let binds = this.stepBinds[slot];
    if (!binds) {
      const layout = this.stepPipeline.getBindGroupLayout(0);
      const uniform: GPUBindGroupEntry = { binding: 0, resource: { buffer: this.dtSlots, offset: slot * SLOT_BYTES, size: FP_STEP_LAYOUT.size } };
      const entries = (input: GPUBuffer, output: GPUBuffer, rIn: GPUBuffer, rOut: GPUBuffer) => [
        uniform,
        ...this.fluxBindings(input, output).slice(0, this.fast ? 3 : 5),
        { binding: 6, resource: { buffer: rIn } },
        { binding: 7, resource: { buffer: rOut } },
      ];
      binds = [
        this.device.createBindGroup({ label: `${this.label}.stepBind${slot}a`, layout, entries: entries(this.density, this.scratch, this.resid, this.residScratch) }),
        this.device.createBindGroup({ label: `${this.label}.stepBind${slot}b`, layout, entries: entries(this.scratch, this.density, this.residScratch, this.resid) }),
      ];
      this.stepBinds[slot] = binds;
    }
    return binds;
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
    this.device.queue.writeBuffer(this.dtSlots, slot * SLOT_BYTES, Float32Array.of(dt, 0, 0, 0));
    return slot;
  }

  /**
   * Encodes `substeps` explicit substeps of `dt` (default this.dt; refused
   * above the stable limit) in one compute pass. The result is in `density`
   * (an odd count ends with one buffer copy).
   */
  encode(encoder: GPUCommandEncoder, substeps: number, dt: number = this.dt): void {
    if (!Number.isInteger(substeps) || substeps < 0) throw new Error(`${this.label}: substeps ${substeps} must be a whole number >= 0`);
    if (substeps === 0) return;
    if (dt !== this.dt) chooseDt(this.stepLimit, dt);
    if (this.integrator === 'adi') {
      this.encodeAdi(encoder, substeps, dt);
      this.time += substeps * dt;
      return;
    }
    const binds = this.stepBindsFor(this.slotFor(dt));
    const pass = encoder.beginComputePass({ label: `${this.label}.stepPass` });
    pass.setPipeline(this.stepPipeline);
    const columns = this.fast ? this.n / 4 : this.n;
    const gx = Math.ceil(columns / this.wg[0]), gy = Math.ceil(Math.ceil(this.n / this.rows) / this.wg[1]);
    for (let s = 0; s < substeps; s++) {
      pass.setBindGroup(0, binds[s & 1]);
      pass.dispatchWorkgroups(gx, gy);
    }
    pass.end();
    if (substeps & 1) {
      encoder.copyBufferToBuffer(this.scratch, 0, this.density, 0, 4 * this.n * this.n);
      encoder.copyBufferToBuffer(this.residScratch, 0, this.resid, 0, 4 * this.n * this.n);
    }
    this.time += substeps * dt;
  }

  /** ADI: per step an x sweep (density -> scratch) and a y sweep (scratch -> density) in one pass. */
  private encodeAdi(encoder: GPUCommandEncoder, steps: number, tau: number): void {
    const [bx, by] = this.adiBinds[this.tauSlotFor(tau)];
    const [px, py] = this.adiPipelines!;
    const groups = Math.ceil(this.n / 64);
    const pass = encoder.beginComputePass({ label: `${this.label}.adiPass` });
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
    const f = adiFactors(this.adiCoefficients!, tau, 'f32');
    const [fx, fy] = this.adiFactorBuffers[slot];
    this.device.queue.writeBuffer(fx, 0, f.x as Float32Array<ArrayBuffer>);
    this.device.queue.writeBuffer(fy, 0, f.y as Float32Array<ArrayBuffer>);
    if (!this.adiBinds[slot]) {
      const [px, py] = this.adiPipelines!;
      const bind = (pipe: GPUComputePipeline, input: GPUBuffer, output: GPUBuffer, factor: GPUBuffer, axis: string) => this.device.createBindGroup({
        label: `${this.label}.adiBind${axis}${slot}`,
        layout: pipe.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: input } }, { binding: 1, resource: { buffer: output } }, { binding: 2, resource: { buffer: factor } }],
      });
      this.adiBinds[slot] = [bind(px, this.density, this.scratch, fx, 'X'), bind(py, this.scratch, this.density, fy, 'Y')];
    }
    return slot;
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
    const pass = encoder.beginComputePass({ label: `${this.label}.currentPass` });
    this.currentInPass(pass);
    pass.end();
  }

  private currentInPass(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.currentPipeline);
    pass.setBindGroup(0, this.currentBind);
    pass.dispatchWorkgroups(Math.ceil(this.n / 16), Math.ceil(this.n / 16));
  }

  /**
   * Encodes the metrics of the present density into `metrics` (also refreshes
   * `current`). `histogram`: u32 particle counts per cell in the density
   * layout, for KL(histogram || p).
   */
  encodeMetrics(encoder: GPUCommandEncoder, histogram?: GPUBuffer): void {
    let bind = this.reduceBindNoHist;
    if (histogram) {
      if (histogram.size < 4 * this.n * this.n) {
        throw new Error(`${this.label}: histogram '${histogram.label}' has ${histogram.size} bytes; it needs u32 counts for ${this.n}*${this.n} cells (${4 * this.n * this.n} bytes)`);
      }
      bind = this.reduceBinds.get(histogram) ?? this.makeReduceBind(histogram, this.paramsHist);
      this.reduceBinds.set(histogram, bind);
    }
    const pass = encoder.beginComputePass({ label: `${this.label}.metricsPass` });
    this.currentInPass(pass);
    pass.setPipeline(this.reducePipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(this.partialCount);
    pass.setPipeline(this.finalPipeline);
    pass.setBindGroup(0, this.finalBind);
    pass.dispatchWorkgroups(1);
    pass.end();
  }

  /** Turns the 12 raw sums of `metrics` into FokkerPlanckMetrics. */
  parseMetrics(raw: Float32Array): FokkerPlanckMetrics {
    const [mass, meanLoss, negEnt, klMain, klMass, histS, histN, circulation, currentL1] = raw;
    return {
      mass,
      meanLoss,
      entropy: -negEnt,
      freeEnergy: meanLoss + this.temperature * negEnt,
      klStationary: klMain + klMass,
      klHistogram: histN > 0 ? histS / histN - Math.log(histN) : NaN,
      histogramCount: histN,
      circulation,
      currentL1,
    };
  }

  /** Encodes, submits and reads back the metrics (a 48-byte readback). */
  async readMetrics(histogram?: GPUBuffer): Promise<FokkerPlanckMetrics> {
    const encoder = this.device.createCommandEncoder({ label: `${this.label}.readMetrics` });
    this.encodeMetrics(encoder, histogram);
    this.device.queue.submit([encoder.finish()]);
    return this.parseMetrics(new Float32Array(await readBuffer(this.device, this.metrics, 48)));
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
    this.device.queue.writeBuffer(this.resid, 0, new Float32Array(p.length));
  }

  /**
   * Sets the stationary density KL(p || stationary) is measured against, as
   * log probabilities per cell (default: the discrete Gibbs exp(-f/T)/Z).
   */
  setLogStationary(logS: ArrayLike<number>): void {
    const cells = this.n * this.n;
    if (logS.length !== cells) throw new Error(`${this.label}: stationary log density has ${logS.length} values; the grid needs ${cells}`);
    const data = new Float32Array(2 * cells);
    for (let c = 0; c < cells; c++) {
      data[2 * c] = Math.exp(logS[c]);
      data[2 * c + 1] = Math.max(logS[c], -1e30);
    }
    this.device.queue.writeBuffer(this.stationary, 0, data);
  }

  /**
   * The PDE's own long-time solution (for anisotropic or state-dependent D,
   * where exp(-f/T) is not stationary): runs substeps until the density stops
   * changing, reading it back once per chunk; sets it as the stationary
   * density for klStationary. The density and PDE time are restored after.
   */
  async relaxToStationary(opts: GpuRelaxOptions = {}): Promise<GpuRelaxResult> {
    const tol = opts.tol ?? 1e-5;
    const maxTime = opts.maxTime ?? 1000;
    const chunk = Math.max(1, Math.round((opts.chunkTime ?? 1) / this.dt));
    const saved = await this.readDensity();
    const savedTime = this.time;
    if (opts.start === 'gibbs') this.writeDensity(gibbsLog(this.f, this.temperature).map(Math.exp));
    let prev = opts.start === 'gibbs' ? Float32Array.from(gibbsLog(this.f, this.temperature).map(Math.exp)) : saved;
    let time = 0, residual = Infinity, converged = false;
    while (time < maxTime) {
      const encoder = this.device.createCommandEncoder({ label: `${this.label}.relax` });
      this.encode(encoder, chunk);
      this.device.queue.submit([encoder.finish()]);
      const p = await this.readDensity();
      time += chunk * this.dt;
      let d = 0;
      for (let c = 0; c < p.length; c++) d += Math.abs(p[c] - prev[c]);
      residual = d / (chunk * this.dt);
      prev = p;
      if (residual < tol) { converged = true; break; }
    }
    const logStationary = Float64Array.from(prev, (v) => (v > 0 ? Math.log(v) : -Infinity));
    let mass = 0;
    for (const v of prev) mass += Math.max(v, 0);
    const logMass = Math.log(mass);
    for (let c = 0; c < logStationary.length; c++) logStationary[c] -= logMass;
    this.setLogStationary(logStationary);
    this.writeDensity(saved);
    this.time = savedTime;
    return { logStationary, time, residual, converged };
  }

  /**
   * For tests: fills every buffer a kernel writes before reading it
   * (scratch, residScratch, current, partials, metrics) with `word`, so that
   * elements a kernel never wrote stand out.
   */
  fillSentinel(word: number): void {
    for (const b of [this.scratch, this.residScratch, this.current, this.partials, this.metrics]) {
      this.device.queue.writeBuffer(b, 0, new Uint32Array(b.size / 4).fill(word >>> 0));
    }
  }

  /** Destroys the buffers this grid made (pipelines and bind groups need no destroy). */
  destroy(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}
