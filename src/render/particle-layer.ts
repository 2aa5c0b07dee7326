// One panel's particles in the 3-D view, drawn straight from the simulation's
// position buffer: each frame the positions are copied GPU-to-GPU into this
// layer's storage buffer (never through the CPU), and the vertex shader lifts
// each particle to the surface's display height by bilinear interpolation of
// the mesh heights. Nothing is instanced: SwiftShader (the CPU Vulkan driver of
// headless Chromium) pays microseconds per instance, which made instanced dots
// cost ~10 us per particle per frame. Dots of 1 px are point primitives (one
// vertex per particle); larger dots are screen-aligned quads of two triangles
// (six vertices per particle), both indexed by the vertex index. Over the
// cached 3-D background LabRenderer draws 1-px dots with ParticleSplat (a
// compute pass, particle-splat.ts) instead, and hides these.
import {
  AdditiveBlending, Box3, BufferAttribute, BufferGeometry, Color, DoubleSide, Group, Mesh, MeshBasicNodeMaterial, NormalBlending, Points, PointsNodeMaterial,
  Sphere, StorageBufferAttribute, Vector3,
} from 'three/webgpu';
import {
  cameraProjectionMatrix, length, modelViewMatrix, screenDPR, select, smoothstep, storage, uniform, varying, vec2, vec3, vec4, vertexIndex, viewportSize,
} from 'three/tsl';
import type { SurfaceMesh } from './surface-mesh';
import type { SplatStyle } from './particle-splat';
import type { Node } from 'three/webgpu';
import { surfacePlacer } from './surface-lift';

/** Reaches the GPUBuffer three.js made for a storage attribute (undefined until first use). */
export type BufferLookup = (attribute: StorageBufferAttribute) => GPUBuffer | undefined;

export interface ParticleStyle {
  /** dot diameter in CSS pixels; 1 draws point primitives */
  size: number;
  /** per-dot opacity in [0, 1] */
  opacity: number;
  color: Color;
  additive: boolean;
}

/** Dots at most this wide (CSS px) are drawn as 1-px point primitives. */
const POINT_SIZE_MAX = 1.25;
/** vertices of one dot's quad (two triangles) */
const QUAD_VERTICES = 6;

/**
 * Placeholder vertex attributes shared by every layer of the same size (4 bytes
 * a vertex, never read by the shaders): three.js sizes a draw by its geometry's
 * 'position' attribute. Counted references; released with the last layer.
 */
const placeholders = new Map<number, { attribute: BufferAttribute; users: number }>();

export function placeholderVertices(vertices: number): BufferAttribute {
  let p = placeholders.get(vertices);
  if (!p) placeholders.set(vertices, (p = { attribute: new BufferAttribute(new Float32Array(vertices), 1), users: 0 }));
  p.users++;
  return p.attribute;
}

export function releasePlaceholder(attribute: BufferAttribute): void {
  const p = placeholders.get(attribute.count);
  if (!p || p.attribute !== attribute || --p.users > 0) return;
  placeholders.delete(attribute.count);
}

export class ParticleLayer {
  /** what the renderer adds to its scene and shows for one panel */
  readonly object = new Group();
  /** x, y per particle (domain units): the copy target of the simulation's `position` buffer */
  readonly positions: StorageBufferAttribute;
  private readonly points: Points;
  private readonly quads: Mesh;
  private readonly pointMaterial: PointsNodeMaterial;
  private readonly quadMaterial: MeshBasicNodeMaterial;
  /** draw ranges over the shared placeholder vertices: `count` points, 6 `count` quad corners */
  private readonly pointGeometry = new BufferGeometry();
  private readonly quadGeometry = new BufferGeometry();
  private readonly placeholder: BufferAttribute;
  private readonly uSize = uniform(2.5);
  private readonly uOpacity = uniform(0.55);
  private readonly uColor = uniform(new Color(1, 0.55, 0.18));

