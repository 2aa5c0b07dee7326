// SGD's stationary cloud in weight space is not Gibbs (issue 15, item 5): 4,096
// replicas of a small L2-regularised network (2 → 4 → 1 tanh, 17 weights, XOR
// with 10% of the labels flipped, weight decay 0.003) start at a minimum found
// in float64 (gradient descent, then Newton with the exact Hessian) and run
// minibatch SGD on the GPU. Their covariance along the Hessian's top
// eigenvectors is held against the discrete Lyapunov solution
// S = (I − lr H) S (I − lr H) + lr² Σ/B and against the Gibbs covariance
// T_eff H⁻¹ at the temperature that matches the noise's total power,
// T_eff = lr tr Σ/(2 B D) (src/sim/network/stationary-covariance.ts).
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { networkSpecSchema } from '../../src/model/network/spec';
import { createNetworkModel } from '../../src/model/network/model';
import { exactHessian, lossProblem } from '../../src/sim/network/sharpness-reference';
import { initialNetworkParams } from '../../src/sim/network/reference';
import { cloudVariances, networkMinimum, sampleGradientCovariance, stationaryPrediction } from '../../src/sim/network/stationary-covariance';
import type { NetworkStepConfig } from '../../src/sim/network/step-config';
import type { NetworkRun, NetworkRunResult } from './harness/network-train';

const lab = useLabPage();

const SPEC = { dataset: { kind: 'xor', samples: 256, noise: 0.1, labelNoise: 0.1, testFraction: 0 }, hidden: [4], activation: 'tanh', weightDecay: 0.003 };
const SEED = 5;
// B = 32: the cloud (std ~0.05-0.07 per direction) is small enough that the linearisation holds within the
// replicas' sampling error. With larger clouds the softer directions (h ~ 0.02-0.03) come out above the
// Lyapunov variance by a margin that shrinks in proportion to lr/B, a nonlinear correction: measured +21% at
// B = 4, +9.5% at B = 16, +4% at B = 32 (1.7-2.1 standard errors).
const LR = 0.3, BATCH = 32, REPLICAS = 4096, STEPS = 400;
/**
 * The directions compared: the top 9 of H, whose variance relaxes within 78 steps (r = 1 / (1 − (1 − lr h)²)):
 * after t steps from the minimum it is short of its stationary value by (1 − 1/r)^t ~ e^(−t/r), 6e-3 relative at
 * t = 400, a quarter of a standard error (2.2% of the variance for 4,096 replicas)
 */
const TOP = 9;

describe('stationary weight covariance of minibatch SGD', () => {
  it('4,096 replicas at a minimum: the variance along the top Hessian directions follows the discrete Lyapunov solution, not Gibbs', async () => {
    const model = createNetworkModel(networkSpecSchema.parse(SPEC), SEED);
    const problem = lossProblem(model);
    const D = model.layout.params;
    const minimum = networkMinimum(problem, initialNetworkParams(model.layout, 'tanh', { kind: 'fan-in' }, SEED, 0));
    expect(minimum.gradientNorm).toBeLessThan(1e-10);
    const H = exactHessian(problem, minimum.params, 0);
    const prediction = stationaryPrediction(H, sampleGradientCovariance(problem, minimum.params), D, LR, BATCH);
    // an isolated minimum (every curvature > 0, checked by stationaryPrediction) whose slow directions relax in time
    const relax = (h: number) => 1 / (1 - (1 - LR * h) ** 2);
    expect(STEPS / relax(prediction.curvatures[TOP - 1])).toBeGreaterThan(5);

    const step: NetworkStepConfig = { optimizer: 0, lr: LR, momentum: 0, beta1: 0, beta2: 0, eps: 0, estimator: 'minibatch', batch: BATCH, noiseScale: 0, weightDecay: SPEC.weightDecay };
    const run: NetworkRun = { spec: SPEC, step, count: REPLICAS, seed: SEED, stream: 1, init: { kind: 'fan-in' }, chunks: [100, 100, 100, 100], start: Array.from(minimum.params) };
    const r = await lab.call<NetworkRunResult>('network-train', 'runNetworks', run);
    expect(r.status.every((s) => s === 0)).toBe(true);
    const measured = cloudVariances(r.params, REPLICAS, D, prediction.directions.slice(0, TOP));
    console.table(Array.from({ length: TOP }, (_, k) => ({
      h: prediction.curvatures[k].toPrecision(3), measured: measured.variance[k].toPrecision(4), se: measured.standardError[k].toPrecision(2),
      lyapunov: prediction.lyapunov[k].toPrecision(4), gibbs: prediction.gibbs[k].toPrecision(4), 'measured/gibbs': (measured.variance[k] / prediction.gibbs[k]).toPrecision(3),
    })));
    console.log(`T_eff = ${prediction.temperature.toPrecision(4)} (lr/(2B) = ${LR / (2 * BATCH)}), minimum loss ${minimum.loss.toFixed(4)}, GPU ${r.trainMs.toFixed(0)} ms`);
    let rejected = 0;
    for (let k = 0; k < TOP; k++) {
      const v = measured.variance[k], se = measured.standardError[k];
      const lyap = prediction.lyapunov[k], gibbs = prediction.gibbs[k];
      // within 4 standard errors of the Lyapunov variance (9 directions: a chance failure ~ 6e-4)
      expect(Math.abs(v - lyap), `direction ${k}`).toBeLessThan(4 * se);
      // and away from Gibbs wherever the two predictions are further apart than that
      if (Math.abs(lyap - gibbs) > 8 * se) {
        expect(Math.abs(v - gibbs), `direction ${k} vs Gibbs`).toBeGreaterThan(4 * se);
        rejected++;
      }
    }
    // Gibbs is rejected along most of the top directions (not only where it happens to come close)
    expect(rejected).toBeGreaterThanOrEqual(TOP - 2);
  }, 300_000);
});
