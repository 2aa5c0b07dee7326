// The weight-space plane of a network scenario as a lit ReactiveController:
// which plane (through three chosen networks, Garipov et al. 2018; two
// filter-normalised random directions around one network, Li et al. 2018; or
// the cloud's top two principal directions), the training loss over a grid on
// it (PlaneLandscape, in chunks so the frame loop keeps running; progress and
// cancel), and every panel's networks projected onto it (PlaneProjection,
// added to the training loop's metrics batches and read back with them).
// GPU objects are made on first use for the running simulation and destroyed
// with it.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { readBuffer } from '../gpu/buffers';
import type { NetworkSimulation } from '../scheduler/network-simulation';
import { architectureText, type NetworkModel } from '../model/network/model';
import { garipovPlane, filterNormalizedPlane, planeCoordinates, type WeightPlane } from '../sim/network/plane';
import { PlaneLandscape, MAX_LANDSCAPE_GRID } from '../sim/network/plane-landscape';
import { PlaneProjection } from '../sim/network/projection';
import { NetworkPca } from '../sim/network/pca';
import { planeField, planeSampler, type PlaneRange } from '../render/network-plane';
import type { SurfaceField } from '../render/surface-field';
import type { MetricsHook, NetworkRunController, NetworkSample } from './network-run';

export type PlaneKind = 'garipov' | 'filter' | 'pca' | 'path';

export const PLANE_KINDS: { kind: PlaneKind; title: string; help: string }[] = [
  { kind: 'garipov', title: 'through three networks', help: 'The plane through three networks of the cloud (Garipov et al. 2018): origin network 1, u towards network 2, v towards network 3 (orthonormalised). Low-loss valleys that connect them show as paths below the straight lines.' },
  { kind: 'filter', title: 'random directions (Li et al.)', help: 'Two Gaussian random directions around one network, each row of each weight matrix rescaled to the norm of the same row of the network (filter normalisation, Li et al. 2018; biases 0). The range ±1 of their coordinates is the range of their figures.' },
  { kind: 'path', title: 'through a path (ends and midpoint)', help: 'The plane through the two ends of the mode-connectivity path and the midpoint of its Bézier curve (Garipov et al. 2018, Fig. 1): the straight line between the ends and the curve both lie in it. Find a path first.' },
  { kind: 'pca', title: 'principal directions of the cloud', help: 'The plane through the cloud\'s centre along its top two principal directions (power iteration on the GPU over the alive networks): the directions in which the cloud is widest.' },
];

export const GRID_CHOICES = [16, 24, 32, 48, 64, 96, 128].filter((g) => g <= MAX_LANDSCAPE_GRID);

export interface PlaneRequest {
  kind: PlaneKind;
  /** the panel whose networks define the plane */
  panel: number;
  /** networks 1, 2, 3 of the Garipov plane (indices in the panel) */
  anchors: [number, number, number];
  /** the network the random directions are centred on */
  centre: number;
  /** grid nodes per side */
  grid: number;
  /** range scale: 1 = the default extent (the three networks with margins, Li et al.'s ±1, the cloud's extent); 2 = twice as wide */
  zoom: number;
  /** seed of the random directions */
  seed: number;
  /** kind 'path': the path's ends and its curve's points (parameter vectors, the first and last the ends) */
  path?: PlanePath;
}

/** A path for the 'path' plane: the networks it joins (indices in the request's panel) and points along it. */
export interface PlanePath {
  ends: [number, number];
  /** the curve at evenly spaced t, ends included (an odd count: the middle one is the curve's midpoint) */
  curve: Float64Array[];
  /** train loss (nats) at the same t along the curve and along the straight line (the 3-D view's heights) */
  curveLoss?: number[];
  lineLoss?: number[];
}

export interface LandscapeResult {
  request: PlaneRequest;
  plane: WeightPlane;
  range: PlaneRange;
  grid: number;
  /** mean training BCE (nats) at the nodes, value[j * grid + i] at (a_i, b_j) */
  values: Float32Array;
  field: SurfaceField;
  /** the defining networks' plane coordinates (Garipov: 3; random directions: the centre) */
  points: [number, number][];
  /** training step the plane was taken at */
  step: number;
  seconds: number;
  /** the principal plane's variances along u and v (parameter units²) */
  variances?: [number, number];
  /** kind 'path': the curve's points on the plane (it lies in the plane at its ends and midpoint only) and the straight line's ends */
  paths?: { curve: [number, number][]; line: [number, number][]; curveLoss?: number[]; lineLoss?: number[] };
}

