// The runner's files for a network scenario (issue 14): per panel the final
// parameters (weights-P.f32), statuses (status-P.u32) and per-network metrics
// (particle-metrics-P.csv); dataset.csv so anyone can recompute the losses; and
// the summary's parameter layout.
import type { RunLayout, RunSharpness } from '../headless/run-network';
import type { NetworkModel } from '../model/network/model';

/** float32 values print exactly: the shortest decimal that reads back as the same float64 (which holds the float32). */
const f32Text = (v: number) => (Number.isFinite(v) ? String(v) : '');

/** dataset.csv: x,y,label,split with split 'train' or 'test' (train first, as the GPU holds them). */
export function datasetCsv(network: NetworkModel): string {
  const { inputs, labels, nTrain } = network.dataset;
  const lines = ['x,y,label,split'];
  for (let i = 0; i < labels.length; i++) lines.push(`${f32Text(inputs[2 * i])},${f32Text(inputs[2 * i + 1])},${labels[i]},${i < nTrain ? 'train' : 'test'}`);
  return lines.join('\n') + '\n';
}

export const PARTICLE_METRICS_COLUMNS = 'particle,train_loss,test_loss,train_accuracy,test_accuracy,sharpness,hessian_trace,hessian_trace_se';

/**
 * particle-metrics-P.csv: PARTICLE_METRICS_COLUMNS (the issues' contract; status is in status-P.u32)
 * from count x 4 float32 (train loss, train accuracy, test loss, test accuracy) and the
 * end-of-run sharpness; losses are the mean cross-entropy (nats) without the weight-decay
 * term; test columns empty without a test split. sharpness is lambda_max of the Hessian of
 * the full training loss (weight decay included), hessian_trace Hutchinson's estimate of
 * its trace and hessian_trace_se that estimate's standard error, in loss units per weight^2
 * (empty for a diverged network, and for all when the scenario has no `sharpness`).
 */
export function particleMetricsCsv(values: Float32Array, hasTest: boolean, sharpness: RunSharpness): string {
  const lines = [PARTICLE_METRICS_COLUMNS];
  const text = (v: number | null) => (v === null ? '' : f32Text(v));
  for (let i = 0; i < values.length / 4; i++) {
    const [trainLoss, trainAcc, testLoss, testAcc] = values.subarray(4 * i, 4 * i + 4);
    const test = (v: number) => (hasTest ? f32Text(v) : '');
    const sharp = `${text(sharpness.lambdaMax[i])},${text(sharpness.trace[i])},${text(sharpness.traceSE[i])}`;
    lines.push(`${i},${f32Text(trainLoss)},${test(testLoss)},${f32Text(trainAcc)},${test(testAcc)},${sharp}`);
  }
  return lines.join('\n') + '\n';
}

/** The summary.json entries of a panel's files. */
export function networkPanelFiles(index: number, particles: number, params: number) {
  return {
    weights: { file: `weights-${index}.f32`, shape: [particles, params], dtype: 'float32', byteOrder: 'little-endian', layout: 'particle-major: network p\'s D parameters at p*D, in the order of this panel\'s layout.blocks' },
    status: { file: `status-${index}.u32`, shape: [particles], dtype: 'uint32', byteOrder: 'little-endian', layout: 'per network: 0 alive, else 1 + the step it diverged at (its weights are frozen there)' },
    particleMetrics: {
      file: `particle-metrics-${index}.csv`, columns: PARTICLE_METRICS_COLUMNS,
      units: 'loss: mean binary cross-entropy in nats without weight decay; accuracy: fraction 0..1; sharpness (top Hessian eigenvalue, power iteration), hessian_trace (Hutchinson) and its standard error: of the full training loss with weight decay, at the last step, in loss units per weight^2 (empty without the scenario\'s sharpness field)',
    },
  };
}

/** summary.json's layout block: where each layer's W and b sit in a network's parameter vector. */
export function layoutSummary(layout: RunLayout) {
  return {
    params: layout.params,
    sizes: layout.sizes,
    blocks: layout.blocks,
    order: 'W row-major [fanOut][fanIn]; logit = W_out h + b_out; hidden h = activation(W x + b)',
  };
}
