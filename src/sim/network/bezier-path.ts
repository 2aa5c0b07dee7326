// Mode connectivity between two trained networks (issue 15, item 3): the loss
// along the straight line between their parameter vectors a and b, and along a
// quadratic Bézier curve phi(t) = (1-t)^2 a + 2t(1-t) c + t^2 b whose control
// point c is trained by stochastic gradient descent on the loss averaged over
// the curve, E_{t ~ U(0,1)} L(phi(t)) (Garipov et al. 2018, "Loss surfaces,
// mode connectivity, and fast ensembling of DNNs", section 3). CPU, float64
// (mlp.ts); it runs in Node (the runner's `path`) and in a page worker.
//
// With c = (a + b)/2 the curve is the straight line itself (phi(t) = a + t(b-a)),
// which is where training starts: anything the curve gains is below the line.
import { evaluateNetwork, lossGradient } from '../../model/network/mlp';
import type { Activation, NetworkLayout } from '../../model/network/spec';
import { mulhi32, streamBits, uniformOpen } from '../../rng/philox';
import { weightMask } from './reference';

/** Philox stream of the curve's training draws: step k's t and minibatch from streamBits(seed, BEZIER_STREAM, k, 0, j). */
export const BEZIER_STREAM = 0x42455a49; // 'BEZI'

export interface PathProblem {
  layout: NetworkLayout;
  activation: Activation;
  /** x0 y0 x1 y1 ... train samples first, then the test split (Dataset) */
  inputs: ArrayLike<number>;
  labels: ArrayLike<number>;
  nTrain: number;
  nTest: number;
  /** L2 coefficient lambda of the training objective (weights only, as the step) */
  weightDecay: number;
}

export interface BezierOptions {
  /** SGD steps on the control point (default 3,000) */
  steps?: number;
  /** training samples per step, drawn with replacement (default 64) */
  batch?: number;
  /** Adam's step size in parameter units (default 0.01), cosine-decayed to 0 over the steps */
  lr?: number;
  /** points of the loss profiles along t in [0, 1], ends included (default 41) */
  points?: number;
  /** seed of the Philox draws (default 1) */
  seed?: number;
  /** called every ~1% of the steps with the fraction done */
  onProgress?: (fraction: number) => void;
}

/** One point of a profile: the network at parameter t of the path, evaluated on the whole splits. */
export interface PathPoint {
  t: number;
  /** mean cross-entropy over the training split (nats, no weight-decay term, as the metrics) */
  trainLoss: number;
  trainAccuracy: number;
  /** NaN without a test split */
  testLoss: number;
  testAccuracy: number;
}

export interface PathProfile {
  points: PathPoint[];
  /** the highest train loss on the profile minus the higher of its two ends (nats; >= 0) */
  barrier: number;
  /** t of that highest point */
  peakT: number;
  /** the lowest test accuracy on the profile */
  worstTestAccuracy: number;
}

export interface BezierPathResult {
  /** the control point c (D floats) */
  control: Float64Array;
  curve: PathProfile;
  straight: PathProfile;
  /** |b - a| and the curve's arc length (parameter units) */
  distance: number;
  curveLength: number;
  /** the training objective E_t[L(phi(t)) + weight decay] estimated on the last 10% of steps' minibatches (nats) */
  finalObjective: number;
  steps: number;
  batch: number;
  lr: number;
  seed: number;
}

/** The curve's point phi(t) = (1-t)^2 a + 2t(1-t) c + t^2 b. */
export function bezierPoint(a: ArrayLike<number>, c: ArrayLike<number>, b: ArrayLike<number>, t: number, out: Float64Array = new Float64Array(a.length)): Float64Array {
  const wa = (1 - t) * (1 - t), wc = 2 * t * (1 - t), wb = t * t;
  for (let d = 0; d < a.length; d++) out[d] = wa * a[d] + wc * c[d] + wb * b[d];
  return out;
}

/** The straight line's point a + t (b - a). */
export function linePoint(a: ArrayLike<number>, b: ArrayLike<number>, t: number, out: Float64Array = new Float64Array(a.length)): Float64Array {
  for (let d = 0; d < a.length; d++) out[d] = a[d] + t * (b[d] - a[d]);
  return out;
}

/** The network's loss and accuracy on both splits (PathPoint without t). */
export function evaluatePoint(problem: PathProblem, params: ArrayLike<number>, t: number): PathPoint {
  const samples = { inputs: problem.inputs, labels: problem.labels };
  const train = evaluateNetwork(problem.layout, problem.activation, params, 0, samples, 0, problem.nTrain);
  const test = evaluateNetwork(problem.layout, problem.activation, params, 0, samples, problem.nTrain, problem.nTrain + problem.nTest);
  return { t, trainLoss: train.loss, trainAccuracy: train.accuracy, testLoss: test.loss, testAccuracy: test.accuracy };
}

/** A path's profile at `count` evenly spaced t in [0, 1], its barrier and where it peaks. */
export function pathProfile(problem: PathProblem, at: (t: number, out: Float64Array) => ArrayLike<number>, count: number): PathProfile {
  if (!(count >= 2)) throw new Error(`pathProfile: at least 2 points, not ${count}`);
  const x = new Float64Array(problem.layout.params);
  const points = Array.from({ length: count }, (_, k) => evaluatePoint(problem, at(k / (count - 1), x), k / (count - 1)));
  const ends = Math.max(points[0].trainLoss, points[count - 1].trainLoss);
  let peak = points[0];
  for (const p of points) if (p.trainLoss > peak.trainLoss) peak = p;
  const worstTestAccuracy = Math.min(...points.map((p) => p.testAccuracy));
  return { points, barrier: Math.max(0, peak.trainLoss - ends), peakT: peak.t, worstTestAccuracy };
}

