// Shader nodes that place domain points (x, y) on the 3-D surface: the
// display height bilinearly interpolated from the mesh heights, lifted a
// little so that what sits on it is not cut by the mesh's flat triangles.
// (On the top view's plane: map-placer.ts.)
import { Vector2, Vector3 } from 'three/webgpu';
import { Fn, int, mix, storage, uniform, vec3 } from 'three/tsl';
import type { Node } from 'three/webgpu';
import { MESH_CELLS, type SurfaceMesh } from './surface-mesh';

export type DomainPoint = Node<'vec2'>;

/** What a point becomes in a view: its world position, and whether it lies inside the domain. */
export interface Placed {
  inside: Node<'bool'>;
  centre: Node<'vec3'>;
}

/** World units the particles' dots sit above the surface. */
export const PARTICLE_LIFT = 0.012;

/** Places domain points on the surface of `surface` (world units above it: `lift`). */
export function surfacePlacer(surface: SurfaceMesh, lift = PARTICLE_LIFT): (p: DomainPoint) => Placed {
  const cells = MESH_CELLS;
  const heights = storage(surface.heights, 'float', (cells + 1) * (cells + 1)).toReadOnly();
  const { domain } = surface.field;
  const world = surface.world;
  const lo = uniform(new Vector2(domain.x[0], domain.y[0]));
  const span = uniform(new Vector2(domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]));
  // world = ((x - cx) k, t * height + lift, -(y - cy) k)
  const frame = uniform(new Vector3(world.cx, world.cy, world.k));
  const height = uniform(world.height);
  return (p) => {
    const g = p.sub(lo).div(span).mul(cells);
    const inside = g.x.greaterThanEqual(0).and(g.y.greaterThanEqual(0)).and(g.x.lessThanEqual(cells)).and(g.y.lessThanEqual(cells));
    const centre = Fn(() => {
      const gc = g.clamp(0, cells - 1e-4).toVar();
      const cell = gc.floor();
      const f = gc.sub(cell);
      const i00 = int(cell.y).mul(cells + 1).add(int(cell.x));
      const h00 = heights.element(i00), h10 = heights.element(i00.add(1));
      const h01 = heights.element(i00.add(cells + 1)), h11 = heights.element(i00.add(cells + 2));
      const t = mix(mix(h00, h10, f.x), mix(h01, h11, f.x), f.y);
      const X = p.x.sub(frame.x).mul(frame.z);
      const Z = p.y.sub(frame.y).mul(frame.z).negate();
      return vec3(X, t.mul(height).add(lift), Z);
    })();
    return { inside, centre };
  };
}
