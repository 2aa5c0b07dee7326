// Runs a scenario to its `steps` on the GPU, recording metrics every
// `record.every` steps: the work behind `npm run lab -- run`.
import type { GpuContext } from '../gpu/device';
import { parseScenario } from '../model/scenario';
import { Simulation } from '../scheduler/simulation';
import type { StationaryState } from '../scheduler/stationary-density';
import { maxParticles } from '../sim/particles/particle-system';
import { panelLaws, type Law } from '../sim/metrics/panel-laws';
import { recordRows, type MetricRow } from '../record/metric-rows';
import type { PanelRecord } from '../scheduler/simulation';
import type { StreamTargetChunk } from 'mediabunny';
import { videoFrames, type VideoRequest } from './video-request';
import { RunLoop, type RunProgress } from './run-loop';

/** The recorder (mediabunny, ~1.3 MB) and its frame source load only for a run with --video. */
const videoModules = () => Promise.all([import('../record/video-recorder'), import('../record/simulation-frames')]);

export type { RunProgress };

export interface RunResult {
  scenario: unknown;
  adapter: GpuContext['adapterSummary'];
  wallSeconds: number;
  steps: number;
  panels: { index: number; label: string; temperature: number | null; pdeTime: number | null; final: PanelRecord; particles: number; pdeGrid: number | null; pdeNote: string | null;
    stationary: ReturnType<typeof stationarySummary>; laws: Law[] }[];
  rows: MetricRow[];
}

export class RunError extends Error {}

export async function runScenario(
  gpu: GpuContext, json: unknown, progress: (p: RunProgress) => void,
  video?: { request: VideoRequest; writable: WritableStream<StreamTargetChunk> },
): Promise<{ result: RunResult; simulation: Simulation }> {
  const parsed = parseScenario(json);
  if (!parsed.ok) throw new RunError(parsed.problems.join('\n'));
  const { scenario, surface } = parsed;
  const limit = maxParticles(gpu.device);
  if (scenario.particles.count > limit) {
    throw new RunError(`particles.count: ${scenario.particles.count} exceeds this adapter's limit of ${limit} particles per panel (${gpu.adapterSummary.vendor} ${gpu.adapterSummary.architecture})`);
  }
  const recorder = video ? await videoModules() : null;
  if (video && recorder) {
    const [{ validateRecordOptions }] = recorder;
    const problems = validateRecordOptions({ ...video.request, frames: videoFrames(scenario.steps, video.request.stepsPerFrame) });
    if (problems.length) throw new RunError(`--video: ${problems[0]}`);
  }
  const t0 = performance.now();
  const simulation = await Simulation.create(gpu.device, scenario, surface);
  try {
    // non-isotropic PDE panels: their own stationary density first, so every record's KL is to ρ_ss
    await simulation.relaxStationary();
    const rows: MetricRow[] = [];
    const loop = new RunLoop(gpu.device, simulation, scenario.steps, scenario.record.every,
      (records) => records.forEach((r, p) => rows.push(...recordRows(r, p))), progress, t0);
    const init = gpu.device.createCommandEncoder({ label: 'headless.init' });
    simulation.encodeInit(init);
    gpu.device.queue.submit([init.finish()]);
    await loop.record();
    if (video && recorder) {
      const [{ recordVideo }, { SimulationFrames }] = recorder;
      const { request } = video;
      const frames = videoFrames(scenario.steps, request.stepsPerFrame);
      const source = new SimulationFrames(simulation, request.stepsPerFrame, scenario.title ?? surface.name,
        (step) => loop.advanceTo(Math.min(step, scenario.steps)));
      await recordVideo(source, { ...request, frames, writable: video.writable });
    }
    await loop.advanceTo(scenario.steps);
    loop.finish();
    const last = loop.last;
    return {
      simulation,
      result: {
        scenario,
        adapter: gpu.adapterSummary,
        wallSeconds: loop.elapsed,
        steps: simulation.stepsDone,
        panels: simulation.panels.map((p, i) => ({
          index: i, label: p.label, temperature: p.temperature, pdeTime: simulation.pdeTime(p), final: last[i], particles: p.system.count,
          pdeGrid: p.pde ? p.pde.grid.n : null, pdeNote: p.pdeNote, stationary: stationarySummary(p.pde?.stationary ?? null),
          // measured beside predicted, where a law gives a number (issue 16): [{name, law, measured, predicted, unit}]
          laws: panelLaws(surface, scenario.panels[i], last[i], last[i].gibbsBasins, last[i].pde ? last[i].pde.klSsGibbs : undefined),
        })),
        rows,
      },
    };
  } catch (e) {
    simulation.destroy();
    throw e;
  }
}

/** summary.json's account of a non-isotropic panel's relaxed ρ_ss (null: isotropic, ρ_ss is Gibbs; or no PDE) */
function stationarySummary(s: StationaryState | null) {
  if (!s) return null;
  if (s.status === 'failed') return { error: s.error };
  if (s.status !== 'ready') return null;
  return { converged: s.converged, relaxTime: s.time, residual: s.residual, klSsGibbs: s.klSsGibbs };
}
