// Datasets of the finite-sum surfaces: four standard normals per sample, drawn
// with Philox from the scenario seed and stored as one vec4f per sample. Each
// surface turns them into its data (inputs, targets, features) with its
// parameters, in TS and in WGSL alike, so a parameter change only rewrites the
// parameter uniform and never redraws the data.
import { normals4 } from '../../rng/philox';
import type { ParamSpec } from '../surface-types';

/** Philox stream of datasets: key = (seed, DATASET_STREAM); panels use small stream numbers. */
export const DATASET_STREAM = 0x44415441; // 'DATA'

/** The `samples` parameter every finite-sum surface has (dataset length). */
export const SAMPLES_PARAM: ParamSpec = {
  name: 'samples',
  default: 64,
  min: 1,
  max: 4096,
  description: 'dataset size N (rounded to an integer); the loss is the mean over the N samples',
};

/** The dataset length a `samples` value asks for: rounded and clamped to [1, 4096]. */
export function sampleCount(samples: number): number {
  return Math.min(SAMPLES_PARAM.max, Math.max(SAMPLES_PARAM.min, Math.round(samples)));
}

/** count samples of four N(0, 1) each (float32): sample i holds normals4(seed, DATASET_STREAM, i, 0). */
export function normalDataset(seed: number, count: number): Float32Array<ArrayBuffer> {
  const data = new Float32Array(4 * count);
  for (let i = 0; i < count; i++) data.set(normals4(seed, DATASET_STREAM, i, 0), 4 * i);
  return data;
}
