// The face currents and the metrics of FokkerPlanckGrid's density on the GPU:
// fokker_planck_current.wgsl writes the currents; a two-pass reduction
// (fokker_planck_reduce.wgsl: per-workgroup partials, then
// fokker_planck_reduce_final.wgsl: one workgroup) sums them with the density,
// the loss, the stationary density and the particle histogram into one small
// metrics block, the only thing read back; with a basin map,
// fokker_planck_basins.wgsl adds the density's mass per basin behind it. CPU twin: `metrics` and
// `faceCurrents` in reference.ts. Layouts of the uniform and of the block come
// from the WGSL (structView), not from hand-written byte counts.
import type { StructuredView } from 'webgpu-utils';
import { composeShader, type ComposedShader, type ShaderSources } from '../../gpu/shader-compose';
import { OwnedResources } from '../../gpu/stage';
import { structView } from '../../gpu/uniforms';
import { fpPipeline } from './kernels';
import type { GridBuffers, SchemeFlags } from './integrator';
import type { FokkerPlanckMetrics, GridGeometry } from './types';

/** Raw sums in a metrics block (lib/fokker_planck_metrics.wgsl: three vec4f); parseMetrics reads the first 9. */
export const FP_METRICS_SUMS = 12;
/** Basin masses behind the sums in the metrics block (shaders/fokker_planck_basins.wgsl MAX_BASINS). */
export const FP_BASIN_SLOTS = 16;
/** Most partials of the basin pass (each of its 16 final invocations adds this many). */
const MAX_BASIN_PARTIALS = 1024;
/**
 * reduction workgroup size (RED_WG in the WGSL, a power of two). SwiftShader's
 * compile time of a kernel with a workgroup barrier grows with the workgroup
 * size (a bare barrier: ~0.55 s at 256, 0.13 s at 64, 0.08 s at 32; these two
 * kernels took 2-3 s each at 256, 0.4-0.7 s at 32), paid by every new GPU
 * device; a 32-wide workgroup is one warp on NVIDIA hardware.
 */
const RED_WG = 32;
/** Cells each reduction invocation sums at least (fewer workgroups, shorter pass 2). */
const CELLS_PER_THREAD = 128;
const MAX_PARTIALS = 1024;
/** current kernel workgroup (16 x 16 cells) */
const CURRENT_WG = 16;

export interface MetricsStageOptions {
  /** label prefix of the stage's GPU objects (the grid's) */
  label: string;
  geometry: GridGeometry;
  /** loss at cell centres (float64, uploaded as float32) */
  f: Float64Array;
  scheme: SchemeFlags;
  sources: ShaderSources;
  /** per cell the index of its basin of attraction (< basins), else any larger value; with `basins` > 0 the block carries the mass per basin */
  basinMap?: Uint32Array;
  /** basins counted (at most FP_BASIN_SLOTS) */
  basins?: number;
}

export class MetricsStage {
  /** vec2f per cell: (J_x on its east face, J_y on its north face), probability per unit time per unit length */
  readonly current: GPUBuffer;
  /** the metrics block: FP_METRICS_SUMS raw f32 sums, then FP_BASIN_SLOTS basin masses (parse() reads them) */
  readonly metrics: GPUBuffer;
  /** bytes of the metrics block (the WGSL `totals` array, then the basin masses) */
  readonly metricsBytes: number;
  /** basins whose mass the block carries */
  readonly basins: number;
  /** the basin pass's buffers (with a basin map), and once compiled its two pipelines with their bind groups */
  private readonly basinStage: { map: GPUBuffer; partials: GPUBuffer; count: number; cpt: number; shader: ComposedShader } | null;
  private basinPasses: { pipeline: GPUComputePipeline; bind: GPUBindGroup; groups: number }[] = [];
  private readonly owned: OwnedResources;
  private readonly n: number;
  private readonly loss: GPUBuffer;
  /** (s, log s) per cell of the stationary density KL is measured against */
  private readonly stationary: GPUBuffer;
  /** one metrics block per reduction workgroup */
  private readonly partials: GPUBuffer;
  private readonly partialCount: number;
  private readonly histDummy: GPUBuffer;
  private readonly paramsNoHist: GPUBuffer;
  private readonly paramsHist: GPUBuffer;
  private readonly shaders: Record<'current' | 'reduce' | 'final', ComposedShader>;
  private currentPipeline!: GPUComputePipeline;
  private reducePipeline!: GPUComputePipeline;
  private finalPipeline!: GPUComputePipeline;
  private currentBind!: GPUBindGroup;
  private finalBind!: GPUBindGroup;
  private reduceBinds = new WeakMap<GPUBuffer, GPUBindGroup>();
  private reduceBindNoHist!: GPUBindGroup;

