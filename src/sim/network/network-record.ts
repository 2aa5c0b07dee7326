// One metrics record of one network panel, reduced on the CPU from the
// per-particle values the GPU computed (NetworkEvaluation, NetworkSpread and,
// when due, NetworkSharpness): count x (4 + L [+ 4]) floats plus the status
// words, a few kB per panel.
// The evaluation is the heavy part (every network on every sample); sorting a
// few thousand numbers for the quantiles is not.

/** Mean and quantiles of one quantity across the alive networks of a panel. */
export interface CloudStats {
  mean: number;
  q10: number;
  q50: number;
  q90: number;
}

export interface NetworkPanelRecord {
  /** optimizer steps done when the record was taken */
  step: number;
  alive: number;
  diverged: number;
  /** mean binary cross-entropy (nats, no weight-decay term) on the training split; null when no network is alive */
  trainLoss: CloudStats | null;
  /** fraction of training samples classified right (0..1) */
  trainAccuracy: CloudStats | null;
  /** the same on the held-out test split; null without a test split or without alive networks */
  testLoss: CloudStats | null;
  testAccuracy: CloudStats | null;
  /** mean over alive networks of the Euclidean distance to the cloud's centre, whole vector (parameter units) */
  spread: number | null;
  /** the same per layer (W and b of layer l together), input side first */
  spreadPerLayer: number[] | null;
  /**
   * sharpness: the top eigenvalue lambda_max of the Hessian of each alive network's full
   * training loss (mean BCE + weight decay), loss units per weight^2 (NetworkSharpness);
   * null when this record did not compute it (it costs more than a step: see NetworkSimulation)
   */
  sharpness: CloudStats | null;
  /** Hutchinson's estimate of each alive network's Hessian trace (same units); null likewise */
  hessianTrace: CloudStats | null;
}

/** Quantile q of sorted values, linear interpolation between order statistics. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function cloudStats(values: number[]): CloudStats | null {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  const sorted = Float64Array.from(finite).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return { mean: sum / sorted.length, q10: quantileSorted(sorted, 0.1), q50: quantileSorted(sorted, 0.5), q90: quantileSorted(sorted, 0.9) };
}

/**
 * The record from the raw per-particle buffers: `perParticle` count x 4
 * (train loss, train accuracy, test loss, test accuracy), `distances` count x L,
 * `status` u32 per network (0 alive), and when computed `sharpness` count x 4
 * (lambda_max, trace, trace standard error, residual: NetworkSharpness.perParticle).
 */
export function reduceNetworkRecord(
  step: number, perParticle: Float32Array, distances: Float32Array, status: Uint32Array, layers: number, hasTest: boolean, sharpness?: Float32Array,
): NetworkPanelRecord {
  const count = status.length;
  const cols: number[][] = [[], [], [], []];
  const lambdas: number[] = [], traces: number[] = [];
  const layerSums = new Float64Array(layers);
  let alive = 0, spreadSum = 0;
  for (let i = 0; i < count; i++) {
    if (status[i] !== 0) continue;
    alive++;
    for (let c = 0; c < 4; c++) cols[c].push(perParticle[4 * i + c]);
    if (sharpness) {
      lambdas.push(sharpness[4 * i]);
      traces.push(sharpness[4 * i + 1]);
    }
    let sq = 0;
    for (let l = 0; l < layers; l++) {
      const d = distances[layers * i + l];
      layerSums[l] += d;
      sq += d * d;
    }
    spreadSum += Math.sqrt(sq);
  }
  const none = alive === 0;
  return {
    step, alive, diverged: count - alive,
    trainLoss: cloudStats(cols[0]), trainAccuracy: cloudStats(cols[1]),
    testLoss: hasTest ? cloudStats(cols[2]) : null, testAccuracy: hasTest ? cloudStats(cols[3]) : null,
    spread: none ? null : spreadSum / alive,
    spreadPerLayer: none ? null : Array.from(layerSums, (s) => s / alive),
    sharpness: sharpness ? cloudStats(lambdas) : null,
    hessianTrace: sharpness ? cloudStats(traces) : null,
  };
}