export type LandscapeStatus = 'idle' | 'preparing' | 'computing' | 'done' | 'cancelled' | 'error';

/** Per panel: the networks' plane coordinates (count x 4: a, b, distance, 0) at a training step. */
export interface Projections {
  step: number;
  coords: Float32Array[];
}

interface GpuObjects {
  sim: NetworkSimulation;
  /** one landscape stage per network architecture (panels may override the hidden widths) */
  landscapes: Map<NetworkModel, PlaneLandscape>;
  projections: PlaneProjection[] | null;
  /** per panel: whether its networks live in the current plane's weight space (same architecture as the plane's panel) */
  onPlane: boolean[];
  pca: NetworkPca | null;
  /** the panel the PCA stage is bound to */
  pcaPanel: number;
}

/** Square range around points: centre of their box, side = the box's larger side (at least `minSide`) times (1 + 2 margin). */
export function squareRange(points: [number, number][], margin: number, minSide: number): PlaneRange {
  let a0 = Infinity, a1 = -Infinity, b0 = Infinity, b1 = -Infinity;
  for (const [a, b] of points) {
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    a0 = Math.min(a0, a); a1 = Math.max(a1, a); b0 = Math.min(b0, b); b1 = Math.max(b1, b);
  }
  if (!Number.isFinite(a0)) { a0 = a1 = b0 = b1 = 0; }
  const half = (Math.max(a1 - a0, b1 - b0, minSide) / 2) * (1 + 2 * margin);
  const ca = (a0 + a1) / 2, cb = (b0 + b1) / 2;
  return { a: [ca - half, ca + half], b: [cb - half, cb + half] };
}

export class NetworkLandscapeController implements ReactiveController {
  status: LandscapeStatus = 'idle';
  /** fraction of grid nodes done */
  fraction = 0;
  result: LandscapeResult | null = null;
  error: string | null = null;
  /** the latest projections of every panel on the result's plane */
  projections: Projections | null = null;
  /** computes finished (tests wait for a count) */
  computes = 0;

  private gpu: GpuObjects | null = null;
  private abort: AbortController | null = null;
  /** bumps with each new plane: projections read for an older plane are dropped */
  private planeId = 0;
  private readonly hook: MetricsHook;

  constructor(private readonly host: ReactiveControllerHost, private readonly run: NetworkRunController) {
    host.addController(this);
    let encodedFor = -1;
    this.hook = {
      encode: (encoder, sim) => {
        encodedFor = -1;
        const p = this.gpu?.sim === sim ? this.gpu.projections : null;
        if (!p || !this.result) return;
        for (const proj of this.planeProjections()) proj.encode(encoder);
        encodedFor = this.planeId;
      },
      buffers: (sim) => (encodedFor >= 0 && this.gpu?.sim === sim ? this.planeProjections().map((p) => p.coords) : []),
      take: (bytes, sample: NetworkSample) => {
        if (encodedFor !== this.planeId || bytes.length === 0 || !this.gpu) return;
        // panels of another architecture have no coordinates on this plane: empty
        let k = 0;
        const coords = this.gpu.onPlane.map((on) => (on ? new Float32Array(bytes[k++]) : new Float32Array(0)));
        this.projections = { step: sample.step, coords };
      },
    };
    run.hooks.add(this.hook);
  }

  hostUpdate(): void {
    // a new simulation (new scenario, or a new device): what was made for the old one goes
    if (this.gpu && this.gpu.sim !== this.run.sim) this.release();
  }

  hostDisconnected(): void {
    this.release();
  }

  get busy(): boolean {
    return this.status === 'preparing' || this.status === 'computing';
  }

  cancel(): void {
    this.abort?.abort(new DOMException('cancelled', 'AbortError'));
  }