  constructor(readonly source: GPUBuffer, readonly count: number, surface: SurfaceMesh) {
    // filled with a far-away point so that particles show nothing until the first copy lands
    this.positions = new StorageBufferAttribute(new Float32Array(2 * count).fill(1e30), 2);
    const pos = storage(this.positions, 'vec2', count).toReadOnly();
    const onSurface = surfacePlacer(surface);
    /** centre of particle `index` in world space, and whether it lies inside the domain */
    const place = (index: Node<'uint'>) => onSurface(pos.element(index));

    // three.js draws as many vertices as its 'position' attribute holds: a shared placeholder
    // (unread values) sized for the quads; the points use its first `count`
    this.placeholder = placeholderVertices(QUAD_VERTICES * count);
    this.pointGeometry.setAttribute('position', this.placeholder);
    this.pointGeometry.setDrawRange(0, count);
    this.quadGeometry.setAttribute('position', this.placeholder);
    this.quadGeometry.setDrawRange(0, QUAD_VERTICES * count);
    // bounds over the placeholder would be NaN: the dots stay within the surface's unit-sized world box
    for (const g of [this.pointGeometry, this.quadGeometry]) {
      g.boundingSphere = new Sphere(new Vector3(), 4);
      g.boundingBox = new Box3(new Vector3(-2, -2, -2), new Vector3(2, 2, 2));
    }

    // point primitives, vertex i = particle i; outside the domain they go beyond the far plane
    const pt = place(vertexIndex);
    this.pointMaterial = new PointsNodeMaterial({ transparent: true, depthWrite: false });
    this.pointMaterial.positionNode = select(pt.inside, pt.centre, vec3(0, 1e6, 0));
    this.pointMaterial.colorNode = this.uColor;
    this.pointMaterial.opacityNode = this.uOpacity;
    this.points = new Points(this.pointGeometry, this.pointMaterial);
    this.points.frustumCulled = false;
    this.points.renderOrder = 2;
    this.points.name = 'ParticleLayer.points';

    // round dots: vertex v is corner v % 6 of particle v / 6's quad, uSize CSS px wide on screen
    const corner = vertexIndex.mod(QUAD_VERTICES);
    const right = corner.equal(1).or(corner.equal(2)).or(corner.equal(4));
    const top = corner.equal(2).or(corner.equal(4)).or(corner.equal(5));
    const offset = vec2(select(right, 0.5, -0.5), select(top, 0.5, -0.5));
    const sp = place(vertexIndex.div(QUAD_VERTICES));
    const clip = cameraProjectionMatrix.mul(modelViewMatrix).mul(vec4(sp.centre, 1));
    // pixels -> clip space: 2 / viewport size per pixel, times w against the perspective divide
    const shift = offset.mul(this.uSize.mul(screenDPR)).div(viewportSize.div(2)).mul(clip.w);
    this.quadMaterial = new MeshBasicNodeMaterial({ transparent: true, depthWrite: false, side: DoubleSide });
    // outside the domain: behind the far plane (z > w), clipped
    this.quadMaterial.vertexNode = select(sp.inside, clip.add(vec4(shift, 0, 0)), vec4(0, 0, 2, 1));
    this.quadMaterial.colorNode = this.uColor;
    this.quadMaterial.opacityNode = smoothstep(0.5, 0.3, length(varying(offset))).mul(this.uOpacity);
    this.quads = new Mesh(this.quadGeometry, this.quadMaterial);
    this.quads.frustumCulled = false;
    this.quads.renderOrder = 2;
    this.quads.name = 'ParticleLayer.quads';

    this.object.name = 'ParticleLayer';
    this.object.add(this.quads);
  }

  /** true while dots are 1-px point primitives (which ParticleSplat can draw instead) */
  get usesPoints(): boolean {
    return this.uSize.value <= POINT_SIZE_MAX;
  }

  /** The dots' colour, opacity and blending, for ParticleSplat. */
  splatStyle(): SplatStyle {
    const c = this.uColor.value;
    return { rgb: [c.r, c.g, c.b], opacity: this.uOpacity.value, additive: this.pointMaterial.blending === AdditiveBlending };
  }

  setStyle(style: Partial<ParticleStyle>): void {
    if (style.size !== undefined) {
      this.uSize.value = style.size;
      const usePoints = style.size <= POINT_SIZE_MAX;
      this.object.remove(usePoints ? this.quads : this.points);
      this.object.add(usePoints ? this.points : this.quads);
    }
    if (style.opacity !== undefined) this.uOpacity.value = style.opacity;
    if (style.color) this.uColor.value.copy(style.color);
    if (style.additive !== undefined) {
      for (const m of [this.pointMaterial, this.quadMaterial]) {
        m.blending = style.additive ? AdditiveBlending : NormalBlending;
        m.needsUpdate = true;
      }
    }
  }

  /** Copies the simulation's positions into this layer (GPU to GPU); false before three.js made its buffer. */
  encodeCopy(encoder: GPUCommandEncoder, lookup: BufferLookup): boolean {
    const target = lookup(this.positions);
    if (!target) return false;
    encoder.copyBufferToBuffer(this.source, 0, target, 0, 8 * this.count);
    return true;
  }

  destroy(): void {
    this.pointMaterial.dispose();
    this.quadMaterial.dispose();
    this.pointGeometry.dispose();
    this.quadGeometry.dispose();
    releasePlaceholder(this.placeholder);
    this.positions.dispose();
  }
}