/**
 * The curve objective's stochastic gradient with respect to c at one draw:
 * t and the minibatch `indices` given; returns L_batch(phi(t)) + lambda/2 |w|^2
 * and writes 2t(1-t) (grad L_batch + lambda w) into gradC (the chain rule: d phi / d c = 2t(1-t) I).
 */
export function curveGradient(
  problem: PathProblem, a: ArrayLike<number>, c: ArrayLike<number>, b: ArrayLike<number>, t: number,
  indices: ArrayLike<number>, gradC: Float64Array, mask = weightMask(problem.layout), scratch = new Float64Array(a.length),
): number {
  const phi = bezierPoint(a, c, b, t, scratch);
  let loss = lossGradient(problem.layout, problem.activation, phi, 0, problem.inputs, problem.labels, indices, gradC);
  const w = 2 * t * (1 - t);
  for (let d = 0; d < gradC.length; d++) {
    let g = gradC[d];
    if (problem.weightDecay > 0 && mask[d]) {
      g += problem.weightDecay * phi[d];
      loss += 0.5 * problem.weightDecay * phi[d] * phi[d];
    }
    gradC[d] = w * g;
  }
  return loss;
}

/** Step k's draw: t ~ U(0, 1) and `batch` training indices (with replacement). */
export function curveDraw(seed: number, k: number, batch: number, nTrain: number, indices: Uint32Array): number {
  const first = streamBits(seed, BEZIER_STREAM, k, 0, 0);
  const t = uniformOpen(first[0]);
  for (let j = 0; j < batch; j++) {
    const bits = streamBits(seed, BEZIER_STREAM, k, 1 + (j >> 2), 0);
    indices[j] = mulhi32(bits[j & 3], nTrain);
  }
  return t;
}

const distance = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let d = 0; d < a.length; d++) s += (a[d] - b[d]) ** 2;
  return Math.sqrt(s);
};

/** Arc length of the curve by the chord sum over 256 pieces (relative error ~ 1e-6 for a smooth quadratic). */
function arcLength(a: ArrayLike<number>, c: ArrayLike<number>, b: ArrayLike<number>): number {
  let len = 0;
  let prev = Float64Array.from(a);
  let next = new Float64Array(a.length);
  for (let k = 1; k <= 256; k++) {
    bezierPoint(a, c, b, k / 256, next);
    len += distance(prev, next);
    [prev, next] = [next, prev];
  }
  return len;
}

/**
 * Trains the Bézier curve between networks a and b (D floats each) and profiles
 * it and the straight line. The control point starts at (a + b)/2 (the line)
 * and follows Adam (beta 0.9, 0.999) on the curve objective's stochastic
 * gradient, one t and one minibatch per step, the step size cosine-decayed to 0.
 */
export function bezierPath(problem: PathProblem, a: ArrayLike<number>, b: ArrayLike<number>, options: BezierOptions = {}): BezierPathResult {
  const D = problem.layout.params;
  if (a.length !== D || b.length !== D) throw new Error(`bezierPath: the two networks have ${a.length} and ${b.length} parameters; the layout has ${D}`);
  if (!(problem.nTrain > 0)) throw new Error('bezierPath: the dataset has no training samples');
  for (const [name, v] of [['first', a], ['second', b]] as const) {
    for (let d = 0; d < D; d++) if (!Number.isFinite(v[d])) throw new Error(`bezierPath: the ${name} network has a non-finite parameter (${d}); it diverged`);
  }
  const steps = options.steps ?? 3000, batch = options.batch ?? 64, lr = options.lr ?? 0.01;
  const count = options.points ?? 41, seed = options.seed ?? 1;
  if (!(Number.isInteger(steps) && steps >= 0)) throw new Error(`bezierPath: steps must be a whole number >= 0, not ${steps}`);
  if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`bezierPath: batch must be a whole number >= 1, not ${batch}`);
  if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`bezierPath: lr must be positive, not ${lr}`);
  const c = Float64Array.from(a, (x, d) => 0.5 * (x + b[d]));
  const m = new Float64Array(D), v = new Float64Array(D), g = new Float64Array(D), scratch = new Float64Array(D);
  const mask = weightMask(problem.layout);
  const indices = new Uint32Array(batch);
  const tail = Math.max(1, Math.floor(steps / 10));
  let tailSum = 0;
  const every = Math.max(1, Math.floor(steps / 100));
  for (let k = 0; k < steps; k++) {
    const t = curveDraw(seed, k, batch, problem.nTrain, indices);
    const loss = curveGradient(problem, a, c, b, t, indices, g, mask, scratch);
    if (k >= steps - tail) tailSum += loss;
    const rate = lr * 0.5 * (1 + Math.cos(Math.PI * k / steps));
    const c1 = 1 - 0.9 ** (k + 1), c2 = 1 - 0.999 ** (k + 1);
    for (let d = 0; d < D; d++) {
      m[d] = 0.9 * m[d] + 0.1 * g[d];
      v[d] = 0.999 * v[d] + 0.001 * g[d] * g[d];
      c[d] -= rate * (m[d] / c1) / (Math.sqrt(v[d] / c2) + 1e-8);
    }
    if (options.onProgress && (k + 1) % every === 0) options.onProgress((k + 1) / steps);
  }
  return {
    control: c,
    curve: pathProfile(problem, (t, out) => bezierPoint(a, c, b, t, out), count),
    straight: pathProfile(problem, (t, out) => linePoint(a, b, t, out), count),
    distance: distance(a, b),
    curveLength: arcLength(a, c, b),
    finalObjective: steps > 0 ? tailSum / Math.min(tail, steps) : NaN,
    steps, batch, lr, seed,
  };
}