  /** Computes the plane and its landscape; a newer call cancels an older one. */
  async compute(request: PlaneRequest): Promise<void> {
    this.cancel();
    const sim = this.run.sim;
    if (!sim) return;
    const ac = new AbortController();
    this.abort = ac;
    const { signal } = ac;
    this.set({ status: 'preparing', fraction: 0, error: null });
    const t0 = performance.now();
    try {
      const gpu = await this.objects(sim);
      signal.throwIfAborted();
      const panel = sim.panels[request.panel];
      if (!panel) throw new Error(`panel ${request.panel + 1} does not exist`);
      const count = panel.system.count;
      const { layout } = panel.model;
      const check = (i: number, what: string) => {
        if (!Number.isInteger(i) || i < 0 || i >= count) throw new Error(`${what} ${i} is not a network of panel ${request.panel + 1} (0 … ${count - 1})`);
      };
      const step = sim.stepsDone;
      let plane: WeightPlane, points: [number, number][], range: PlaneRange, variances: [number, number] | undefined;
      let paths: LandscapeResult['paths'];
      if (request.kind === 'garipov') {
        request.anchors.forEach((i, k) => check(i, `network ${k + 1}:`));
        if (new Set(request.anchors).size < 3) throw new Error('the three networks must be different');
        const [pa, pb, pc] = [await this.run.readParams(request.panel, request.anchors[0]), await this.run.readParams(request.panel, request.anchors[1]), await this.run.readParams(request.panel, request.anchors[2])];
        ({ plane, points } = garipovPlane(pa, pb, pc));
        const side = Math.max(...points.map(([a, b]) => Math.hypot(a, b)));
        // the triangle of the three networks with 30% margins at zoom 1
        range = squareRange(points, (1.6 * request.zoom - 1) / 2, 0.1 * side);
      } else if (request.kind === 'filter') {
        check(request.centre, 'centre network');
        const centre = await this.run.readParams(request.panel, request.centre);
        const f = filterNormalizedPlane(layout, centre, request.seed);
        plane = f.plane;
        points = [[0, 0]];
        range = { a: [-f.scale[0] * request.zoom, f.scale[0] * request.zoom], b: [-f.scale[1] * request.zoom, f.scale[1] * request.zoom] };
      } else if (request.kind === 'path') {
        const path = request.path;
        if (!path || path.curve.length < 3) throw new Error('no path yet: find a path between two networks first');
        const curve = path.curve;
        if (curve[0].length !== layout.params) throw new Error(`the path joins networks of ${curve[0].length} parameters; panel ${request.panel + 1}'s have ${layout.params}`);
        ({ plane, points } = garipovPlane(curve[0], curve[curve.length - 1], curve[(curve.length - 1) >> 1]));
        const onPlane = curve.map((x): [number, number] => {
          const c = planeCoordinates(plane, x);
          return [c.a, c.b];
        });
        paths = { curve: onPlane, line: [onPlane[0], onPlane[onPlane.length - 1]], curveLoss: path.curveLoss, lineLoss: path.lineLoss };
        range = squareRange(onPlane, (1.6 * request.zoom - 1) / 2, 1e-3);
      } else {
        if (!gpu.pca || gpu.pcaPanel !== request.panel) {
          // NetworkPca binds one panel's params buffer
          gpu.pca?.destroy();
          gpu.pca = null;
          gpu.pca = await NetworkPca.create({ device: sim.device, model: panel.model, params: panel.system.params, count, label: `NetworkLandscape.pca[${request.panel}]` });
          gpu.pcaPanel = request.panel;
          if (this.gpu !== gpu) {
            gpu.pca.destroy();
            throw new DOMException('the simulation changed', 'AbortError');
          }
        }
        const r = await gpu.pca.compute(panel.system.status);
        if (!r) throw new Error(`the alive networks of panel ${request.panel + 1} span no plane (fewer than 3 alive, or all on one line)`);
        plane = r.plane;
        variances = r.variances;
        points = [[0, 0]];
        // the cloud's own extent on the plane
        const proj = gpu.projections![request.panel];
        proj.setPlane(plane);
        const enc = sim.device.createCommandEncoder({ label: 'NetworkLandscape.pcaExtent' });
        proj.encode(enc);
        sim.device.queue.submit([enc.finish()]);
        const coords = new Float32Array(await readBuffer(sim.device, proj.coords, 16 * count));
        const status = this.run.latest?.status[request.panel];
        const pts: [number, number][] = [];
        for (let i = 0; i < count; i++) if (!status || status[i] === 0) pts.push([coords[4 * i], coords[4 * i + 1]]);
        // the cloud's extent with 15% margins at zoom 1
        range = squareRange(pts, (1.3 * request.zoom - 1) / 2, 1e-3);
      }
      signal.throwIfAborted();
      this.set({ status: 'computing' });
      let landscape = gpu.landscapes.get(panel.model);
      if (!landscape) {
        landscape = await PlaneLandscape.create({ device: sim.device, model: panel.model, data: sim.data, label: `NetworkLandscape.landscape[${architectureText(panel.model)}]` });
        if (this.gpu !== gpu) {
          landscape.destroy();
          throw new DOMException('the simulation changed', 'AbortError');
        }
        gpu.landscapes.set(panel.model, landscape);
      }
      const values = await landscape.compute(plane, range, request.grid, {
        signal,
        onProgress: (f) => this.set({ fraction: f }),
      });
      if (this.gpu !== gpu) return;
      gpu.onPlane = sim.panels.map((p) => architectureText(p.model) === architectureText(panel.model));
      gpu.projections!.forEach((p, i) => { if (gpu.onPlane[i]) p.setPlane(plane); });
      this.planeId++;
      this.projections = null;
      this.result = {
        request: { ...request, anchors: [...request.anchors] }, plane, range, grid: request.grid, values,
        field: planeField(values, request.grid, range), points, step, seconds: (performance.now() - t0) / 1000, variances, paths,
      };
      this.computes++;
      this.set({ status: 'done', fraction: 1 });
      this.run.requestMetrics();
    } catch (e) {
      if (signal.aborted) {
        if (this.abort === ac) this.set({ status: 'cancelled' });
      } else {
        const msg = e instanceof Error ? e.message : String(e);
        console.warn('SGD Lab: the weight-space plane failed:', msg);
        this.set({ status: 'error', error: msg });
      }
    } finally {
      if (this.abort === ac) this.abort = null;
    }
  }