  constructor(private readonly device: GPUDevice, private readonly grid: GridBuffers, private readonly o: MetricsStageOptions) {
    this.owned = new OwnedResources(device, o.label);
    const n = (this.n = o.geometry.n);
    const cells = n * n;
    this.shaders = {
      current: composeShader('fokker_planck_current.wgsl', o.sources),
      reduce: composeShader('fokker_planck_reduce.wgsl', o.sources),
      final: composeShader('fokker_planck_reduce_final.wgsl', o.sources),
    };
    const block = structView(this.shaders.final.code, 'totals');
    const sumsBytes = block.arrayBuffer.byteLength;
    this.metricsBytes = sumsBytes + 4 * FP_BASIN_SLOTS;
    this.basins = o.basinMap ? Math.min(FP_BASIN_SLOTS, o.basins ?? 0) : 0;
    // the FpMetricsParams uniform without and with a histogram to compare with
    const params = (hasHist: number) => {
      const view: StructuredView = structView(this.shaders.reduce.code, 'params');
      view.set({ has_hist: hasHist });
      return new Uint8Array(view.arrayBuffer);
    };
    const noHist = params(0), withHist = params(1);
    const S = GPUBufferUsage.STORAGE;
    const io = S | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.loss = this.owned.buffer('loss', 4 * cells, S, Float32Array.from(o.f));
    this.stationary = this.owned.buffer('stationary', 8 * cells, S | GPUBufferUsage.COPY_DST);
    this.current = this.owned.buffer('current', 8 * cells, io | GPUBufferUsage.VERTEX);
    this.partialCount = Math.min(MAX_PARTIALS, Math.max(1, Math.ceil(cells / (RED_WG * CELLS_PER_THREAD))));
    this.partials = this.owned.buffer('partials', sumsBytes * this.partialCount, S | GPUBufferUsage.COPY_DST);
    if (this.basins > 0) {
      if (o.basinMap!.length !== cells) throw new Error(`${o.label}: basin map has ${o.basinMap!.length} cells; the grid needs ${cells}`);
      const cpt = Math.max(64, Math.ceil(cells / MAX_BASIN_PARTIALS));
      const count = Math.ceil(cells / cpt);
      this.basinStage = {
        map: this.owned.buffer('basinMap', 4 * cells, S, o.basinMap),
        partials: this.owned.buffer('basinPartials', 4 * FP_BASIN_SLOTS * count, S),
        count, cpt, shader: composeShader('fokker_planck_basins.wgsl', o.sources),
      };
    } else this.basinStage = null;
    this.metrics = this.owned.buffer('metrics', this.metricsBytes, io);
    this.histDummy = this.owned.buffer('histDummy', 16, S);
    this.paramsNoHist = this.owned.buffer('metricsParams', noHist.byteLength, GPUBufferUsage.UNIFORM, noHist);
    this.paramsHist = this.owned.buffer('metricsParamsHist', withHist.byteLength, GPUBufferUsage.UNIFORM, withHist);
  }

