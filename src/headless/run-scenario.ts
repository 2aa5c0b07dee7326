// Runs a scenario to its `steps` on the GPU, recording metrics every
// `record.every` steps: the work behind `npm run lab -- run`.
import type { GpuContext } from '../gpu/device';
import { parseScenario } from '../model/scenario';
import { Simulation } from '../scheduler/simulation';
import { maxParticles } from '../sim/particles/particle-system';
import { recordRows, type MetricRow } from './metric-rows';
import type { ParticleRecord } from '../sim/metrics/record';

export interface RunProgress {
  step: number;
  steps: number;
  /** seconds since the run started */
  elapsed: number;
}

export interface RunResult {
  scenario: unknown;
  adapter: GpuContext['adapterSummary'];
  wallSeconds: number;
  steps: number;
  panels: { index: number; label: string; temperature: number | null; pdeTime: number | null; final: ParticleRecord; particles: number }[];
  rows: MetricRow[];
}

/** Most steps per submit between records (keeps each submit short on slow adapters). */
const STEPS_PER_SUBMIT = 1024;

export class RunError extends Error {}

export async function runScenario(gpu: GpuContext, json: unknown, progress: (p: RunProgress) => void): Promise<{ result: RunResult | { error: { reason: string; problems: string[] } }; simulation: Simulation }> {
  const parsed = parseScenario(json);
  if (!parsed.ok) throw new RunError(parsed.problems.join('\n'));
  const { scenario, surface } = parsed;
  const limit = maxParticles(gpu.device);
  if (scenario.particles.count > limit) {
    throw new RunError(`particles.count: ${scenario.particles.count} exceeds this adapter's limit of ${limit} particles per panel (${gpu.adapterSummary.vendor} ${gpu.adapterSummary.architecture})`);
  }
  const t0 = performance.now();
  const simulation = await Simulation.create(gpu.device, scenario, surface);
  const rows: MetricRow[] = [];
  const record = async () => {
    const enc = gpu.device.createCommandEncoder({ label: 'headless.record' });
    simulation.encodeMetrics(enc);
    gpu.device.queue.submit([enc.finish()]);
    const records = await simulation.readRecords();
    records.forEach((r, p) => rows.push(...recordRows(r, p)));
    return records;
  };
  const init = gpu.device.createCommandEncoder({ label: 'headless.init' });
  simulation.encodeInit(init);
  gpu.device.queue.submit([init.finish()]);
  let last = await record();
  const every = scenario.record.every;
  while (simulation.stepsDone < scenario.steps) {
    const target = Math.min(scenario.steps, (Math.floor(simulation.stepsDone / every) + 1) * every);
    while (simulation.stepsDone < target) {
      const enc = gpu.device.createCommandEncoder({ label: 'headless.steps' });
      simulation.encodeSteps(enc, Math.min(STEPS_PER_SUBMIT, target - simulation.stepsDone));
      gpu.device.queue.submit([enc.finish()]);
      await gpu.device.queue.onSubmittedWorkDone();
      progress({ step: simulation.stepsDone, steps: scenario.steps, elapsed: (performance.now() - t0) / 1000 });
    }
    last = await record();
  }
  progress({ step: simulation.stepsDone, steps: scenario.steps, elapsed: (performance.now() - t0) / 1000 });
  return {
    simulation,
    result: {
      scenario,
      adapter: gpu.adapterSummary,
      wallSeconds: (performance.now() - t0) / 1000,
      steps: simulation.stepsDone,
      panels: simulation.panels.map((p, i) => ({
        index: i, label: p.label, temperature: p.temperature, pdeTime: simulation.pdeTime(p), final: last[i], particles: p.system.count,
      })),
      rows,
    },
  };
}
