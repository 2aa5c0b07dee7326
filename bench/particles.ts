// Particle-steps per second of the step kernel against the numpy peer, same run.
import type { Page } from 'puppeteer-core';
import { callInPage } from '../src/cli/page-call';
import type { ParticleBenchResult } from './pages/particles';
import { runPeer } from './peers';
import type { BenchRow } from './rows';

function scenario(count: number, panel: unknown, surface: unknown = { name: 'double-well' }) {
  return { seed: 1, surface, steps: 100, particles: { count, init: { kind: 'uniform' } }, panels: [panel] };
}

const LANGEVIN = { optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'langevin', temperature: 0.1 } };

export async function benchParticleSteps(page: Page, counts: number[], log: (s: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cases: { name: string; count: number; panel: unknown; surface?: unknown; peer: boolean }[] = [
    ...counts.map((count) => ({ name: `langevin double-well, 2^${Math.log2(count)} particles`, count, panel: LANGEVIN, peer: true })),
    { name: 'sgd momentum 0.9 + gaussian noise, 2^18', count: 1 << 18, panel: { optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9 }, noise: { kind: 'gaussian', batchSize: 8, gradientStd: 1 } }, peer: true },
    { name: 'adam + gaussian noise, 2^18', count: 1 << 18, panel: { optimizer: { kind: 'adam', lr: 0.01 }, noise: { kind: 'gaussian', batchSize: 8, gradientStd: 1 } }, peer: true },
    { name: 'minibatch B=32 on deep-linear (64 samples), 2^18', count: 1 << 18, panel: { optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'minibatch', batchSize: 32 } }, surface: { name: 'deep-linear' }, peer: true },
    // the step kernel without random numbers: what the RNG costs (no like-for-like peer)
    { name: 'gradient descent, no noise, 2^18', count: 1 << 18, panel: { optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'none' } }, peer: false },
  ];
  const peerCache = new Map<number, number | null>();
  for (const c of cases) {
    log(`particles: ${c.name} ...`);
    const r = await callInPage<ParticleBenchResult>(page, '/bench/pages/particles.ts', 'benchParticles', scenario(c.count, c.panel, c.surface), 100, 3);
    if (!c.peer) {
      rows.push({ name: `particle-steps/s, ${c.name}`, value: r.particleStepsPerSecond, unit: 'particle-steps/s', baseline: null, baselineValue: null, ratio: null, adapter: r.adapter });
      continue;
    }
    if (!peerCache.has(c.count)) {
      const peer = runPeer('langevin_numpy.py', ['--n', String(c.count), '--steps', '100', '--reps', '3']);
      if (!peer.result) log(`  (no numpy baseline: ${peer.reason})`);
      peerCache.set(c.count, peer.result?.particle_steps_per_s ?? null);
    }
    const base = peerCache.get(c.count) ?? null;
    if (c.panel === LANGEVIN) {
      // the random-number ceiling: the same Threefry normals and nothing else, same page and device
      const normals = await callInPage<number>(page, '/bench/pages/particles.ts', 'benchNormalsCeiling', c.count, 100, 3);
      rows.push({
        name: `particle-steps/s vs random numbers, ${c.name}`, value: r.particleStepsPerSecond, unit: 'particle-steps/s',
        baseline: 'normals-only kernel (same run)', baselineValue: normals, ratio: r.particleStepsPerSecond / normals, adapter: r.adapter,
      });
    }
    rows.push({
      name: `particle-steps/s, ${c.name}`, value: r.particleStepsPerSecond, unit: 'particle-steps/s',
      baseline: base === null ? null : `numpy langevin peer, 2^${Math.log2(c.count)} particles (same run)`,
      baselineValue: base, ratio: base === null ? null : r.particleStepsPerSecond / base, adapter: r.adapter,
    });
  }
  return rows;
}