  async compile(): Promise<void> {
    const { label, geometry: { hx, hy }, scheme } = this.o;
    const n = this.n;
    const flux = { N: n, HAS_DIAG: scheme.hasDiag ? 1 : 0, HAS_CROSS: scheme.hasCross ? 1 : 0, LIMITED: scheme.limited ? 1 : 0 };
    [this.currentPipeline, this.reducePipeline, this.finalPipeline] = await Promise.all([
      fpPipeline(this.device, `${label}.currentPipeline`, this.shaders.current, { ...flux, WG_X: CURRENT_WG, WG_Y: CURRENT_WG, HX: hx, HY: hy }),
      fpPipeline(this.device, `${label}.reducePipeline`, this.shaders.reduce, { N: n, HX: hx, HY: hy, LOG_AREA: Math.log(hx * hy), RED_WG }),
      fpPipeline(this.device, `${label}.finalPipeline`, this.shaders.final, { PARTIALS: this.partialCount, RED_WG }),
    ]);
    this.currentBind = this.device.createBindGroup({
      label: `${label}.currentBind`,
      layout: this.currentPipeline.getBindGroupLayout(0),
      entries: this.grid.fluxBindings(this.grid.density, this.current),
    });
    this.finalBind = this.device.createBindGroup({
      label: `${label}.finalBind`,
      layout: this.finalPipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.partials } },
        { binding: 1, resource: { buffer: this.metrics } },
      ],
    });
    this.reduceBindNoHist = this.makeReduceBind(this.histDummy, this.paramsNoHist);
    const b = this.basinStage;
    if (b) {
      const constants = { CELLS: n * n, CPT: b.cpt, PARTIALS: b.count };
      const [sums, totals] = await Promise.all([
        fpPipeline(this.device, `${label}.basinSumsPipeline`, b.shader, constants, 'partial_sums'),
        fpPipeline(this.device, `${label}.basinTotalsPipeline`, b.shader, constants, 'totals_out'),
      ]);
      // 'auto' layouts differ per entry point: each pass binds what its entry uses
      const bind = (pipeline: GPUComputePipeline, entries: GPUBindGroupEntry[]) => this.device.createBindGroup({ label: `${label}.basinBind`, layout: pipeline.getBindGroupLayout(0), entries });
      this.basinPasses = [
        { pipeline: sums, groups: Math.ceil(b.count / 64), bind: bind(sums, [{ binding: 0, resource: { buffer: this.grid.density } }, { binding: 1, resource: { buffer: b.map } }, { binding: 2, resource: { buffer: b.partials } }]) },
        { pipeline: totals, groups: 1, bind: bind(totals, [{ binding: 2, resource: { buffer: b.partials } }, { binding: 3, resource: { buffer: this.metrics } }]) },
      ];
    }
  }

  /** Encodes the face currents of the present density into `current`. */
  encodeCurrent(encoder: GPUCommandEncoder): void {
    const pass = encoder.beginComputePass({ label: `${this.o.label}.currentPass` });
    this.currentInPass(pass);
    pass.end();
  }

  /** Encodes the metrics of the present density into `metrics` (refreshing `current` first); `histogram`: u32 particle counts per cell. */
  encodeMetrics(encoder: GPUCommandEncoder, histogram?: GPUBuffer): void {
    let bind = this.reduceBindNoHist;
    if (histogram) {
      const bytes = 4 * this.n * this.n;
      if (histogram.size < bytes) {
        throw new Error(`${this.o.label}: histogram '${histogram.label}' has ${histogram.size} bytes; it needs u32 counts for ${this.n}*${this.n} cells (${bytes} bytes)`);
      }
      bind = this.reduceBinds.get(histogram) ?? this.makeReduceBind(histogram, this.paramsHist);
      this.reduceBinds.set(histogram, bind);
    }
    const pass = encoder.beginComputePass({ label: `${this.o.label}.metricsPass` });
    this.currentInPass(pass);
    pass.setPipeline(this.reducePipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(this.partialCount);
    pass.setPipeline(this.finalPipeline);
    pass.setBindGroup(0, this.finalBind);
    pass.dispatchWorkgroups(1);
    for (const p of this.basinPasses) {
      pass.setPipeline(p.pipeline);
      pass.setBindGroup(0, p.bind);
      pass.dispatchWorkgroups(p.groups);
    }
    pass.end();
  }

  /**
   * Turns the raw sums of a metrics block into FokkerPlanckMetrics at
   * temperature T (free energy F = E[f] - T H), with the first `basins` basin masses.
   */
  static parse(raw: Float32Array, temperature: number, basins = 0): FokkerPlanckMetrics {
    const [mass, meanLoss, negEnt, klMain, klMass, histS, histN, circulation, currentL1] = raw;
    return {
      basinMasses: Array.from(raw.subarray(FP_METRICS_SUMS, FP_METRICS_SUMS + basins)),
      mass,
      meanLoss,
      entropy: -negEnt,
      freeEnergy: meanLoss + temperature * negEnt,
      klStationary: klMain + klMass,
      klHistogram: histN > 0 ? histS / histN - Math.log(histN) : NaN,
      histogramCount: histN,
      circulation,
      currentL1,
    };
  }

  /** Sets the stationary density KL is measured against, as log probabilities per cell. */
  setLogStationary(logS: ArrayLike<number>): void {
    const cells = this.n * this.n;
    if (logS.length !== cells) throw new Error(`${this.o.label}: stationary log density has ${logS.length} values; the grid needs ${cells}`);
    const data = new Float32Array(2 * cells);
    for (let c = 0; c < cells; c++) {
      data[2 * c] = Math.exp(logS[c]);
      data[2 * c + 1] = Math.max(logS[c], -1e30);
    }
    this.device.queue.writeBuffer(this.stationary, 0, data);
  }

  get scratchBuffers(): GPUBuffer[] {
    return [this.current, this.partials, this.metrics];
  }

  destroy(): void {
    this.owned.destroy();
  }

  private currentInPass(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.currentPipeline);
    pass.setBindGroup(0, this.currentBind);
    pass.dispatchWorkgroups(Math.ceil(this.n / CURRENT_WG), Math.ceil(this.n / CURRENT_WG));
  }

  private makeReduceBind(hist: GPUBuffer, params: GPUBuffer): GPUBindGroup {
    return this.device.createBindGroup({
      label: `${this.o.label}.reduceBind`,
      layout: this.reducePipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: params } },
        { binding: 1, resource: { buffer: this.grid.density } },
        { binding: 2, resource: { buffer: this.loss } },
        { binding: 3, resource: { buffer: this.stationary } },
        { binding: 4, resource: { buffer: hist } },
        { binding: 5, resource: { buffer: this.current } },
        { binding: 6, resource: { buffer: this.partials } },
      ],
    });
  }
}
