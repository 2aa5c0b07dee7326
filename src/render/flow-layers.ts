// The layers that show motion out of equilibrium, per panel: current arrows
// (where the panel has a Fokker–Planck grid) and particle trails. LabRenderer
// loads this module when a layer is first switched on, so the first frame
// does not wait for it; it adds the layers' objects to its scenes and calls
// encode() in every frame's command encoder.
import type { Scene } from 'three/webgpu';
import type { PanelSources } from './lab-renderer';
import type { MapKind } from './layout';
import type { BufferLookup } from './particle-layer';
import type { SurfaceMesh } from './surface-mesh';
import { ARROWS_PER_SIDE, arrowRhoMin, type ArrowLattice } from './arrow-lattice';
import { CurrentArrowsKernel } from './current-arrows-kernel';
import { CurrentArrowLayer } from './current-arrows';
import { TrailLayer } from './trail-layer';

/** Which layers to draw: arrows per panel (ignored where a panel has no PDE), trails for every panel. */
export interface FlowChoice {
  arrows: boolean[];
  trails: boolean;
  /** per panel, PDE time per optimizer step (lr_eff; sets the trails' spacing) */
  stepTime: number[];
}

type Layer = CurrentArrowLayer | TrailLayer;

export class FlowLayers {
  private readonly arrows: (CurrentArrowLayer | null | Promise<void>)[];
  private readonly trails: (TrailLayer | null)[];
  private choice: FlowChoice = { arrows: [], trails: false, stepTime: [] };
  private destroyed = false;

  constructor(
    private readonly device: GPUDevice,
    /** per panel, the surface its layers sit on */
    private readonly surfaces: SurfaceMesh[],
    private readonly sources: PanelSources[],
    private readonly scenes: { scene3d: Scene; sceneMap: Scene },
  ) {
    this.arrows = sources.map(() => null);
    this.trails = sources.map(() => null);
  }

  /** Makes the layers chosen (arrow kernels compile first: resolves when they are in), drops the others. */
  async set(choice: FlowChoice): Promise<void> {
    this.choice = choice;
    const waits: Promise<void>[] = [];
    this.sources.forEach((s, i) => {
      const t = this.trails[i];
      if (choice.trails && !t) this.trails[i] = this.add(new TrailLayer(s.position, s.count, choice.stepTime[i] ?? 0.01, this.surfaces[i]));
      if (!choice.trails && t) this.remove(t, () => { this.trails[i] = null; });
      const a = this.arrows[i];
      const want = !!choice.arrows[i] && s.pde !== null;
      if (want && a === null) waits.push(this.arrows[i] = this.makeArrows(i));
      if (want && a instanceof Promise) waits.push(a);
      if (!want && a instanceof CurrentArrowLayer) this.remove(a, () => { this.arrows[i] = null; });
    });
    await Promise.all(waits);
  }

  /** Compiles panel i's arrow kernel and adds its layer (a failure is logged and leaves the panel without arrows). */
  private async makeArrows(i: number): Promise<void> {
    const pde = this.sources[i].pde!;
    const lattice: ArrowLattice = { n: pde.grid, a: Math.min(ARROWS_PER_SIDE, pde.grid), domain: this.surfaces[i].field.domain };
    let kernel: CurrentArrowsKernel;
    try {
      kernel = await CurrentArrowsKernel.create(this.device, {
        lattice, rhoMin: arrowRhoMin(lattice.domain), density: pde.density, current: pde.current, label: `CurrentArrowsKernel.panel${i}`,
      });
    } catch (e) {
      console.warn(`SGD Lab: no current arrows for panel ${i + 1}:`, (e as Error).message);
      this.arrows[i] = null;
      return;
    }
    if (this.destroyed) {
      kernel.destroy();
      return;
    }
    this.arrows[i] = this.add(new CurrentArrowLayer(kernel, lattice, pde.f, this.surfaces[i]));
    // switched off while compiling
    if (!this.choice.arrows[i]) void this.set(this.choice);
  }

  private add<T extends Layer>(layer: T): T {
    this.scenes.scene3d.add(layer.object3d);
    this.scenes.sceneMap.add(layer.objectMap);
    return layer;
  }

  private remove(layer: Layer, forget: () => void): void {
    this.scenes.scene3d.remove(layer.object3d);
    this.scenes.sceneMap.remove(layer.objectMap);
    layer.destroy();
    forget();
  }

  /** The frame's GPU work: arrow kernels and their copies, trail records (`stepsDone`: the simulation's steps after this frame's). */
  encode(encoder: GPUCommandEncoder, lookup: BufferLookup, stepsDone: number): void {
    for (const a of this.arrows) if (a instanceof CurrentArrowLayer) a.encode(encoder, lookup);
    for (const t of this.trails) t?.encode(encoder, lookup, stepsDone);
  }

  /** Shows panel `index`'s objects in the 3-D scene (the others hidden). */
  show3d(index: number): void {
    this.each((l, i) => { l.object3d.visible = i === index; });
  }

  /** Shows panel `index`'s objects over map `kind` (arrows over both maps, trails over the particle map). */
  showMap(index: number, kind: MapKind): void {
    this.each((l, i, isTrail) => { l.objectMap.visible = i === index && (!isTrail || kind === 'particles'); });
  }

  private each(f: (l: Layer, panel: number, isTrail: boolean) => void): void {
    this.arrows.forEach((a, i) => { if (a instanceof CurrentArrowLayer) f(a, i, false); });
    this.trails.forEach((t, i) => { if (t) f(t, i, true); });
  }

  destroy(): void {
    this.destroyed = true;
    for (const l of [...this.arrows, ...this.trails]) if (l instanceof CurrentArrowLayer || l instanceof TrailLayer) this.remove(l, () => {});
  }
}
