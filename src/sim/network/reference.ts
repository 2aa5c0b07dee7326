// CPU reference of shaders/network_init.wgsl and network_step.wgsl, in float64
// with the same random streams (spec.ts): a cloud of `count` networks, each a
// parameter vector of D floats, trained by the panel's optimizer exactly as the
// 2-D particles are (src/sim/particles/reference.ts stepParticle), element-wise.
import { F32_MAX } from '../../model/float32';
import { lossGradient } from '../../model/network/mlp';
import type { NetworkModel } from '../../model/network/model';
import { initGain, NETWORK_INIT_STREAM, NOISE_DRAW_BASE, type Activation, type NetworkInitSpec, type NetworkLayout } from '../../model/network/spec';
import { boxMuller, mulhi32, normals4, uniformOpen } from '../../rng/philox';
import { stepBits } from '../../rng/threefry';
import type { NetworkStepConfig } from './step-config';

export interface NetworkState {
  /** count x D, particle-major: network p's parameters at p * D (spec.ts networkLayout) */
  params: Float64Array;
  /** SGD momentum buffer m, or Adam's first moment (count x D) */
  moment1: Float64Array;
  /** Adam's second moment v (count x D); untouched by SGD */
  moment2: Float64Array;
  /** 0 alive, else 1 + the global step k at which the network diverged (frozen ever after) */
  status: Uint32Array;
}

/**
 * Network `particle`'s initial parameters (D floats): weight d is
 * sqrt(gain / fanIn) * component d % 4 of normals4(seed, NETWORK_INIT_STREAM, p, 0, floor(d / 4)),
 * p = particle ('fan-in') or 0 ('shared'); biases are 0.
 */
export function initialNetworkParams(layout: NetworkLayout, activation: Activation, init: NetworkInitSpec, seed: number, particle: number): Float64Array {
  const p = init.kind === 'shared' ? 0 : particle;
  const out = new Float64Array(layout.params);
  const gain = initGain(activation);
  for (const { fanIn, fanOut, weightOffset } of layout.layers) {
    const scale = Math.sqrt(gain / fanIn);
    for (let d = weightOffset; d < weightOffset + fanIn * fanOut; d++) {
      out[d] = scale * normals4(seed, NETWORK_INIT_STREAM, p, 0, Math.floor(d / 4))[d % 4];
    }
  }
  return out;
}

/** `count` networks at their initial parameters, moments and status 0. */
export function initialNetworkState(model: NetworkModel, init: NetworkInitSpec, seed: number, count: number): NetworkState {
  const D = model.layout.params;
  const params = new Float64Array(count * D);
  for (let p = 0; p < count; p++) params.set(initialNetworkParams(model.layout, model.activation, init, seed, p), p * D);
  return { params, moment1: new Float64Array(count * D), moment2: new Float64Array(count * D), status: new Uint32Array(count) };
}

/** 1 where parameter d is a weight (it gets weight decay), 0 for biases. */
export function weightMask(layout: NetworkLayout): Uint8Array {
  const mask = new Uint8Array(layout.params);
  for (const { fanIn, fanOut, weightOffset } of layout.layers) mask.fill(1, weightOffset, weightOffset + fanIn * fanOut);
  return mask;
}

/** The B training-sample indices of network i's minibatch at step k (with replacement, in [0, nTrain)). */
export function minibatchIndices(seed: number, stream: number, i: number, k: number, batch: number, nTrain: number, out = new Uint32Array(batch)): Uint32Array {
  let bits: Uint32Array = new Uint32Array(2);
  for (let b = 0; b < batch; b++) {
    if (b % 2 === 0) bits = stepBits(seed, stream, i, k, 1 + Math.floor(b / 2));
    out[b] = mulhi32(bits[b % 2], nTrain);
  }
  return out;
}

/** The additive noise xi_d ~ N(0, 1) of every parameter of network i at step k (D floats). */
export function gradientNoise(seed: number, stream: number, i: number, k: number, D: number, out = new Float64Array(D)): Float64Array {
  for (let d = 0; d < D; d += 2) {
    const bits = stepBits(seed, stream, i, k, NOISE_DRAW_BASE + d / 2);
    const [z0, z1] = boxMuller(uniformOpen(bits[0]), uniformOpen(bits[1]));
    out[d] = z0;
    if (d + 1 < D) out[d + 1] = z1;
  }
  return out;
}

/**
 * A value the GPU can hold: finite in float32 (|v| <= F32_MAX; NaN fails).
 * The float64 reference calls a network diverged where float32 would overflow.
 */
const representable = (v: number) => Math.abs(v) <= F32_MAX;

/**
 * Advances network i by `steps` steps from global step `start` (mutates `state`).
 * Divergence: when the loss at step k (before its update) or any updated
 * parameter is not representable, the step is not taken (parameters and moments
 * stay as after step k - 1), status = 1 + k, and the network is frozen for ever after.
 */
export function stepNetwork(state: NetworkState, model: NetworkModel, cfg: NetworkStepConfig, seed: number, stream: number, i: number, start: number, steps: number): void {
  if (state.status[i] !== 0) return;
  const { layout, activation, dataset } = model;
  const D = layout.params, off = i * D;
  const x = state.params.subarray(off, off + D);
  const m = state.moment1.subarray(off, off + D);
  const v = state.moment2.subarray(off, off + D);
  const grad = new Float64Array(D), xi = new Float64Array(D);
  const nx = new Float64Array(D), nm = new Float64Array(D), nv = new Float64Array(D);
  const isWeight = weightMask(layout);
  const indices = cfg.estimator === 'minibatch' ? new Uint32Array(cfg.batch) : Uint32Array.from({ length: dataset.nTrain }, (_, n) => n);
  const adam = cfg.optimizer === 2;
  let flag = 0;
  for (let s = 0; s < steps; s++) {
    const k = start + s;
    if (cfg.estimator === 'minibatch') minibatchIndices(seed, stream, i, k, cfg.batch, dataset.nTrain, indices);
    const loss = lossGradient(layout, activation, x, 0, dataset.inputs, dataset.labels, indices, grad);
    if (!representable(loss)) {
      flag = k + 1;
      break;
    }
    if (cfg.noiseScale !== 0) gradientNoise(seed, stream, i, k, D, xi);
    const c1 = 1 - Math.pow(cfg.beta1, k + 1), c2 = 1 - Math.pow(cfg.beta2, k + 1);
    let ok = true;
    for (let d = 0; d < D; d++) {
      let g = grad[d];
      if (isWeight[d]) g += cfg.weightDecay * x[d];
      if (cfg.noiseScale !== 0) g += cfg.noiseScale * xi[d];
      if (adam) {
        nm[d] = cfg.beta1 * m[d] + (1 - cfg.beta1) * g;
        nv[d] = cfg.beta2 * v[d] + (1 - cfg.beta2) * g * g;
        nx[d] = x[d] - (cfg.lr * (nm[d] / c1)) / (Math.sqrt(nv[d] / c2) + cfg.eps);
      } else {
        nm[d] = cfg.momentum * m[d] + g;
        nx[d] = x[d] - cfg.lr * (cfg.optimizer === 1 ? g + cfg.momentum * nm[d] : nm[d]);
      }
      ok &&= representable(nx[d]);
    }
    if (!ok) {
      flag = k + 1;
      break;
    }
    x.set(nx);
    m.set(nm);
    if (adam) v.set(nv);
  }
  state.status[i] = flag;
}
