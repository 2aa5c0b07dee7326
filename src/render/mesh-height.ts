// The surface mesh's display height at a point on the CPU: bilinear in the
// vertex heights, as surface-lift.ts lifts the particles on the GPU. Used by
// the no-WebGPU scene, the landscape marks and the particle splat's reference.
import { MESH_CELLS } from './surface-mesh';

/**
 * Display height t at grid coordinates (gx, gy) in [0, MESH_CELLS] (domain
 * point minus the domain's corner, in mesh cells); `heights` holds
 * (MESH_CELLS + 1)^2 vertex heights, row by row.
 */
export function meshHeightAt(heights: ArrayLike<number>, gx: number, gy: number): number {
  const n = MESH_CELLS, m = n + 1;
  const i = Math.min(n - 1, Math.floor(gx)), j = Math.min(n - 1, Math.floor(gy));
  const fx = gx - i, fy = gy - j, a = j * m + i;
  return (heights[a] * (1 - fx) + heights[a + 1] * fx) * (1 - fy) + (heights[a + m] * (1 - fx) + heights[a + m + 1] * fx) * fy;
}
