// The no-WebGPU lab's particle steps (src/sim/particles/cpu-cloud.ts, the code
// each of its Web Workers runs), timed in this Node process on one thread
// against the numpy Langevin peer at the same particle count, same run.
import os from 'node:os';
import { parseScenario } from '../src/model/scenario';
import { CpuCloud } from '../src/sim/particles/cpu-cloud';
import { initConfig, stepConfig } from '../src/sim/particles/step-config';
import { runPeer } from './peers';
import type { BenchRow } from './rows';

/** Best of `reps` timings of `steps` steps of `count` Langevin particles on the double well (lr 0.01, T 0.1, as the peer). */
function cpuParticleStepsPerSecond(count: number, steps: number, reps: number): number {
  const r = parseScenario({
    seed: 1, surface: { name: 'double-well' }, steps, particles: { count, init: { kind: 'uniform' } },
    panels: [{ optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'langevin', temperature: 0.1 } }],
  });
  if (!r.ok) throw new Error(`bench cpu: ${r.problems.join('; ')}`);
  const { scenario, surface } = r;
  const cloud = new CpuCloud(surface, stepConfig(scenario.panels[0], scenario.domain), initConfig(scenario.particles.init, scenario.domain), scenario.seed, 0, count, 0, count);
  cloud.advance(0, 5);
  let best = Infinity;
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    cloud.advance(5 + k * steps, steps);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return (count * steps) / best;
}

export function benchCpuFallback(log: (s: string) => void): BenchRow[] {
  const count = 1 << 14, steps = 100;
  log('cpu: the no-WebGPU particle step, 2^14 Langevin particles, one thread ...');
  const value = cpuParticleStepsPerSecond(count, steps, 3);
  const peer = runPeer('langevin_numpy.py', ['--n', String(count), '--steps', String(steps), '--reps', '3']);
  if (!peer.result) log(`  (no numpy baseline: ${peer.reason})`);
  const base = peer.result?.particle_steps_per_s ?? null;
  return [{
    name: 'particle-steps/s, CPU fallback (one worker), langevin double-well, 2^14', value, unit: 'particle-steps/s',
    baseline: base === null ? null : 'numpy langevin peer, 2^14 particles (same run)', baselineValue: base, ratio: base === null ? null : value / base,
    adapter: `Node ${process.version}, ${os.cpus()[0]?.model ?? 'CPU'}`,
  }];
}
