// The landscape tools drawn over the surface, in the 3-D view and the top-view
// maps alike: critical-point markers (shape and colour by kind), curves of
// degenerate minima, the minimum-energy path (pivots, climbing image) next to
// the straight line, and the smoothed loss, which replaces the mesh heights,
// the particles' heights and the heatmap while it is shown, with the raw
// minima that vanish under smoothing crossed out. Everything here is built on
// the CPU from small arrays; nothing reads the simulation's buffers.
import { Color, Group } from 'three/webgpu';
import type { Vec2 } from '../model/surface-types';
import { MarkerSet, type MarkerInstance, type MarkerShape, type MarkerView } from './analysis-markers';
import { Polyline } from './analysis-polyline';
import { paintSurfaceImage } from './surface-image';
import type { SurfaceField } from './surface-field';
import { MESH_CELLS, type SurfaceMesh } from './surface-mesh';
import { meshHeightAt } from './mesh-height';

import { MARKER_COLORS, MARKER_SYMBOLS, type MarkerKind } from './marker-colors';

export { MARKER_COLORS, MARKER_SYMBOLS, type MarkerKind };

/** Marker shapes by kind: 3-D solid, flat (maps). */
export const MARKER_SHAPES: Record<'minimum' | 'saddle' | 'maximum', { solid: MarkerShape; flat: MarkerShape }> = {
  minimum: { solid: 'sphere', flat: 'disc' },
  saddle: { solid: 'octahedron', flat: 'diamond' },
  maximum: { solid: 'cone', flat: 'triangle' },
};

export interface CriticalMarker {
  at: Vec2;
  kind: 'minimum' | 'saddle' | 'maximum';
  degenerate: boolean;
}

export interface PathDrawing {
  pivots: { at: Vec2; climbing?: boolean; minimum?: boolean }[];
  /** the straight segment between the path's minima (drawn faint) */
  straight: [Vec2, Vec2] | null;
}

export interface SmoothingDrawing {
  /** the smoothed loss on the raw field's grid and display scale */
  field: SurfaceField;
  /** raw minima: kept (hollow ring) or vanished under smoothing (cross) */
  minima: { at: Vec2; survives: boolean }[];
}

/** Marker radius in world units (the domain's long side is 2 world units). */
const MARKER_SIZE = 0.04;
/** lift above the displayed surface in the 3-D view (world units) */
const LIFT = 0.018;
/** map overlay depth (map camera looks along -Z from z = 5) */
const MAP_Z = 0.5;
/** map draw order, bottom to top (the density layers draw at 1, particles at 2) */
const ORDER = { curves: 3, pathShadow: 4, path: 5, pivots: 6, markers: 8 };

export class AnalysisLayer {
  /** add to the 3-D scene */
  readonly object3d = new Group();
  /** add to the map scene */
  readonly objectMap = new Group();
  private readonly sets = new Map<string, MarkerSet>();
  private readonly lines = new Map<string, Polyline>();
  private critical: { points: CriticalMarker[]; curves: { points: Vec2[]; closed: boolean }[] } | null = null;
  private path: PathDrawing | null = null;
  private smoothing: SmoothingDrawing | null = null;
  /** display heights t (mesh vertices) of the raw loss, kept while the smoothed one is shown */
  private readonly rawHeights: Float32Array;
  private readonly rawPositions: Float32Array;
  private readonly rawImage: HTMLCanvasElement;

  constructor(private readonly surface: SurfaceMesh) {
    this.object3d.name = 'AnalysisLayer.3d';
    this.objectMap.name = 'AnalysisLayer.map';
    this.rawHeights = Float32Array.from(surface.heights.array as Float32Array);
    this.rawPositions = Float32Array.from(surface.mesh.geometry.getAttribute('position').array as Float32Array);
    this.rawImage = surface.texture.image as HTMLCanvasElement;
  }

  /** the field whose heights and colours are drawn: the smoothed loss while shown, else the raw one */
  get shownField(): SurfaceField {
    return this.smoothing?.field ?? this.surface.field;
  }

  /** World positions of domain point (x, y): on the displayed 3-D surface (lifted) and on the map. */
  anchor(x: number, y: number): { view3d: [number, number, number]; map: [number, number, number] } {
    const w = this.surface.world;
    const [X, Z] = w.toWorld(x, y);
    return { view3d: [X, this.meshHeight(x, y) * w.height + LIFT, Z], map: [X, -Z, MAP_Z] };
  }

  setCritical(points: CriticalMarker[] | null, curves: { points: Vec2[]; closed: boolean }[] = []): void {
    this.critical = points ? { points, curves } : null;
    this.drawCritical();
  }

  setPath(path: PathDrawing | null): void {
    this.path = path;
    this.drawPath();
  }

