// The 2-D binary classification datasets of network scenarios, drawn from the
// scenario seed with Philox (spec.ts NETWORK_DATA_STREAM): sample i is a pure
// function of (seed, i), so it is the same in the page, the runner and tests.
// Per sample: four uniforms u = philox4x32([i, 0, 0, 0], [seed, DATA]) and four
// normals n = normals4(seed, DATA, i, 0, 1).
//   u0: position along the shape (angle, radius or x), u1: the class (or y),
//   u3: the label flip; n0, n1: input noise; n2, n3: the blobs' own spread.
import { normals4, philox4x32, uniformOpen } from '../../rng/philox';
import { NETWORK_DATA_STREAM, type DatasetKind, type DatasetSpec } from './spec';

export interface Dataset {
  kind: DatasetKind;
  /** x0 y0 x1 y1 ... (input units), train samples first, then the test split */
  inputs: Float32Array;
  /** 0 or 1 per sample */
  labels: Float32Array;
  nTrain: number;
  /** the last nTest = round(testFraction * N) samples */
  nTest: number;
}

/** Standard deviation of each blob around its centre (input units), before the input noise. */
const BLOB_STD = 0.4;
/** Turns of each spiral arm from the centre to radius 1. */
const SPIRAL_TURNS = 1.5;

/** A clean sample (before input noise and label flips): [x, y, label]. */
function cleanSample(kind: DatasetKind, u0: number, u1: number, n2: number, n3: number): [number, number, number] {
  const second = u1 >= 0.5; // class 1
  switch (kind) {
    case 'two-moons': {
      // as ../shared/peers/mlp_numpy.py: t ~ U(0, pi); upper moon label 0, lower label 1
      const t = Math.PI * u0;
      return second ? [1 - Math.cos(t), 0.5 - Math.sin(t), 1] : [Math.cos(t), Math.sin(t), 0];
    }
    case 'spirals': {
      // two arms r = u0 in (0, 1), angle 2 pi TURNS r, the second arm turned by pi
      const r = u0, a = 2 * Math.PI * SPIRAL_TURNS * r + (second ? Math.PI : 0);
      return [r * Math.cos(a), r * Math.sin(a), second ? 1 : 0];
    }
    case 'xor': {
      // uniform on [-1, 1]^2, label 1 in the quadrants where x y > 0
      const x = 2 * u0 - 1, y = 2 * u1 - 1;
      return [x, y, x * y > 0 ? 1 : 0];
    }
    case 'circles': {
      // outer circle radius 1 label 0, inner circle radius 0.5 label 1
      const a = 2 * Math.PI * u0, r = second ? 0.5 : 1;
      return [r * Math.cos(a), r * Math.sin(a), second ? 1 : 0];
    }
    case 'blobs':
      // Gaussian blobs of std BLOB_STD around (-1, 0) (label 0) and (1, 0) (label 1)
      return [(second ? 1 : -1) + BLOB_STD * n2, BLOB_STD * n3, second ? 1 : 0];
  }
}

/**
 * spec.samples samples: the clean shape, plus spec.noise * N(0, 1) on each input
 * coordinate; each label is then flipped with probability spec.labelNoise
 * (independently, so about labelNoise * N labels are wrong and the loss cannot reach 0).
 */
export function makeDataset(spec: DatasetSpec, seed: number): Dataset {
  const n = spec.samples;
  const inputs = new Float32Array(2 * n);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = philox4x32([i, 0, 0, 0], [seed, NETWORK_DATA_STREAM]);
    const z = normals4(seed, NETWORK_DATA_STREAM, i, 0, 1);
    const [x, y, label] = cleanSample(spec.kind, uniformOpen(u[0]), uniformOpen(u[1]), z[2], z[3]);
    inputs[2 * i] = x + spec.noise * z[0];
    inputs[2 * i + 1] = y + spec.noise * z[1];
    labels[i] = uniformOpen(u[3]) < spec.labelNoise ? 1 - label : label;
  }
  const nTest = Math.round(spec.testFraction * n);
  return { kind: spec.kind, inputs, labels, nTrain: n - nTest, nTest };
}
