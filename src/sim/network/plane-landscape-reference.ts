// CPU reference of the plane landscape (src/sim/network/plane-landscape.ts):
// the mean training loss at the grid nodes, in float64, with the nodes'
// networks rounded to float32 as the GPU materialises them.
import { evaluateNetwork, type SampleSet } from '../../model/network/mlp';
import type { NetworkArchitecture } from './evaluation';
import { planePoint, type WeightPlane } from './plane';
import { gridNodes, type LandscapeRange } from './plane-landscape';

/** grid x grid, row-major: [j * grid + i] is the training loss at (a_i, b_j) (the layout of PlaneLandscape.compute). */
export function planeLandscapeReference(
  model: NetworkArchitecture, samples: SampleSet & { nTrain: number }, plane: WeightPlane, range: LandscapeRange, grid: number,
): Float64Array {
  const as = Float32Array.from(gridNodes(range.a[0], range.a[1], grid));
  const bs = Float32Array.from(gridNodes(range.b[0], range.b[1], grid));
  const out = new Float64Array(grid * grid);
  for (let j = 0; j < grid; j++) {
    for (let i = 0; i < grid; i++) {
      const x = Float32Array.from(planePoint(plane, as[i], bs[j]));
      out[j * grid + i] = evaluateNetwork(model.layout, model.activation, x, 0, samples, 0, samples.nTrain).loss;
    }
  }
  return out;
}
