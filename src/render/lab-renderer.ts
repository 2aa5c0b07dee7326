// The lab's three.js renderer on the lab's own GPUDevice: one canvas, one
// viewport per panel view. The 3-D views share one perspective camera (and
// its orbit controls); the top views share one orthographic camera. Particle
// and density layers read the simulation's GPU buffers through GPU-to-GPU
// copies encoded into the frame's command encoder (no CPU readback).
import {
  Color, OrthographicCamera, PerspectiveCamera, Raycaster, Scene, Vector2, WebGPURenderer, type DataTexture, type StorageBufferAttribute,
} from 'three/webgpu';
import type { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import type { AnalysisLayer } from './analysis-layer';
import type { FlowChoice, FlowLayers } from './flow-layers';
import { DensityLayer, densityLut } from './density-layer';
import { ParticleLayer, type ParticleStyle } from './particle-layer';
import { SurfaceMesh } from './surface-mesh';
import type { PanelSurface } from './stationary-view';
import type { SurfaceField } from './surface-field';
import { WorldFrame } from './world';
import { clearForViews, configureLabRenderer, drawInto, setUpSurfaceView } from './viewports';
import { CachedBackground } from './cached-background';
import type { ParticleSplat } from './particle-splat';
import { PARTICLE_LIFT } from './surface-lift';
import { BACKGROUND_RGB } from './background';
import { contains, type MapKind, type PanelLayout, type Rect } from './layout';

/** What the renderer reads of one panel: GPU buffers owned by the simulation. */
export interface PanelSources {
  /** vec2f per particle (domain units) */
  position: GPUBuffer;
  count: number;
  /** u32 counts per cell, grid x grid, cell (ix, iy) at iy * grid + ix */
  histogram: GPUBuffer;
  histogramGrid: number;
  /**
   * the Fokker–Planck grid, when the panel has a PDE: its density (f32
   * probability per cell, same layout), face currents (vec2f per cell: J_x
   * east face, J_y north face) and loss at cell centres
   */
  pde: { density: GPUBuffer; grid: number; current: GPUBuffer; f: ArrayLike<number> } | null;
}

interface PanelLayers {
  particles: ParticleLayer;
  histogram: DensityLayer;
  pde: DensityLayer | null;
}

/** three.js's GPU objects the particle splat reads or draws into (the layer's positions copy, the mesh heights, the cached depth, the canvas) */
interface SplatInputs {
  positions: GPUBuffer;
  heights: GPUBuffer;
  depth: GPUTexture;
  target: GPUTexture;
}

export const BACKGROUND = new Color(...BACKGROUND_RGB);

export class LabRenderer {
  readonly renderer: WebGPURenderer;
  readonly camera = new PerspectiveCamera(38, 1, 0.01, 100);
  readonly controls: OrbitControls;
  private readonly mapCamera = new OrthographicCamera(-1, 1, 1, -1, -10, 10);
  private readonly scene3d = new Scene();
  private readonly sceneMap = new Scene();
  private readonly lut: DataTexture;
  private surface: SurfaceMesh | null = null;
  /** landscape tools over the surface (markers, paths, smoothed loss); one per surface */
  analysis: AnalysisLayer | null = null;
  private layers: PanelLayers[] = [];
  private sources: PanelSources[] = [];
  /** per panel, its own surface (e.g. its effective potential) in place of the shared one, or null */
  private own: (SurfaceMesh | null)[] = [];
  private style: Partial<ParticleStyle> = {};
  /** current arrows and particle trails (flow-layers.ts, loaded when first chosen), for the panels set */
  private flow: FlowLayers | null = null;
  private width = 1;
  private height = 1;
  private pixelRatio = 1;
  /** the 3-D views' surface, drawn only when it changed (cached-background.ts) */
  readonly background = new CachedBackground();
  private readonly lookup = (attribute: StorageBufferAttribute): GPUBuffer | undefined =>
    (this.renderer.backend as unknown as { get(o: object): { buffer?: GPUBuffer } }).get(attribute).buffer;
  /**
   * 1-px dots over the cached background drawn by a compute pass instead of
   * point primitives (particle-splat.ts); false: always point primitives
   * (the check that both give the same picture, and the bench's before)
   */
  splatPoints = true;
  /** frames whose 3-D dots the splat drew (tests and the bench read it) */
  splatFrames = 0;
  /** loaded on first use (its module is not part of the first load): until then dots are point primitives */
  private splat: ParticleSplat | null = null;
  private splatLoad: Promise<void> | null = null;
  private destroyed = false;

  private constructor(readonly canvas: HTMLCanvasElement, readonly device: GPUDevice) {
    this.renderer = new WebGPURenderer({ canvas, device, antialias: false, alpha: false });
    // colours are written as given: no output pass per render call
    configureLabRenderer(this.renderer);
    // device loss is reported once, by the GpuContext
    this.renderer.onDeviceLost = () => {};
    this.controls = setUpSurfaceView(this.scene3d, this.camera, canvas);
    this.scene3d.background = null;
    this.lut = densityLut();
  }

  static async create(canvas: HTMLCanvasElement, device: GPUDevice): Promise<LabRenderer> {
    const r = new LabRenderer(canvas, device);
    await r.renderer.init();
    return r;
  }

  /** CSS size of the canvas and the device pixel ratio to render at. */
  resize(width: number, height: number, pixelRatio: number): void {
    this.width = Math.max(1, Math.floor(width));
    this.height = Math.max(1, Math.floor(height));
    this.pixelRatio = pixelRatio;
    this.renderer.setPixelRatio(pixelRatio);
    this.renderer.setSize(this.width, this.height, false);
  }

  /** Something the 3-D views' background shows changed outside this class (the landscape tools' marks, the camera): draw it again. */
  invalidateBackground(): void {
    this.background.invalidate();
  }

  get hasSurface(): boolean {
    return this.surface !== null;
  }

  /** Replaces the surface (mesh, map, heights); panels must be set again afterwards. */
  setSurface(field: SurfaceField): void {
    this.clearPanels();
    this.clearAnalysis();
    if (this.surface) {
      this.scene3d.remove(this.surface.mesh);
      this.sceneMap.remove(this.surface.plane);
      this.surface.destroy();
    }
    this.surface = new SurfaceMesh(field, new WorldFrame(field.domain));
    this.scene3d.add(this.surface.mesh);
    this.sceneMap.add(this.surface.plane);
    this.background.invalidate();
  }

  /**
   * The landscape tools' layer over the current surface, made on first use
   * (its module loads then: the first frame does not wait for it).
   * Rejects when there is no surface.
   */
  async ensureAnalysis(): Promise<AnalysisLayer> {
    const { AnalysisLayer } = await import('./analysis-layer');
    if (!this.analysis) {
      if (!this.surface) throw new Error('no surface to mark');
      this.analysis = new AnalysisLayer(this.surface);
      this.scene3d.add(this.analysis.object3d);
      this.sceneMap.add(this.analysis.objectMap);
      this.background.invalidate();
    }
    return this.analysis;
  }

  private clearAnalysis(): void {
    if (!this.analysis) return;
    this.scene3d.remove(this.analysis.object3d);
    this.sceneMap.remove(this.analysis.objectMap);
    this.analysis.destroy();
    this.analysis = null;
  }

  /**
   * The panels' layers; `surfaces[i]` gives panel i its own surface (3-D mesh
   * and map, with its particles, trails and arrows on it) in place of the
   * shared one. Flow layers must be set again afterwards (setFlow).
   */
  setPanels(sources: PanelSources[], style: Partial<ParticleStyle> = {}, surfaces: (PanelSurface | null)[] = []): void {
    this.clearPanels();
    this.background.invalidate();
    const surface = this.surface;
    if (!surface) throw new Error('LabRenderer: setSurface before setPanels');
    this.sources = sources;
    this.style = style;
    this.own = sources.map((_, i) => {
      const p = surfaces[i];
      if (!p) return null;
      const mesh = new SurfaceMesh(p.field, surface.world, p.image);
      this.scene3d.add(mesh.mesh);
      this.sceneMap.add(mesh.plane);
      return mesh;
    });
    for (const [i, s] of sources.entries()) {
      const particles = new ParticleLayer(s.position, s.count, this.surfaceOf(i));
      particles.setStyle(style);
      const histogram = new DensityLayer(s.histogram, s.histogramGrid, 'counts', surface.world, s.count, this.lut);
      const pde = s.pde ? new DensityLayer(s.pde.density, s.pde.grid, 'probability', surface.world, s.count, this.lut) : null;
      this.scene3d.add(particles.object);
      this.sceneMap.add(histogram.mesh);
      if (pde) this.sceneMap.add(pde.mesh);
      this.layers.push({ particles, histogram, pde });
    }
  }

  /** Gives panels their own surfaces (null: the shared one), keeping the panels' sources; set the flow layers again afterwards. */
  setPanelSurfaces(surfaces: (PanelSurface | null)[]): void {
    this.setPanels(this.sources, this.style, surfaces);
  }

  /** The surface panel i's layers sit on. */
  private surfaceOf(i: number): SurfaceMesh {
    return this.own[i] ?? this.surface!;
  }

  setParticleStyle(style: Partial<ParticleStyle>): void {
    this.style = { ...this.style, ...style };
    for (const l of this.layers) l.particles.setStyle(style);
  }

  /**
   * Current arrows and particle trails for the panels set now (their module
   * loads on first use); resolves when the chosen layers are in.
   */
  async setFlow(choice: FlowChoice): Promise<void> {
    if (!this.flow && !choice.trails && !choice.arrows.some(Boolean)) return;
    const sources = this.sources;
    const { FlowLayers } = await import('./flow-layers');
    // the panels changed while the module loaded: their caller sets the layers again
    if (sources !== this.sources || !this.surface) return;
    this.flow ??= new FlowLayers(this.device, sources.map((_, i) => this.surfaceOf(i)), sources, { scene3d: this.scene3d, sceneMap: this.sceneMap });
    await this.flow.set(choice);
  }

  /**
   * GPU-to-GPU copies of every panel's particles and densities into the
   * layers' buffers, the arrow kernels and the trail records (`stepsDone`:
   * the simulation's steps after this frame's; trails record when it grew).
   */
  encodeCopies(encoder: GPUCommandEncoder, stepsDone = 0): void {
    for (const l of this.layers) {
      l.particles.encodeCopy(encoder, this.lookup);
      l.histogram.encodeCopy(encoder, this.lookup);
      l.pde?.encodeCopy(encoder, this.lookup);
    }
    this.flow?.encode(encoder, this.lookup, stepsDone);
  }

  render(layouts: PanelLayout[]): void {
    const r = this.renderer;
    if (!this.surface) {
      clearForViews(r, this.width, this.height);
      return;
    }
    // the surfaces (and landscape marks) of the 3-D views, redrawn only when they changed
    const cached = this.background.enabled;
    const views = layouts.filter((l) => l.view3d && this.layers[l.index]);
    if (cached) {
      this.background.update(r, views.map((l) => l.view3d!), this.pixelRatio, (view, i) => {
        this.onlyBackground(views[i].index);
        this.aimCamera(view);
        r.render(this.scene3d, this.camera);
      });
    }
    clearForViews(r, this.width, this.height);
    if (cached) {
      // the copy spans the canvas (so its screen coordinates are the target's) but is cut to the 3-D views
      r.setViewport(0, 0, this.width, this.height);
      for (const l of views) {
        const v = l.view3d!;
        r.setScissor(v.x, v.y, v.w, v.h);
        this.background.drawInto(r);
      }
    }
    for (const layout of layouts) {
      const layers = this.layers[layout.index];
      if (!layers) continue;
      if (layout.view3d) {
        // over the copied background (its depth included): what moves; without the cache, the surface too
        this.only3d(layout.index, !cached);
        const splat = cached && this.splatPoints && layers.particles.usesPoints ? this.splatInputs(layout.index) : null;
        if (splat) layers.particles.object.visible = false;
        this.aimCamera(layout.view3d);
        this.viewport(layout.view3d);
        r.render(this.scene3d, this.camera);
        if (splat) this.drawSplat(layout.index, layout.view3d, splat);
      }
      for (const map of layout.maps) {
        if (map.kind === 'pde' && !layers.pde) continue;
        this.onlyMap(layout.index, map.kind);
        this.fitMapCamera(map.rect);
        this.viewport(map.rect);
        r.render(this.sceneMap, this.mapCamera);
      }
    }
  }

  /**
   * What the splat needs from three.js's GPU objects for panel `index`; null
   * until three made them (the layer's first frame draws point primitives,
   * which makes its position buffer: the copies fill it, and a later switch
   * to quads or points finds it filled).
   */
  private splatInputs(index: number): SplatInputs | null {
    if (!this.splat) return null;
    const backend = this.renderer.backend as unknown as { get(o: object): { buffer?: GPUBuffer; texture?: GPUTexture }; context?: GPUCanvasContext };
    const positions = this.lookup(this.layers[index].particles.positions);
    const heights = this.lookup(this.surfaceOf(index).heights);
    const depthTexture = this.background.depthTexture;
    const depth = depthTexture ? backend.get(depthTexture).texture : undefined;
    const context = backend.context;
    if (!positions || !heights || !depth || !context) return null;
    return { positions, heights, depth, target: context.getCurrentTexture() };
  }

  /**
   * Loads the particle splat's module and builds its pipelines (the page
   * calls it once its first frame is on screen: the module is not part of the
   * first load); until it resolves 1-px dots are point primitives.
   */
  loadSplat(): Promise<void> {
    this.splatLoad ??= import('./particle-splat').then(({ ParticleSplat }) => {
      if (!this.destroyed) this.splat = new ParticleSplat(this.device, navigator.gpu.getPreferredCanvasFormat());
    });
    return this.splatLoad;
  }

  /** Panel `index`'s particles as 1-px dots by the compute splat, into `view` (CSS px) of the canvas. */
  private drawSplat(index: number, view: Rect, inputs: SplatInputs): void {
    const source = this.sources[index];
    // three.js's viewport: CSS px times the pixel ratio, each floored
    const p = this.pixelRatio;
    const rect = { x: Math.floor(view.x * p), y: Math.floor(view.y * p), w: Math.floor(view.w * p), h: Math.floor(view.h * p) };
    // world -> clip of the layer's object, as the points' vertex shader (projection x model-view)
    const particles = this.layers[index].particles;
    const viewProj = this.camera.projectionMatrix.clone().multiply(this.camera.matrixWorldInverse).multiply(particles.object.matrixWorld).elements;
    this.splat!.draw(
      { positions: inputs.positions, count: source.count, heights: inputs.heights, domain: this.surfaceOf(index).field.domain, frame: this.surfaceOf(index).world, lift: PARTICLE_LIFT, viewProj, rect },
      particles.splatStyle(), inputs.depth, inputs.target,
    );
    this.splatFrames++;
  }

  private aimCamera(view: Rect): void {
    this.camera.aspect = view.w / view.h;
    this.camera.updateProjectionMatrix();
  }

  /**
   * The domain point under CSS pixel (px, py) of the canvas, in a 3-D view (on
   * the surface mesh) or a map; null elsewhere.
   */
  pick(px: number, py: number, layouts: PanelLayout[]): [number, number] | null {
    const surface = this.surface;
    if (!surface) return null;
    for (const layout of layouts) {
      for (const map of layout.maps) {
        if (!contains(map.rect, px, py)) continue;
        const { x0, x1, y0, y1 } = this.mapExtent(map.rect);
        const X = x0 + ((px - map.rect.x) / map.rect.w) * (x1 - x0);
        const Y = y1 - ((py - map.rect.y) / map.rect.h) * (y1 - y0);
        return surface.world.fromWorld(X, -Y);
      }
      const v = layout.view3d;
      if (v && contains(v, px, py)) {
        this.camera.aspect = v.w / v.h;
        this.camera.updateProjectionMatrix();
        const ndc = new Vector2(((px - v.x) / v.w) * 2 - 1, -(((py - v.y) / v.h) * 2 - 1));
        const ray = new Raycaster();
        ray.setFromCamera(ndc, this.camera);
        const mesh = this.surfaceOf(layout.index);
        const hit = ray.intersectObject(mesh.mesh, false)[0];
        return hit ? mesh.domainAt(hit.point.x, hit.point.z) : null;
      }
    }
    return null;
  }

  /** Is (px, py) inside a 3-D view (where dragging orbits the camera)? */
  in3d(px: number, py: number, layouts: PanelLayout[]): boolean {
    return layouts.some((l) => l.view3d !== null && contains(l.view3d, px, py));
  }

  private viewport(rect: Rect): void {
    drawInto(this.renderer, rect);
  }

  /** Panel `index`'s moving content alone in the 3-D scene: its particles and flow layers, and with `still` its surface and marks too. */
  private only3d(index: number, still: boolean): void {
    if (still) this.onlyBackground(index);
    else {
      this.surface!.mesh.visible = false;
      for (const m of this.own) if (m) m.mesh.visible = false;
      if (this.analysis) this.analysis.object3d.visible = false;
    }
    this.layers.forEach((l, i) => { l.particles.object.visible = i === index; });
    this.flow?.show3d(index);
  }

  /** Panel `index`'s still content alone in the 3-D scene: its surface and (on the loss surface) the landscape tools' marks. */
  private onlyBackground(index: number): void {
    this.layers.forEach((l) => { l.particles.object.visible = false; });
    this.showSurface(index, 'mesh');
    // the landscape tools' marks sit on the loss surface
    if (this.analysis) this.analysis.object3d.visible = !this.own[index];
    this.flow?.show3d(-1);
  }

  /** The shared surface, or panel `index`'s own, alone in its scene. */
  private showSurface(index: number, part: 'mesh' | 'plane'): void {
    this.surface![part].visible = !this.own[index];
    this.own.forEach((m, i) => { if (m) m[part].visible = i === index; });
  }

  private onlyMap(index: number, kind: MapKind): void {
    this.showSurface(index, 'plane');
    this.layers.forEach((l, i) => {
      l.histogram.mesh.visible = i === index && kind === 'particles';
      if (l.pde) l.pde.mesh.visible = i === index && kind === 'pde';
    });
    this.flow?.showMap(index, kind);
  }

  /** world extent (X, and Y = -Z) shown by the map camera in a rect: the domain, letterboxed to the rect */
  private mapExtent(rect: Rect): { x0: number; x1: number; y0: number; y1: number } {
    const [w, d] = this.surface!.world.size;
    const aspect = rect.w / rect.h;
    let hw = w / 2, hd = d / 2;
    if (hw / hd > aspect) hd = hw / aspect;
    else hw = hd * aspect;
    return { x0: -hw, x1: hw, y0: -hd, y1: hd };
  }

  private fitMapCamera(rect: Rect): void {
    const e = this.mapExtent(rect);
    const c = this.mapCamera;
    c.left = e.x0; c.right = e.x1; c.bottom = e.y0; c.top = e.y1;
    c.position.set(0, 0, 5);
    c.lookAt(0, 0, 0);
    c.updateProjectionMatrix();
  }

  private clearPanels(): void {
    this.flow?.destroy();
    this.flow = null;
    this.sources = [];
    for (const l of this.layers) {
      this.scene3d.remove(l.particles.object);
      this.sceneMap.remove(l.histogram.mesh);
      if (l.pde) this.sceneMap.remove(l.pde.mesh);
      l.particles.destroy();
      l.histogram.destroy();
      l.pde?.destroy();
    }
    this.layers = [];
    for (const m of this.own) {
      if (!m) continue;
      this.scene3d.remove(m.mesh);
      this.sceneMap.remove(m.plane);
      m.destroy();
    }
    this.own = [];
  }

  destroy(): void {
    this.clearPanels();
    this.clearAnalysis();
    if (this.surface) this.surface.destroy();
    this.surface = null;
    this.controls.dispose();
    this.background.destroy();
    this.splat?.destroy();
    this.destroyed = true;
    this.lut.dispose();
    this.renderer.dispose();
  }
}
