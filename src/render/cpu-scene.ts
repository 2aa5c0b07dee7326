// The no-WebGPU lab's 3-D views: three.js's WebGPURenderer on its WebGL 2
// backend (forceWebGL), the same lit loss surface as the GPU page
// (SurfaceMesh, node materials compiled to GLSL) and the same camera and
// orbit controls, with each panel's particles as 1-px points whose positions
// come from the CPU clouds: lifted onto the mesh by bilinear interpolation of
// its vertex heights, as the GPU particle layer does in its vertex shader.
import { BufferAttribute, BufferGeometry, Color, PerspectiveCamera, Points, PointsNodeMaterial, Scene, WebGPURenderer } from 'three/webgpu';
import type { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import type { CpuCloudView } from './cpu-maps';
import type { PanelLayout, Rect } from './layout';
import { MESH_CELLS, SurfaceMesh } from './surface-mesh';
import { meshHeightAt } from './mesh-height';
import type { SurfaceField } from './surface-field';
import { WorldFrame } from './world';
import { clearForViews, configureLabRenderer, drawInto, setUpSurfaceView } from './viewports';

/** World units the dots float above the mesh, so the surface does not hide them where it curves between vertices. */
const LIFT = 0.004;

export class CpuScene {
  readonly controls: OrbitControls;
  private readonly camera = new PerspectiveCamera(38, 1, 0.01, 100);
  private readonly scene = new Scene();
  private surface: SurfaceMesh | null = null;
  private field: SurfaceField | null = null;
  /** display heights t in [0, 1] at the mesh vertices, (MESH_CELLS + 1)² */
  private heights = new Float32Array(0);
  private points: { object: Points; geometry: BufferGeometry; position: Float32Array }[] = [];
  private readonly material = new PointsNodeMaterial({ color: new Color(1, 0.55, 0.18), transparent: true, opacity: 0.55, depthWrite: false });
  private width = 1;
  private height = 1;

  private constructor(readonly renderer: WebGPURenderer) {
    configureLabRenderer(renderer);
    // the GPU page's view (render/lab-renderer.ts)
    this.controls = setUpSurfaceView(this.scene, this.camera, renderer.domElement);
  }

  /** A scene on `canvas` through WebGL 2; rejects where the browser has none. One per canvas: it keeps its context across scenarios. */
  static async create(canvas: HTMLCanvasElement): Promise<CpuScene> {
    const renderer = new WebGPURenderer({ canvas, forceWebGL: true, antialias: false, alpha: false });
    await renderer.init();
    return new CpuScene(renderer);
  }

  /** The loss surface the views show (a new scenario's); the clouds' points are kept. */
  setField(field: SurfaceField): void {
    if (this.field === field) return;
    if (this.surface) {
      this.scene.remove(this.surface.mesh);
      this.surface.destroy();
    }
    this.field = field;
    this.surface = new SurfaceMesh(field, new WorldFrame(field.domain));
    this.heights = field.heights(MESH_CELLS);
    this.scene.add(this.surface.mesh);
  }

  resize(width: number, height: number, pixelRatio: number): void {
    this.width = Math.max(1, Math.floor(width));
    this.height = Math.max(1, Math.floor(height));
    this.renderer.setPixelRatio(pixelRatio);
    this.renderer.setSize(this.width, this.height, false);
  }

  setOpacity(opacity: number): void {
    this.material.opacity = Math.min(Math.max(opacity, 0), 1);
  }

  /** Draws each panel's 3-D view: the surface and that panel's cloud. */
  render(layouts: PanelLayout[], clouds: CpuCloudView[]): void {
    const r = this.renderer;
    clearForViews(r, this.width, this.height);
    if (!this.surface) return;
    for (const l of layouts) {
      const cloud = clouds[l.index];
      if (!l.view3d || !cloud) continue;
      const dots = this.cloudPoints(l.index, cloud);
      this.points.forEach((p, i) => { p.object.visible = i === l.index; });
      dots.object.visible = true;
      this.camera.aspect = l.view3d.w / l.view3d.h;
      this.camera.updateProjectionMatrix();
      this.viewport(l.view3d);
      r.render(this.scene, this.camera);
    }
  }

  destroy(): void {
    this.controls.dispose();
    for (const p of this.points) p.geometry.dispose();
    this.material.dispose();
    this.surface?.destroy();
    this.renderer.dispose();
  }

  /** Panel `index`'s points with the cloud's positions written in (world space, on the surface; diverged ones far away). */
  private cloudPoints(index: number, cloud: CpuCloudView): { object: Points; position: Float32Array; geometry: BufferGeometry } {
    const n = cloud.status.length;
    let p = this.points[index];
    if (!p || p.position.length !== 3 * n) {
      p?.geometry.dispose();
      if (p) this.scene.remove(p.object);
      const position = new Float32Array(3 * n);
      const geometry = new BufferGeometry();
      geometry.setAttribute('position', new BufferAttribute(position, 3));
      const object = new Points(geometry, this.material);
      object.frustumCulled = false;
      this.scene.add(object);
      p = this.points[index] = { object, geometry, position };
    }
    const { field, surface } = this;
    if (!field || !surface) return p;
    const { domain } = field;
    const world = surface.world;
    const cells = MESH_CELLS, t = this.heights;
    const sx = cells / (domain.x[1] - domain.x[0]), sy = cells / (domain.y[1] - domain.y[0]);
    for (let i = 0; i < n; i++) {
      const x = cloud.position[2 * i], y = cloud.position[2 * i + 1];
      const u = (x - domain.x[0]) * sx, v = (y - domain.y[0]) * sy;
      if (cloud.status[i] !== 0 || !(u >= 0 && v >= 0 && u <= cells && v <= cells)) {
        p.position[3 * i + 1] = 1e6;
        continue;
      }
      const h = meshHeightAt(t, u, v);
      const [X, Z] = world.toWorld(x, y);
      p.position[3 * i] = X;
      p.position[3 * i + 1] = h * world.height + LIFT;
      p.position[3 * i + 2] = Z;
    }
    (p.geometry.getAttribute('position') as BufferAttribute).needsUpdate = true;
    return p;
  }

  private viewport(rect: Rect): void {
    drawInto(this.renderer, rect);
  }
}
