// The multilayer perceptron of spec.ts in float64: forward pass, logistic
// loss, backpropagated gradient and whole-split evaluation. The CPU reference
// of shaders/lib/network.wgsl (same summation order: bias first, then the
// inputs in order) and of the step, evaluation and plane kernels built on it.
// Parameters may be any ArrayLike (Float32Array from the GPU, Float64Array
// from the reference); network p's D parameters start at `offset` = p * D.
import type { Activation, NetworkLayout } from './spec';

/** Inputs and labels of samples: x0 y0 x1 y1 ... (input units) and 0|1 per sample. */
export interface SampleSet {
  inputs: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/** Floats of the packed hidden activations: layer l's units follow layer l-1's (at most 3 x 64). */
export function hiddenUnits(layout: NetworkLayout): number {
  let n = 0;
  for (let l = 1; l + 1 < layout.sizes.length; l++) n += layout.sizes[l];
  return n;
}

const activate = (relu: boolean, z: number) => (relu ? (z > 0 ? z : 0) : Math.tanh(z));

/** d activation / d z from the activation's output a (relu: 0 at z = 0, as net_slope). */
const slope = (relu: boolean, a: number) => (relu ? (a > 0 ? 1 : 0) : 1 - a * a);

/**
 * Logit of the network at input (x, y). `hidden`, when given (hiddenUnits(layout)
 * floats), receives the hidden activations packed layer after layer.
 */
export function forward(
  layout: NetworkLayout, activation: Activation, params: ArrayLike<number>, offset: number,
  x: number, y: number, hidden: Float64Array = new Float64Array(hiddenUnits(layout)),
): number {
  const relu = activation === 'relu';
  const layers = layout.layers;
  const first = layers[0];
  for (let o = 0; o < first.fanOut; o++) {
    let z = params[offset + first.biasOffset + o];
    z += params[offset + first.weightOffset + 2 * o] * x;
    z += params[offset + first.weightOffset + 2 * o + 1] * y;
    hidden[o] = activate(relu, z);
  }
  let src = 0; // where the current layer's inputs start in `hidden`
  for (let l = 1; l < layers.length - 1; l++) {
    const { fanIn, fanOut, weightOffset, biasOffset } = layers[l];
    const dst = src + fanIn;
    for (let o = 0; o < fanOut; o++) {
      let z = params[offset + biasOffset + o];
      const row = offset + weightOffset + o * fanIn;
      for (let i = 0; i < fanIn; i++) z += params[row + i] * hidden[src + i];
      hidden[dst + o] = activate(relu, z);
    }
    src = dst;
  }
  const out = layers[layers.length - 1];
  let z = params[offset + out.biasOffset];
  for (let i = 0; i < out.fanIn; i++) z += params[offset + out.weightOffset + i] * hidden[src + i];
  return z;
}

/** Binary cross-entropy (nats) of logit z against label y in {0, 1}: softplus(z) - y z, stable for large |z|. */
export function bce(z: number, y: number): number {
  return Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z)));
}

/** sigmoid(z) without overflow: d bce / d z = sigmoid(z) - y. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Mean BCE over the samples `indices` (repeats count again: minibatches are drawn
 * with replacement) and its gradient, written into grad[0..D): the plain mean,
 * no weight-decay term (the step adds it). Returns the mean loss (nats).
 */
export function lossGradient(
  layout: NetworkLayout, activation: Activation, params: ArrayLike<number>, offset: number,
  inputs: ArrayLike<number>, labels: ArrayLike<number>, indices: ArrayLike<number>, grad: Float64Array,
): number {
  const relu = activation === 'relu';
  const layers = layout.layers;
  const last = layers.length - 1;
  const hidden = new Float64Array(hiddenUnits(layout));
  // start of layer l's inputs in `hidden` (l >= 1; layer 0 reads x, y)
  const inputAt = new Int32Array(layers.length);
  for (let l = 2; l < layers.length; l++) inputAt[l] = inputAt[l - 1] + layers[l - 1].fanIn;
  // dLoss / dz of the current layer's units, and of the layer below
  let delta = new Float64Array(64), below = new Float64Array(64);
  grad.fill(0, 0, layout.params);
  let loss = 0;
  for (let s = 0; s < indices.length; s++) {
    const n = indices[s];
    const x = inputs[2 * n], y = inputs[2 * n + 1], label = labels[n];
    const z = forward(layout, activation, params, offset, x, y, hidden);
    loss += bce(z, label);
    delta[0] = sigmoid(z) - label;
    for (let l = last; l >= 0; l--) {
      const { fanIn, fanOut, weightOffset, biasOffset } = layers[l];
      const src = inputAt[l];
      if (l === 0) {
        for (let o = 0; o < fanOut; o++) {
          const d = delta[o];
          grad[biasOffset + o] += d;
          grad[weightOffset + 2 * o] += d * x;
          grad[weightOffset + 2 * o + 1] += d * y;
        }
        break;
      }
      // below[i] = sum over o of delta[o] W[o][i], then times the slope of input unit i
      below.fill(0, 0, fanIn);
      for (let o = 0; o < fanOut; o++) {
        const d = delta[o];
        grad[biasOffset + o] += d;
        const row = weightOffset + o * fanIn;
        for (let i = 0; i < fanIn; i++) {
          grad[row + i] += d * hidden[src + i];
          below[i] += d * params[offset + row + i];
        }
      }
      for (let i = 0; i < fanIn; i++) below[i] *= slope(relu, hidden[src + i]);
      const t = delta;
      delta = below;
      below = t;
    }
  }
  const inv = 1 / indices.length;
  for (let d = 0; d < layout.params; d++) grad[d] *= inv;
  return loss * inv;
}

/**
 * Mean BCE (nats, no weight-decay term) and accuracy (fraction with
 * [logit > 0] = label) over samples [from, to); NaN for both when the range is empty.
 */
export function evaluateNetwork(
  layout: NetworkLayout, activation: Activation, params: ArrayLike<number>, offset: number,
  samples: SampleSet, from: number, to: number,
): { loss: number; accuracy: number } {
  if (to <= from) return { loss: NaN, accuracy: NaN };
  const hidden = new Float64Array(hiddenUnits(layout));
  let loss = 0, right = 0;
  for (let n = from; n < to; n++) {
    const z = forward(layout, activation, params, offset, samples.inputs[2 * n], samples.inputs[2 * n + 1], hidden);
    const label = samples.labels[n];
    loss += bce(z, label);
    if ((z > 0 ? 1 : 0) === (label > 0.5 ? 1 : 0)) right++;
  }
  return { loss: loss / (to - from), accuracy: right / (to - from) };
}
