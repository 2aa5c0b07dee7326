// The landscape over a plane of weight space as a 3-D surface (three.js on
// the lab's GPUDevice, the 2-D lab's SurfaceMesh: the same heights, colours
// and contours), with the networks as small dots at their plane coordinates,
// their height their own training loss on the same display scale (a network
// off the plane sits above or below the surface under it), their colour their
// distance from the plane. Rendered on demand (a new landscape, new positions,
// the camera moved), not every frame.
import {
  AmbientLight, BufferAttribute, BufferGeometry, DirectionalLight, LinearSRGBColorSpace, Mesh, MeshBasicNodeMaterial, NoToneMapping,
  PerspectiveCamera, Scene, Vector3, WebGPURenderer,
} from 'three/webgpu';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { BACKGROUND } from './lab-renderer';
import { SurfaceMesh } from './surface-mesh';
import type { SurfaceField } from './surface-field';
import { WorldFrame } from './world';

/** One network drawn in 3-D: plane coordinates, its training loss (nats) and colour (RGB 0..1). */
export interface Dot3d {
  a: number;
  b: number;
  loss: number;
  color: [number, number, number];
  /** drawn larger (the selected network) */
  big?: boolean;
  /** radius relative to a network's dot (path beads are smaller) */
  size?: number;
}

/** An octahedron per dot: 6 vertices, 8 faces. */
const OCTA_VERTICES: [number, number, number][] = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]];
const OCTA_FACES = [0, 2, 4, 2, 1, 4, 1, 3, 4, 3, 0, 4, 2, 0, 5, 1, 2, 5, 3, 1, 5, 0, 3, 5];
/** dot radius in world units (the plane spans 2) */
const DOT_RADIUS = 0.018;
/** where the camera looks from (unit vector from the target) and how far, for a square view */
const VIEW_DIRECTION = new Vector3(-0.45, 0.62, 0.64).normalize();
const VIEW_DISTANCE = 4.4;

export class NetworkPlaneScene {
  readonly renderer: WebGPURenderer;
  readonly camera = new PerspectiveCamera(36, 1, 0.01, 100);
  readonly controls: OrbitControls;
  private readonly scene = new Scene();
  private surface: SurfaceMesh | null = null;
  private dots: Mesh | null = null;
  /** dots show through the surface: a network off the plane is often below the loss at its projection */
  private readonly dotMaterial = new MeshBasicNodeMaterial({ vertexColors: true, depthTest: false, depthWrite: false });
  private width = 1;
  private height = 1;
  /** the user orbited or zoomed: resizing keeps the camera where it is */
  private moved = false;

  private constructor(readonly canvas: HTMLCanvasElement, device: GPUDevice) {
    this.renderer = new WebGPURenderer({ canvas, device, antialias: false, alpha: false });
    this.renderer.outputColorSpace = LinearSRGBColorSpace;
    this.renderer.toneMapping = NoToneMapping;
    this.renderer.setClearColor(BACKGROUND, 1);
    // device loss is reported once, by the page's GpuContext
    this.renderer.onDeviceLost = () => {};
    this.camera.position.copy(VIEW_DIRECTION).multiplyScalar(VIEW_DISTANCE);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.target.set(0, 0.1, 0);
    this.controls.enableDamping = false;
    this.controls.minDistance = 0.6;
    this.controls.maxDistance = 8;
    this.controls.update();
    this.controls.addEventListener('change', () => this.render());
    this.controls.addEventListener('start', () => { this.moved = true; });
    this.scene.add(new AmbientLight(0xffffff, 1.35));
    const sun = new DirectionalLight(0xffffff, 1.6);
    sun.position.set(-1.5, 3, 1.2);
    this.scene.add(sun);
  }

  static async create(canvas: HTMLCanvasElement, device: GPUDevice): Promise<NetworkPlaneScene> {
    const s = new NetworkPlaneScene(canvas, device);
    try {
      await s.renderer.init();
    } catch (e) {
      s.destroy();
      throw e;
    }
    return s;
  }

  get field(): SurfaceField | null {
    return this.surface?.field ?? null;
  }

  resize(width: number, height: number, pixelRatio: number): void {
    this.width = Math.max(1, Math.floor(width));
    this.height = Math.max(1, Math.floor(height));
    this.renderer.setPixelRatio(pixelRatio);
    this.renderer.setSize(this.width, this.height, false);
    const aspect = this.width / this.height;
    // a narrow view sees less across: back off so the whole plane stays in view (until the user orbits)
    if (!this.moved) this.camera.position.copy(VIEW_DIRECTION).multiplyScalar(VIEW_DISTANCE / Math.min(1, aspect)).add(this.controls.target);
    this.camera.aspect = aspect;
    this.camera.updateProjectionMatrix();
    this.controls.update();
  }

  /** Replaces the landscape (the dots must be set again for it). */
  setLandscape(field: SurfaceField): void {
    if (this.surface?.field === field) return;
    if (this.surface) {
      this.scene.remove(this.surface.mesh);
      this.surface.destroy();
    }
    this.surface = new SurfaceMesh(field, new WorldFrame(field.domain));
    this.scene.add(this.surface.mesh);
  }

  /** Replaces the dots. */
  setDots(dots: readonly Dot3d[]): void {
    if (this.dots) {
      this.scene.remove(this.dots);
      this.dots.geometry.dispose();
      this.dots = null;
    }
    const s = this.surface;
    if (!s || dots.length === 0) return;
    const { world, field } = s;
    const pos = new Float32Array(dots.length * 6 * 3), col = new Float32Array(dots.length * 6 * 3);
    const index = new Uint32Array(dots.length * OCTA_FACES.length);
    dots.forEach((d, k) => {
      const [X, Z] = world.toWorld(d.a, d.b);
      const Y = field.scale(d.loss) * world.height;
      const r = DOT_RADIUS * (d.big ? 2.2 : 1) * (d.size ?? 1);
      OCTA_VERTICES.forEach(([x, y, z], v) => {
        pos.set([X + r * x, Y + r * y, Z + r * z], 3 * (6 * k + v));
        col.set(d.color, 3 * (6 * k + v));
      });
      for (let f = 0; f < OCTA_FACES.length; f++) index[k * OCTA_FACES.length + f] = 6 * k + OCTA_FACES[f];
    });
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(pos, 3));
    g.setAttribute('color', new BufferAttribute(col, 3));
    g.setIndex(new BufferAttribute(index, 1));
    g.computeBoundingSphere();
    this.dots = new Mesh(g, this.dotMaterial);
    this.dots.renderOrder = 1;
    this.scene.add(this.dots);
  }

  render(): void {
    this.renderer.setViewport(0, 0, this.width, this.height);
    this.renderer.render(this.scene, this.camera);
  }

  destroy(): void {
    if (this.dots) this.dots.geometry.dispose();
    this.dotMaterial.dispose();
    this.surface?.destroy();
    this.surface = null;
    this.controls.dispose();
    this.renderer.dispose();
  }
}