  /** The loss the landscape shows at plane point (a, b) (bilinear between nodes; nats), or null. */
  lossAt(a: number, b: number): number | null {
    const r = this.result;
    return r ? planeSampler(r.values, r.grid, r.range)(a, b) : null;
  }

  private async objects(sim: NetworkSimulation): Promise<GpuObjects> {
    if (this.gpu && this.gpu.sim !== sim) this.release();
    const gpu: GpuObjects = this.gpu ?? (this.gpu = { sim, landscapes: new Map(), projections: null, onPlane: [], pca: null, pcaPanel: -1 });
    if (!gpu.projections) {
      const made: PlaneProjection[] = [];
      for (const p of sim.panels) {
        made.push(await PlaneProjection.create({ device: sim.device, model: p.model, params: p.system.params, count: p.system.count, label: `NetworkLandscape.projection[${p.index}]` }));
      }
      gpu.projections = made;
    }
    if (this.gpu !== gpu) {
      // released while compiling
      gpu.landscapes.forEach((l) => l.destroy());
      gpu.projections?.forEach((p) => p.destroy());
      throw new DOMException('the simulation changed', 'AbortError');
    }
    return gpu;
  }

  /** The projection stages of the panels whose networks live in the current plane's weight space. */
  private planeProjections(): PlaneProjection[] {
    const g = this.gpu;
    return g?.projections ? g.projections.filter((_, i) => g.onPlane[i]) : [];
  }

  private release(): void {
    this.cancel();
    this.abort = null;
    const g = this.gpu;
    this.gpu = null;
    if (g) {
      g.landscapes.forEach((l) => l.destroy());
      g.projections?.forEach((p) => p.destroy());
      g.pca?.destroy();
    }
    this.result = null;
    this.projections = null;
    this.status = 'idle';
    this.fraction = 0;
  }

  private set(change: Partial<Pick<NetworkLandscapeController, 'status' | 'fraction' | 'error'>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }
}
