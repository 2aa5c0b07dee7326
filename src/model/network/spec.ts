// Networks as a surface kind (issue 14): the scenario fields of a multilayer
// perceptron, its parameter layout and the random-stream conventions that the
// CPU reference (reference.ts) and the WGSL kernels (shaders/network_*.wgsl)
// share. This file is the contract between them: change it in one place.
import { z } from 'zod';

/** Dataset names (a contract: other programs read them). */
export const DATASET_KINDS = ['two-moons', 'spirals', 'xor', 'circles', 'blobs'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];
export const ACTIVATIONS = ['tanh', 'relu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const MIN_SAMPLES = 64;
export const MAX_SAMPLES = 16_384;
export const MIN_WIDTH = 2;
export const MAX_WIDTH = 64;
export const MAX_HIDDEN_LAYERS = 3;
/** Networks per panel accepted by the scenario rules (the adapter may allow fewer: see maxNetworks). */
export const MAX_NETWORKS = 65_536;

const finite = () => z.number().finite();

export const datasetSchema = z.object({
  kind: z.enum(DATASET_KINDS),
  /** dataset size N before the split (train + test) */
  samples: z.number().int().min(MIN_SAMPLES).max(MAX_SAMPLES).default(1024),
  /** standard deviation of the Gaussian noise added to each input coordinate (input units) */
  noise: finite().min(0).max(2).default(0.1),
  /** probability that a sample's label is flipped (so the loss cannot reach zero) */
  labelNoise: finite().min(0).max(0.5).default(0),
  /** fraction of the N samples held out as the test split (the last ones) */
  testFraction: finite().min(0).max(0.9).default(0.2),
}).strict();

export const networkSpecSchema = z.object({
  dataset: datasetSchema,
  /** widths of the hidden layers, input side first */
  hidden: z.array(z.number().int().min(MIN_WIDTH).max(MAX_WIDTH)).min(1).max(MAX_HIDDEN_LAYERS),
  activation: z.enum(ACTIVATIONS).default('tanh'),
  /** L2 coefficient lambda: the training loss adds lambda/2 * sum of squared weights (not biases) */
  weightDecay: finite().min(0).max(10).default(0),
}).strict();

export const networkInitSchema = z.discriminatedUnion('kind', [
  /** every particle its own network: weights N(0, gain / fan_in) (gain 1 tanh, 2 relu), biases 0 */
  z.object({ kind: z.literal('fan-in') }).strict(),
  /** every particle starts from particle 0's fan-in network (the cloud spreads from one point) */
  z.object({ kind: z.literal('shared') }).strict(),
]);

export type DatasetSpec = z.output<typeof datasetSchema>;
export type NetworkSpec = z.output<typeof networkSpecSchema>;
export type NetworkInitSpec = z.output<typeof networkInitSchema>;

/** One block of the parameter vector: a layer's weights W (shape [fanOut, fanIn], row-major) or biases b ([fanOut]). */
export interface ParamBlock {
  /** 0 = first hidden layer; the output layer is the last */
  layer: number;
  name: 'W' | 'b';
  shape: number[];
  /** index of the block's first float in a particle's parameter vector */
  offset: number;
}

export interface LayerShape {
  fanIn: number;
  fanOut: number;
  /** W[o][i] is at weightOffset + o * fanIn + i */
  weightOffset: number;
  /** b[o] is at biasOffset + o */
  biasOffset: number;
}

/**
 * The parameter vector of one network (one particle), D floats:
 * W0, b0, W1, b1, ..., W_out, b_out with W row-major [fanOut][fanIn].
 * sizes = [2, ...hidden, 1].
 */
export interface NetworkLayout {
  sizes: number[];
  layers: LayerShape[];
  blocks: ParamBlock[];
  /** D: parameters per network */
  params: number;
  /** weights only (no biases): the multiply-adds of one forward pass per sample */
  weights: number;
}

export function networkLayout(hidden: readonly number[]): NetworkLayout {
  const sizes = [2, ...hidden, 1];
  const layers: LayerShape[] = [];
  const blocks: ParamBlock[] = [];
  let offset = 0, weights = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l], fanOut = sizes[l + 1];
    layers.push({ fanIn, fanOut, weightOffset: offset, biasOffset: offset + fanIn * fanOut });
    blocks.push({ layer: l, name: 'W', shape: [fanOut, fanIn], offset });
    blocks.push({ layer: l, name: 'b', shape: [fanOut], offset: offset + fanIn * fanOut });
    offset += fanIn * fanOut + fanOut;
    weights += fanIn * fanOut;
  }
  return { sizes, layers, blocks, params: offset, weights };
}

// ---- random streams (Philox key = (seed, stream), counter = (i, k, j, 0)) ----

/** Dataset sample i: philox4x32([i, 0, 0, 0], [seed, DATA]) -> 4 uniforms; normals4(seed, DATA, i, 0, 1) -> 4 normals. */
export const NETWORK_DATA_STREAM = 0x4e455444; // 'NETD'
/**
 * Initial parameter d of particle p (p = 0 for every particle under 'shared'):
 * component d % 4 of normals4(seed, NETWORK_INIT_STREAM, p, 0, floor(d / 4)),
 * times sqrt(gain / fanIn) for weights; biases are 0.
 */
export const NETWORK_INIT_STREAM = 0x4e455449; // 'NETI'
/**
 * Steps use the particles' Threefry stream (src/rng/threefry.ts stepBits), panel = stream:
 * minibatch slot b of particle i at step k: mulhi32(stepBits(seed, panel, i, k, 1 + floor(b / 2))[b % 2], nTrain)
 * (the same convention as the 2-D minibatch particles); additive gradient noise on parameter d:
 * boxMuller of stepBits(seed, panel, i, k, NOISE_DRAW_BASE + floor(d / 2)), component d % 2.
 */
export const NOISE_DRAW_BASE = 0x10000;
/**
 * Sharpness probes (src/sim/network/sharpness.ts): Rademacher vectors, component d of
 * probe j of network p in panel `panel` is -1 where bit d % 32 of word floor(d / 32) % 4 of
 * philox4x32([p, panel, j, floor(d / 128)], [seed, NETWORK_SHARPNESS_STREAM]) is set, else +1.
 * Hutchinson's probes are j = 0 .. probes-1; power iteration starts from probe
 * POWER_START_PROBE (unshifted) and POWER_START_PROBE + 1 (shifted, see sharpness.ts).
 */
export const NETWORK_SHARPNESS_STREAM = 0x4e455448; // 'NETH'
export const POWER_START_PROBE = 0xfffffff0;
/**
 * Sharpness estimates by default: 20 power iterations bring the Rayleigh quotient within
 * about (lambda_2/lambda_1)^40 of lambda_max, relative to the spread of the spectrum (the
 * residual per network says how far it got); 16 Hutchinson probes give the trace to a
 * standard error of sqrt(2 sum_{i != j} H_ij^2 / 16), reported beside it.
 */
export const SHARPNESS_DEFAULTS = { iterations: 20, probes: 16 } as const;

/** Initialisation gain: Var(W) = gain / fanIn (LeCun for tanh, He for relu). */
export function initGain(activation: Activation): number {
  return activation === 'relu' ? 2 : 1;
}

/** True when the document's surface is a network (cheap: loads nothing; the CLI's validate dispatches on it). */
export function isNetworkDocument(input: unknown): boolean {
  const surface = typeof input === 'object' && input !== null ? (input as { surface?: unknown }).surface : undefined;
  return typeof surface === 'object' && surface !== null && 'network' in surface;
}
