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
import { readBuffer } from '../gpu/buffers';
import { resolveEscape, type ResolvedEscape } from '../sim/analysis/escape-target';
import { escapeLaw, kramersForPanel, summarizePanel, type PanelEscape } from '../sim/analysis/escape-summary';
import type { ExitCheck } from '../sim/particles/exit-check';
import { klSamplingFloor } from '../sim/fokker-planck/kl-floor';

/** The recorder (mediabunny, ~1.3 MB) and its frame source load only for a run with --video. */
const videoModules = () => Promise.all([import('../record/video-recorder'), import('../record/simulation-frames')]);

export type { RunProgress };

export interface RunResult {
  scenario: unknown;
  adapter: GpuContext['adapterSummary'];
  wallSeconds: number;
  steps: number;
  panels: { index: number; label: string; temperature: number | null; pdeTime: number | null; final: PanelRecord; particles: number; pdeGrid: number | null; pdeNote: string | null;
    stationary: ReturnType<typeof stationarySummary>; laws: Law[]; escape: ReturnType<typeof escapeSummary> | null }[];
  rows: MetricRow[];
}

/** A run's first-passage steps per panel (analysis.escape), for escape-P.u32. */
export type EscapeTimes = Uint32Array[] | null;

export class RunError extends Error {}

export async function runScenario(
  gpu: GpuContext, json: unknown, progress: (p: RunProgress) => void,
  video?: { request: VideoRequest; writable: WritableStream<StreamTargetChunk> },
): Promise<{ result: RunResult; simulation: Simulation; escapeTimes: EscapeTimes }> {
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
  let target: ResolvedEscape | null = null;
  if (scenario.analysis?.escape) {
    try {
      target = resolveEscape(surface, scenario.domain, scenario.analysis.escape);
    } catch (e) {
      throw new RunError(`analysis.escape: ${(e as Error).message}`);
    }
  }
  const t0 = performance.now();
  const simulation = await Simulation.create(gpu.device, scenario, surface);
  const checks: ExitCheck[] = [];
  try {
    // analysis.escape: every panel's step kernel records first passages (cleared when the clouds are placed)
    const every = scenario.analysis?.escape?.every ?? 1;
    if (target) for (const p of simulation.panels) checks.push(await p.system.attachExitCheck({ exit: target.exit, every }));
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
    const escapeTimes = target ? await Promise.all(checks.map(async (c, i) => new Uint32Array(await readBuffer(gpu.device, c.first, 4 * simulation.panels[i].system.count)))) : null;
    // each PDE panel's final density: the sampling floor of KL(particles ‖ PDE) for its law
    const floors = await Promise.all(simulation.panels.map(async (p, i) => {
      const d = last[i].pde ? await simulation.readDensity(p) : null;
      return d && last[i].pde ? { measured: last[i].pde.klHistogram, floor: klSamplingFloor(d, last[i].pde.histogramCount) } : null;
    }));
    const escapes: (PanelEscape | null)[] = simulation.panels.map((p, i) => (target && escapeTimes
      ? summarizePanel(p, escapeTimes[i], simulation.stepsDone, every, kramersForPanel(p.spec, surface, target.minimum.at, target.saddle.at))
      : null));
    return {
      simulation,
      escapeTimes,
      result: {
        scenario,
        adapter: gpu.adapterSummary,
        wallSeconds: loop.elapsed,
        steps: simulation.stepsDone,
        panels: simulation.panels.map((p, i) => ({
          index: i, label: p.label, temperature: p.temperature, pdeTime: simulation.pdeTime(p), final: last[i], particles: p.system.count,
          pdeGrid: p.pde ? p.pde.grid.n : null, pdeNote: p.pdeNote, stationary: stationarySummary(p.pde?.stationary ?? null),
          // measured beside predicted, where a law gives a number (issue 16): [{name, law, measured, predicted, unit}]
          laws: [...panelLaws(surface, scenario.panels[i], last[i], { gibbsBasins: last[i].gibbsBasins, klSsGibbs: last[i].pde ? last[i].pde.klSsGibbs : undefined, klParticlesPde: floors[i], init: scenario.particles.init, pdeBasins: last[i].pde?.gibbsIsStationary ? last[i].pde.basinMasses : null }),
            ...[escapes[i] && escapeLaw(escapes[i])].filter((l) => !!l)],
          escape: target && escapes[i] ? escapeSummary(target, escapes[i], every) : null,
        })),
        rows,
      },
    };
  } catch (e) {
    simulation.destroy();
    throw e;
  } finally {
    simulation.panels.forEach((p, i) => checks[i] && p.system.detachExitCheck(checks[i]));
  }
}

/** summary.json's escape statistics of a panel (analysis.escape): basin, check interval, censored mean, Kramers. */
function escapeSummary(target: ResolvedEscape, p: PanelEscape, every: number) {
  const s = p.stats, k = p.kramers;
  return {
    minimum: target.minimum.at, saddle: target.saddle.at, exit: { direction: target.exit.direction, margin: target.exit.margin }, barrier: target.barrier,
    every, escaped: s.escaped, censored: s.censored,
    // the censored exponential mean (optimizer steps and PDE time), its standard error, corrected by (every - 1)/2 per escape
    meanSteps: s.escaped ? s.meanSteps : null, meanTime: s.escaped && p.lrEff !== null ? s.meanTime : null,
    meanTimeSe: s.escaped && p.lrEff !== null ? s.meanTime * s.relativeError : null,
    kramers: k.ok ? { tau: k.prediction.tau, tauSteps: k.tauSteps, temperature: k.temperature, caution: k.caution } : { notApplicable: k.why },
  };
}

/** summary.json's account of a non-isotropic panel's relaxed ρ_ss (null: isotropic, ρ_ss is Gibbs; or no PDE) */
function stationarySummary(s: StationaryState | null) {
  if (!s) return null;
  if (s.status === 'failed') return { error: s.error };
  if (s.status !== 'ready') return null;
  return { converged: s.converged, relaxTime: s.time, residual: s.residual, klSsGibbs: s.klSsGibbs };
}
