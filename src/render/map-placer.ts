// Shader nodes that place domain points (x, y) on the top view's plane (map
// scene: the XY plane, domain units times the world frame's k, centred), for
// the layers drawn over the maps (surface-lift.ts places them on the surface).
import { Vector2, Vector3 } from 'three/webgpu';
import { uniform, vec3 } from 'three/tsl';
import type { SurfaceMesh } from './surface-mesh';
import type { DomainPoint, Placed } from './surface-lift';

/** Places domain points on the top view's plane (XY, the map camera looks down -Z), `z` above it. */
export function mapPlacer(surface: SurfaceMesh, z = 0): (p: DomainPoint) => Placed {
  const { domain } = surface.field;
  const world = surface.world;
  const frame = uniform(new Vector3(world.cx, world.cy, world.k));
  const lo = uniform(new Vector2(domain.x[0], domain.y[0]));
  const hi = uniform(new Vector2(domain.x[1], domain.y[1]));
  return (p) => ({
    inside: p.x.greaterThanEqual(lo.x).and(p.y.greaterThanEqual(lo.y)).and(p.x.lessThanEqual(hi.x)).and(p.y.lessThanEqual(hi.y)),
    centre: vec3(p.x.sub(frame.x).mul(frame.z), p.y.sub(frame.y).mul(frame.z), z),
  });
}
