// Particle trails: the last TRAIL_LENGTH recorded positions of the first
// TRAIL_PARTICLES particles of a panel (trail-ring.ts, a GPU ring buffer that
// is three.js's storage buffer itself), drawn as fading polylines on the 3-D
// surface and over the particle map, so that loops (limit cycles) show in the
// particles themselves. Segment s of a trail joins the positions s and s + 1
// records old; it fades from the newest (opaque) to the oldest (clear). Each
// segment is a screen-aligned quad TRAIL_WIDTH CSS pixels wide (WebGPU draws
// lines 1 device pixel wide only), built in the vertex shader from the vertex
// index, like the particles' dots.
import { Color, DoubleSide, Mesh, MeshBasicNodeMaterial, StorageBufferAttribute, type Node } from 'three/webgpu';
import {
  cameraProjectionMatrix, float, modelViewMatrix, screenDPR, select, storage, uint, uniform, varying, vec2, vec4, vertexIndex, viewportSize,
} from 'three/tsl';
import type { BufferLookup } from './particle-layer';
import type { SurfaceMesh } from './surface-mesh';
import { surfacePlacer, type DomainPoint, type Placed } from './surface-lift';
import { mapPlacer } from './map-placer';
import { disposeShaderGeometry, shaderGeometry } from './shader-geometry';
import { TrailRing } from './trail-ring';

/** particles with a trail (the first ones of the panel: a random sample of its cloud) */
export const TRAIL_PARTICLES = 128;
/** positions per trail */
export const TRAIL_LENGTH = 48;
/**
 * PDE time (t = steps * lr_eff) between two positions of a trail, at least:
 * a trail spans the last 48 * 0.05 = 2.4 time units or, when frames advance
 * more than that, the last 48 frames.
 */
export const TRAIL_DT = 0.05;
/** line width, CSS pixels */
const TRAIL_WIDTH = 1;
/** vertices per segment (two triangles) */
const QUAD = 6;

export class TrailLayer {
  readonly object3d: Mesh;
  readonly objectMap: Mesh;
  readonly ring: TrailRing;
  /** the ring buffer: TRAIL_LENGTH slots of `count` vec2f */
  readonly positions: StorageBufferAttribute;
  private readonly uHead = uniform(0, 'uint');
  private readonly uFilled = uniform(0, 'uint');
  private readonly materials: MeshBasicNodeMaterial[] = [];
  private readonly geometry;

  /** `source`: the panel's positions (vec2f per particle), `particles` of them; `stepTime`: PDE time per step */
  constructor(source: GPUBuffer, particles: number, stepTime: number, surface: SurfaceMesh, length = TRAIL_LENGTH) {
    const count = Math.min(TRAIL_PARTICLES, particles);
    this.ring = new TrailRing(source, count, length, Math.round(TRAIL_DT / stepTime));
    this.positions = new StorageBufferAttribute(new Float32Array(2 * count * length), 2);
    const pos = storage(this.positions, 'vec2', count * length).toReadOnly();
    // vertex v: corner c of segment s of trail p; the corner's end e (0 or 1) is the position s + e records old
    const perTrail = QUAD * (length - 1);
    const p = vertexIndex.div(perTrail);
    const s = vertexIndex.mod(perTrail).div(QUAD);
    const c = vertexIndex.mod(QUAD);
    const e = select(c.equal(1).or(c.equal(2)).or(c.equal(4)), uint(1), uint(0));
    const side = select(c.equal(2).or(c.equal(4)).or(c.equal(5)), float(0.5), float(-0.5));
    const at = (age: Node<'uint'>) => pos.element(this.uHead.add(length).sub(age).mod(length).mul(count).add(p));
    const ends: [DomainPoint, DomainPoint] = [at(s), at(s.add(1))];
    const valid = s.add(1).lessThan(this.uFilled);
    const fade = float(1).sub(float(s.add(e)).div(length - 1));

    this.geometry = shaderGeometry(count * perTrail);
    const lines = (place: (p: DomainPoint) => Placed, overlay: boolean, name: string) => {
      const [a, b] = ends.map(place);
      const clipA = cameraProjectionMatrix.mul(modelViewMatrix).mul(vec4(a.centre, 1));
      const clipB = cameraProjectionMatrix.mul(modelViewMatrix).mul(vec4(b.centre, 1));
      // the segment's direction on screen (pixels), and the corner's offset across it
      const half = viewportSize.div(2);
      const d = clipB.xy.div(clipB.w).sub(clipA.xy.div(clipA.w)).mul(half);
      const across = vec2(d.y.negate(), d.x).div(d.length().max(1e-6)).mul(side.mul(screenDPR.mul(TRAIL_WIDTH)));
      const clip = select(e.equal(1), clipB, clipA);
      const m = new MeshBasicNodeMaterial({ transparent: true, depthWrite: false, depthTest: !overlay, side: DoubleSide });
      // a segment with an end outside the domain or not recorded yet goes behind the far plane (clipped)
      m.vertexNode = select(valid.and(a.inside).and(b.inside), clip.add(vec4(across.div(half).mul(clip.w), 0, 0)), vec4(0, 0, 2, 1));
      m.colorNode = uniform(new Color(0.86, 0.9, 1));
      m.opacityNode = varying(fade).mul(varying(fade)).mul(0.25);
      this.materials.push(m);
      const o = new Mesh(this.geometry, m);
      o.frustumCulled = false;
      // under the particles' dots (2) in the 3-D view, over the density (1) on the map
      o.renderOrder = overlay ? 2 : 1.5;
      o.name = name;
      return o;
    };
    this.object3d = lines(surfacePlacer(surface, 0.014), false, 'TrailLayer.3d');
    this.objectMap = lines(mapPlacer(surface, 0.02), true, 'TrailLayer.map');
  }

  /** Records this frame's positions (GPU to GPU) when the simulation advanced; keeps the shaders' slot uniforms in step. */
  encode(encoder: GPUCommandEncoder, lookup: BufferLookup, stepsDone: number): void {
    this.ring.encodeRecord(encoder, lookup(this.positions), stepsDone);
    this.uHead.value = Math.max(0, this.ring.head);
    this.uFilled.value = this.ring.filled;
  }

  destroy(): void {
    for (const m of this.materials) m.dispose();
    disposeShaderGeometry(this.geometry);
    this.positions.dispose();
  }
}
