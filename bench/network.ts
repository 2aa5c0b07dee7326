// Networks (issue 14): training particle-steps/s and FLOP/s of 1,024 MLPs
// (depth 2, widths 8, 32, 64; B 32; two moons, 1,024 samples) against the numpy
// peer ../shared/peers/mlp_numpy.py with the same sizes in the same run, and
// the seconds of a 64^2 weight-space landscape at width 32.
// FLOPs are counted as the peer counts them: 6 * B * weights per particle-step
// (forward + backward multiply-adds, 2 flops each), biases and activations not counted.
import type { Page } from 'puppeteer-core';
import { callInPage } from '../src/cli/page-call';
import type { NetworkBenchResult } from './pages/network';
import { runPeer } from './peers';
import type { BenchRow } from './rows';

const PARTICLES = 1024, BATCH = 32, SAMPLES = 1024, DEPTH = 2;

function scenario(width: number) {
  return {
    seed: 1, steps: 100,
    surface: { network: { dataset: { kind: 'two-moons', samples: SAMPLES, noise: 0.1, testFraction: 0 }, hidden: Array(DEPTH).fill(width), activation: 'tanh' } },
    particles: { count: PARTICLES, init: { kind: 'fan-in' } },
    panels: [{ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'minibatch', batchSize: BATCH } }],
  };
}

export async function benchNetworks(page: Page, widths: number[], log: (s: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const width of widths) {
    log(`network: width ${width} x ${DEPTH}, ${PARTICLES} networks, B ${BATCH} ...`);
    const r = await callInPage<NetworkBenchResult>(page, '/bench/pages/network.ts', 'benchNetwork', scenario(width), 10, 3, width === 32 ? 64 : null);
    const peer = runPeer('mlp_numpy.py', ['--particles', String(PARTICLES), '--width', String(width), '--depth', String(DEPTH), '--batch', String(BATCH), '--samples', String(SAMPLES), '--steps', '50', '--reps', '3']);
    if (!peer.result) log(`  (no numpy baseline: ${peer.reason})`);
    const base = peer.result?.particle_steps_per_s ?? null;
    const flopsPerStep = 6 * BATCH * r.weights;
    const peerName = `numpy mlp peer, width ${width} (same run)`;
    rows.push({
      name: `network particle-steps/s, width ${width} x ${DEPTH}, B ${BATCH}, ${PARTICLES} nets`, value: r.particleStepsPerSecond, unit: 'particle-steps/s',
      baseline: base === null ? null : peerName, baselineValue: base, ratio: base === null ? null : r.particleStepsPerSecond / base, adapter: r.adapter,
    });
    rows.push({
      name: `network FLOP/s, width ${width} x ${DEPTH} (6 B weights per step)`, value: r.particleStepsPerSecond * flopsPerStep, unit: 'FLOP/s',
      baseline: base === null ? null : peerName, baselineValue: base === null ? null : base * flopsPerStep, ratio: base === null ? null : r.particleStepsPerSecond / base, adapter: r.adapter,
    });
    rows.push({ name: `network memory, width ${width} x ${DEPTH}: bytes per network (${r.params} parameters)`, value: r.bytesPerNetwork, unit: 'B', baseline: null, baselineValue: null, ratio: null, adapter: r.adapter });
    rows.push({ name: `network capacity, width ${width} x ${DEPTH}: most networks per panel`, value: r.maxNetworks, unit: 'networks', baseline: null, baselineValue: null, ratio: null, adapter: r.adapter });
    if (r.landscapeSeconds !== null) {
      rows.push({ name: `landscape 64^2 grid, width ${width} x ${DEPTH}, ${SAMPLES} samples`, value: r.landscapeSeconds, unit: 's', baseline: null, baselineValue: null, ratio: null, adapter: r.adapter });
    }
  }
  return rows;
}
