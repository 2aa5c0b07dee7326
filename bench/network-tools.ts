// Issue 15's benchmarks: seconds per sharpness estimate (power iteration and
// Hutchinson's trace on exact Hessian-vector products) of a panel of width-32
// networks on 1,024 samples, against bench/peers/sharpness_numpy.py on the same
// sizes; and seconds to train the mode-connecting Bézier curve between two
// width-32 networks (src/sim/network/bezier-path.ts, float64 on the CPU: the page
// runs it in a worker, this bench in Node) against bench/peers/bezier_numpy.py.
// Both peers run in the same bench, with numpy's default BLAS threading and with
// one thread; the faster is the baseline (small matrices on a small machine often
// run faster on one).
import type { Page } from 'puppeteer-core';
import { callInPage } from '../src/cli/page-call';
import { makeDataset } from '../src/model/network/datasets';
import { lossGradient } from '../src/model/network/mlp';
import { networkLayout } from '../src/model/network/spec';
import { bezierPath } from '../src/sim/network/bezier-path';
import { initialNetworkParams, minibatchIndices } from '../src/sim/network/reference';
import type { SharpnessBenchResult } from './pages/network';
import { runPeer } from './peers';
import type { BenchRow } from './rows';

const WIDTH = 32, DEPTH = 2, SAMPLES = 1024;
const SETTINGS = { iterations: 20, probes: 16 };

/** The faster of the peer's runs with numpy's default threading and with one BLAS thread, by the seconds `seconds` reads from its line. */
function fasterPeer(script: string, args: string[], seconds: (line: Record<string, number>) => number, log: (s: string) => void): { value: number; name: string } | null {
  const runs = [['default threads', {}], ['1 BLAS thread', { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }]] as const;
  let best: { value: number; name: string } | null = null;
  for (const [threads, env] of runs) {
    const peer = runPeer(script, args, env);
    if (!peer.result) { log(`  (no numpy baseline with ${threads}: ${peer.reason})`); continue; }
    const value = seconds(peer.result);
    log(`  numpy ${script}, ${threads}: ${value.toFixed(3)} s`);
    if (!best || value < best.value) best = { value, name: `numpy ${script.replace('.py', '')}, ${threads} (same run)` };
  }
  return best;
}

export async function benchSharpnessEstimate(page: Page, networks: number, log: (s: string) => void): Promise<BenchRow[]> {
  log(`sharpness: ${networks} networks, width ${WIDTH} x ${DEPTH}, ${SAMPLES} samples, P ${SETTINGS.iterations}, M ${SETTINGS.probes} ...`);
  const json = {
    seed: 1, steps: 1,
    surface: { network: { dataset: { kind: 'two-moons', samples: SAMPLES, noise: 0.1, testFraction: 0 }, hidden: Array(DEPTH).fill(WIDTH), activation: 'tanh' } },
    particles: { count: networks, init: { kind: 'fan-in' } },
    panels: [{ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'minibatch', batchSize: 32 } }],
  };
  const r = await callInPage<SharpnessBenchResult>(page, '/bench/pages/network.ts', 'benchSharpness', json, SETTINGS);
  log(`  lab: ${r.seconds.toFixed(2)} s, ${r.products} products per network (${r.shifted} networks also ran the shifted phase), mean lambda_max ${r.lambdaMean.toFixed(3)}`);
  const peer = fasterPeer('sharpness_numpy.py', ['--particles', String(networks), '--width', String(WIDTH), '--depth', String(DEPTH), '--samples', String(SAMPLES),
    '--iterations', String(SETTINGS.iterations), '--probes', String(SETTINGS.probes), '--reps', '1'], (l) => l.seconds_per_estimate, log);
  return [{
    name: `sharpness estimate, ${networks} nets width ${WIDTH} x ${DEPTH}, ${r.nTrain} samples, P ${SETTINGS.iterations} + M ${SETTINGS.probes}`,
    value: r.seconds, unit: 's', baseline: peer?.name ?? null, baselineValue: peer?.value ?? null,
    // seconds: the ratio is the peer's time over the lab's, > 1 where the lab is faster
    ratio: peer ? peer.value / r.seconds : null, adapter: r.adapter,
  }];
}

/** Network p trained by plain minibatch SGD (lr 0.5, B 32, 2,000 steps) from its own fan-in start: two such are two distinct minima. */
function trainedEnd(layout: ReturnType<typeof networkLayout>, dataset: ReturnType<typeof makeDataset>, p: number): Float64Array {
  const x = initialNetworkParams(layout, 'tanh', { kind: 'fan-in' }, 1, p);
  const g = new Float64Array(layout.params);
  const idx = new Uint32Array(32);
  for (let k = 0; k < 2000; k++) {
    minibatchIndices(1, 0, p, k, 32, dataset.nTrain, idx);
    lossGradient(layout, 'tanh', x, 0, dataset.inputs, dataset.labels, idx, g);
    for (let d = 0; d < x.length; d++) x[d] -= 0.5 * g[d];
  }
  return x;
}

export function benchBezierPath(log: (s: string) => void): BenchRow[] {
  log(`mode-connecting Bézier curve: width ${WIDTH} x ${DEPTH}, ${SAMPLES} samples (training the two ends first, not timed) ...`);
  const dataset = makeDataset({ kind: 'two-moons', samples: SAMPLES, noise: 0.1, labelNoise: 0, testFraction: 0 }, 1);
  const layout = networkLayout(Array(DEPTH).fill(WIDTH));
  const a = trainedEnd(layout, dataset, 0), b = trainedEnd(layout, dataset, 1);
  const problem = { layout, activation: 'tanh' as const, inputs: dataset.inputs, labels: dataset.labels, nTrain: dataset.nTrain, nTest: dataset.nTest, weightDecay: 0 };
  const t0 = performance.now();
  const r = bezierPath(problem, a, b);
  const seconds = (performance.now() - t0) / 1000;
  log(`  lab: ${seconds.toFixed(2)} s (curve training and both profiles), barrier ${r.curve.barrier.toExponential(2)} nats against the line's ${r.straight.barrier.toFixed(3)}`);
  const peer = fasterPeer('bezier_numpy.py', ['--width', String(WIDTH), '--depth', String(DEPTH), '--samples', String(SAMPLES), '--reps', '1'], (l) => l.seconds_train + l.seconds_profile, log);
  return [{
    name: `Bézier path, width ${WIDTH} x ${DEPTH} (${layout.params} weights), ${SAMPLES} samples, training + profiles`,
    value: seconds, unit: 's', baseline: peer?.name ?? null, baselineValue: peer?.value ?? null,
    ratio: peer ? peer.value / seconds : null, adapter: `CPU (Node ${process.version}, float64)`,
  }];
}