  /** Shows the smoothed loss in place of the raw one (null: back to the raw loss). */
  setSmoothed(s: SmoothingDrawing | null): void {
    const was = this.smoothing;
    this.smoothing = s;
    if (s?.field !== was?.field) this.swapSurface(s?.field ?? null);
    this.drawSmoothingMarks();
    // everything sits on the displayed surface
    this.drawCritical();
    this.drawPath();
  }

  // ---- drawing -------------------------------------------------------------

  /** `order`: map draw order (over the density layers at 1); 3-D objects are depth-tested */
  private set(key: string, shape: MarkerShape, view: MarkerView, order = ORDER.markers): MarkerSet {
    let s = this.sets.get(key);
    if (!s) {
      s = new MarkerSet(shape, view, order);
      this.sets.set(key, s);
      (view === 'map' ? this.objectMap : this.object3d).add(s.object);
    }
    return s;
  }

  private line(key: string, color: string, overlay: boolean, opacity = 1, order = ORDER.curves): Polyline {
    let l = this.lines.get(key);
    if (!l) {
      l = new Polyline(new Color(color), overlay, opacity, order);
      this.lines.set(key, l);
      (overlay ? this.objectMap : this.object3d).add(l.mesh);
    }
    return l;
  }

  /** Marker radius for a set of points: smaller where they crowd (a fraction of the nearest spacing). */
  private markerSize(points: Vec2[]): number {
    const k = this.surface.world.k;
    let nearest = Infinity;
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) nearest = Math.min(nearest, Math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1]));
    }
    return Math.max(0.012, Math.min(MARKER_SIZE, 0.38 * nearest * k));
  }

  private drawCritical(): void {
    const c = this.critical;
    const byKind: Record<string, { solid: MarkerInstance[]; flat: MarkerInstance[] }> = {};
    const curveKeys: string[] = [];
    if (c) {
      const size = this.markerSize(c.points.map((p) => p.at));
      for (const p of c.points) {
        const color = new Color(MARKER_COLORS[p.degenerate ? 'degenerate' : p.kind]);
        const a = this.anchor(p.at[0], p.at[1]);
        const g = (byKind[p.kind] ??= { solid: [], flat: [] });
        g.solid.push({ at: a.view3d, size, color });
        g.flat.push({ at: a.map, size, color });
      }
      c.curves.forEach((curve, i) => {
        const pts = curve.points;
        this.line(`curve3d-${i}`, MARKER_COLORS.degenerate, false).set(this.onSurface(pts, curve.closed), 0.006, curve.closed);
        this.line(`curveMap-${i}`, MARKER_COLORS.degenerate, true, 0.9).set(pts.map((p) => this.anchor(p[0], p[1]).map), 0.008, curve.closed);
        curveKeys.push(`curve3d-${i}`, `curveMap-${i}`);
      });
    }
    for (const kind of ['minimum', 'saddle', 'maximum'] as const) {
      const g = byKind[kind] ?? { solid: [], flat: [] };
      this.set(`crit3d-${kind}`, MARKER_SHAPES[kind].solid, '3d').set(g.solid);
      this.set(`critMap-${kind}`, MARKER_SHAPES[kind].flat, 'map').set(g.flat);
    }
    for (const [key, l] of this.lines) if (key.startsWith('curve') && !curveKeys.includes(key)) l.hide();
  }

  private drawPath(): void {
    const p = this.path;
    const keys = ['path3d', 'pathMap', 'pathShadow', 'straight3d', 'straightMap'];
    if (!p || p.pivots.length < 2) {
      for (const k of keys) this.lines.get(k)?.hide();
      for (const k of ['pivot3d', 'pivotMap', 'climb3d', 'climbMap']) this.sets.get(k)?.set([]);
      return;
    }
    const pts = p.pivots.map((q) => q.at);
    // above a curve of minima it may run along
    this.line('path3d', MARKER_COLORS.path, false).set(this.onSurface(pts, false, 0.016), 0.013);
    const onMap = pts.map((q) => this.anchor(q[0], q[1]).map);
    this.line('pathShadow', '#0a0a10', true, 0.8, ORDER.pathShadow).set(onMap, 0.02);
    this.line('pathMap', MARKER_COLORS.path, true, 1, ORDER.path).set(onMap, 0.011);
    if (p.straight) {
      this.line('straight3d', MARKER_COLORS.straight, false, 0.7).set(this.onSurface(p.straight, false), 0.004);
      const [a, b] = p.straight.map((q) => this.anchor(q[0], q[1]).map);
      this.line('straightMap', MARKER_COLORS.straight, true, 0.6).set([[a[0], a[1], MAP_Z - 0.01], [b[0], b[1], MAP_Z - 0.01]], 0.005);
    } else {
      this.lines.get('straight3d')?.hide();
      this.lines.get('straightMap')?.hide();
    }
    const dot = new Color(MARKER_COLORS.path), climb = new Color(MARKER_COLORS.climb);
    const plain = p.pivots.filter((q) => !q.climbing), top = p.pivots.filter((q) => q.climbing);
    const lifted = (q: Vec2) => { const a = this.anchor(q[0], q[1]).view3d; return [a[0], a[1] + 0.016, a[2]] as [number, number, number]; };
    this.set('pivot3d', 'sphere', '3d').set(plain.map((q) => ({ at: lifted(q.at), size: 0.017, color: dot })));
    this.set('pivotMap', 'disc', 'map', ORDER.pivots).set(plain.map((q) => ({ at: this.anchor(q.at[0], q.at[1]).map, size: 0.014, color: dot })));
    this.set('climb3d', 'sphere', '3d').set(top.map((q) => ({ at: lifted(q.at), size: 0.03, color: climb })));
    this.set('climbMap', 'disc', 'map', ORDER.pivots).set(top.map((q) => ({ at: this.anchor(q.at[0], q.at[1]).map, size: 0.03, color: climb })));
  }

  private drawSmoothingMarks(): void {
    const s = this.smoothing;
    const kept = s?.minima.filter((m) => m.survives) ?? [];
    const gone = s?.minima.filter((m) => !m.survives) ?? [];
    // smaller than the critical-point markers: a dense egg-crate of them must leave the density visible
    const size = s ? 0.7 * this.markerSize(s.minima.map((m) => m.at)) : MARKER_SIZE;
    const white = new Color(MARKER_COLORS.survives), red = new Color(MARKER_COLORS.vanished);
    this.set('kept3d', 'ring', 'surface').set(kept.map((m) => ({ at: this.anchor(m.at[0], m.at[1]).view3d, size, color: white })));
    this.set('keptMap', 'ring', 'map').set(kept.map((m) => ({ at: this.anchor(m.at[0], m.at[1]).map, size, color: white })));
    this.set('gone3d', 'cross', 'surface').set(gone.map((m) => ({ at: this.anchor(m.at[0], m.at[1]).view3d, size, color: red })));
    this.set('goneMap', 'cross', 'map').set(gone.map((m) => ({ at: this.anchor(m.at[0], m.at[1]).map, size, color: red })));
  }

  /** A polyline through domain points, subdivided so that it follows the displayed surface. */
  private onSurface(points: Vec2[], closed: boolean, lift = 0): [number, number, number][] {
    const d = this.surface.field.domain;
    const step = Math.max(d.x[1] - d.x[0], d.y[1] - d.y[0]) / MESH_CELLS;
    const out: [number, number, number][] = [];
    const n = closed ? points.length + 1 : points.length;
    for (let i = 0; i + 1 < n; i++) {
      const a = points[i], b = points[(i + 1) % points.length];
      const pieces = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / step));
      for (let k = 0; k < pieces; k++) {
        const t = k / pieces;
        out.push(this.anchor(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])).view3d);
      }
    }
    const last = closed ? points[0] : points[points.length - 1];
    if (last) out.push(this.anchor(last[0], last[1]).view3d);
    for (const p of out) p[1] += lift;
    return out;
  }

  /** Display height t at (x, y): bilinear in the mesh's vertex heights, as the particles are lifted. */
  private meshHeight(x: number, y: number): number {
    const d = this.surface.field.domain, n = MESH_CELLS;
    const gx = Math.min(n, Math.max(0, ((x - d.x[0]) / (d.x[1] - d.x[0])) * n));
    const gy = Math.min(n, Math.max(0, ((y - d.y[0]) / (d.y[1] - d.y[0])) * n));
    return meshHeightAt(this.surface.heights.array as Float32Array, gx, gy);
  }

  /** Writes a field's display heights into the mesh, the particles' height buffer and the texture (null: the raw loss). */
  private swapSurface(field: SurfaceField | null): void {
    const s = this.surface;
    const heights = field ? field.heights(MESH_CELLS) : this.rawHeights;
    const pos = s.mesh.geometry.getAttribute('position');
    const arr = pos.array as Float32Array;
    if (field) {
      for (let v = 0; v < heights.length; v++) arr[3 * v + 1] = heights[v] * s.world.height;
    } else {
      arr.set(this.rawPositions);
    }
    pos.needsUpdate = true;
    s.mesh.geometry.computeVertexNormals();
    (s.heights.array as Float32Array).set(heights);
    s.heights.needsUpdate = true;
    s.texture.image = field ? paintSurfaceImage(field, { size: 1024 }) : this.rawImage;
    s.texture.needsUpdate = true;
  }

  /** Frees the overlays (the surface is destroyed with this layer, so its heights stay as they are). */
  destroy(): void {
    for (const s of this.sets.values()) s.destroy();
    for (const l of this.lines.values()) l.destroy();
    this.sets.clear();
    this.lines.clear();
  }
}
