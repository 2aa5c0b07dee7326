// A polyline drawn as a thin tube (WebGPU draws 1-px lines only): the
// minimum-energy path, the straight line it is compared with, and curves of
// degenerate minima. Points are world coordinates; the geometry is rebuilt on
// every change (a few hundred vertices).
import { Color, CurvePath, LineCurve3, Mesh, MeshBasicNodeMaterial, TubeGeometry, Vector3 } from 'three/webgpu';

export class Polyline {
  readonly mesh: Mesh;
  private readonly material: MeshBasicNodeMaterial;
  private geometry: TubeGeometry | null = null;

  /** `overlay`: drawn over everything (the maps); otherwise depth-tested (the 3-D view). */
  constructor(color: Color, overlay: boolean, opacity = 1, renderOrder = 3) {
    this.material = new MeshBasicNodeMaterial({ color, transparent: overlay || opacity < 1, opacity, depthTest: !overlay, depthWrite: !overlay });
    this.mesh = new Mesh(undefined, this.material);
    this.mesh.frustumCulled = false;
    this.mesh.renderOrder = renderOrder;
    this.mesh.visible = false;
    this.mesh.name = 'Polyline';
  }

  /** Replaces the line; `radius` in world units; fewer than 2 points hide it. */
  set(points: [number, number, number][], radius: number, closed = false): void {
    this.geometry?.dispose();
    this.geometry = null;
    const pts = points.map((p) => new Vector3(...p));
    if (closed && pts.length > 2) pts.push(pts[0].clone());
    const path = new CurvePath<Vector3>();
    for (let i = 1; i < pts.length; i++) if (pts[i].distanceToSquared(pts[i - 1]) > 0) path.add(new LineCurve3(pts[i - 1], pts[i]));
    if (path.curves.length === 0) {
      this.mesh.visible = false;
      return;
    }
    // one tube segment per line piece keeps the corners where the pivots are
    this.geometry = new TubeGeometry(path, Math.min(2048, path.curves.length * 2), radius, 6, false);
    this.mesh.geometry = this.geometry;
    this.mesh.visible = true;
  }

  hide(): void {
    this.mesh.visible = false;
  }

  destroy(): void {
    this.geometry?.dispose();
    this.material.dispose();
  }
}
