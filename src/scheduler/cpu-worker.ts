// Web worker of the no-WebGPU lab (cpu-simulation.ts): one slice [from, to)
// of every panel's particles, stepped by the float64 CPU reference with the
// GPU's random streams. The surface is rebuilt from the scenario
// (parseScenario), so a typed formula works as well as a catalogue surface.
import { parseScenario } from '../model/scenario';
import { CpuCloud, type CloudSlice } from '../sim/particles/cpu-cloud';
import { initConfig, stepConfig } from '../sim/particles/step-config';

export type CpuWorkerRequest =
  /** particles per panel (the reduced count), and this worker's slice of them */
  | { kind: 'init'; scenario: unknown; count: number; from: number; to: number }
  /** `steps` optimizer steps from global step `start`, then the slices */
  | { kind: 'advance'; start: number; steps: number }
  | { kind: 'reset' };

export type CpuWorkerReply =
  | { kind: 'ready' }
  /** per panel, the slice after the steps; `ms`: the worker's time stepping (wall clock) */
  | { kind: 'advanced'; slices: CloudSlice[]; ms: number }
  | { kind: 'error'; message: string };

let clouds: CpuCloud[] = [];

const post = (m: CpuWorkerReply, transfer: Transferable[] = []) =>
  (self as unknown as { postMessage(m: CpuWorkerReply, t: Transferable[]): void }).postMessage(m, transfer);

self.onmessage = (e: MessageEvent<CpuWorkerRequest>) => {
  try {
    handle(e.data);
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};

function handle(req: CpuWorkerRequest): void {
  if (req.kind === 'init') {
    const r = parseScenario(req.scenario);
    if (!r.ok) throw new Error(`the scenario is not valid: ${r.problems[0]}`);
    const { scenario, surface } = r;
    const init = initConfig(scenario.particles.init, scenario.domain);
    clouds = scenario.panels.map((spec, index) =>
      new CpuCloud(surface, stepConfig(spec, scenario.domain), init, scenario.seed, index, req.count, req.from, req.to));
    post({ kind: 'ready' });
  } else if (req.kind === 'advance') {
    const t0 = performance.now();
    for (const c of clouds) c.advance(req.start, req.steps);
    const ms = performance.now() - t0;
    const slices = clouds.map((c) => c.snapshot());
    post({ kind: 'advanced', slices, ms }, slices.flatMap((s) => [s.position.buffer, s.moment1.buffer, s.status.buffer]));
  } else if (req.kind === 'reset') {
    for (const c of clouds) c.reset();
    const slices = clouds.map((c) => c.snapshot());
    post({ kind: 'advanced', slices, ms: 0 }, slices.flatMap((s) => [s.position.buffer, s.moment1.buffer, s.status.buffer]));
  }
}
