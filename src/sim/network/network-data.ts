// A network scenario's dataset on the GPU: one vec4f per sample, (x, y, label, 0),
// the nTrain training samples first, then the test split. Shared by all panels.
import { OwnedResources } from '../../gpu/stage';

export interface SampleSource {
  /** x0 y0 x1 y1 ... (input units) */
  inputs: Float32Array;
  /** 0 or 1 per sample */
  labels: Float32Array;
  nTrain: number;
  nTest: number;
}

/** The GPU buffer's contents: (x, y, label, 0) per sample. */
export function packSamples(d: SampleSource): Float32Array<ArrayBuffer> {
  const n = d.labels.length;
  const out = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    out[4 * i] = d.inputs[2 * i];
    out[4 * i + 1] = d.inputs[2 * i + 1];
    out[4 * i + 2] = d.labels[i];
  }
  return out;
}

export class NetworkData {
  /** array<vec4f>: (x, y, label, 0) per sample, train then test */
  readonly samples: GPUBuffer;
  readonly nTrain: number;
  readonly nTest: number;
  private readonly owned: OwnedResources;

  constructor(device: GPUDevice, data: SampleSource, label = 'NetworkData') {
    this.owned = new OwnedResources(device, label);
    this.nTrain = data.nTrain;
    this.nTest = data.nTest;
    this.samples = this.owned.buffer('samples', 16 * data.labels.length, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC, packSamples(data));
  }

  destroy(): void {
    this.owned.destroy();
  }
}
