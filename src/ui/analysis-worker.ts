// Web worker of the lab page's landscape tools: the nudged elastic band (CPU,
// seconds) runs here so the page keeps drawing, posting the band as it relaxes. One job per worker; the page terminates the worker
// to cancel. The surface is rebuilt from the scenario (parseScenario), so a
// typed formula works as well as a catalogue surface.
import { parseScenario } from '../model/scenario';
import type { Vec2 } from '../model/surface-types';
import { minimumEnergyPath, type MinimumEnergyPath } from '../sim/analysis/neb';

export type WorkerRequest = { kind: 'path'; scenario: unknown; from: Vec2; to: Vec2 };

export type WorkerReply =
  | { kind: 'progress'; band: Vec2[]; iterations: number }
  | { kind: 'path'; path: MinimumEnergyPath; seconds: number }
  | { kind: 'error'; message: string };

/** Progress messages at most this often (ms): the page redraws the band at this rate. */
const PROGRESS_MS = 50;

const post = (m: WorkerReply) => (self as unknown as { postMessage(m: WorkerReply): void }).postMessage(m);

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  try {
    post(run(e.data));
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};

function run(req: WorkerRequest): WorkerReply {
  const r = parseScenario(req.scenario);
  if (!r.ok) throw new Error(`the scenario is not valid: ${r.problems[0]}`);
  const { surface } = r;
  const t0 = performance.now();
  if (req.kind === 'path') {
    let last = 0;
    const path = minimumEnergyPath(surface, req.from, req.to, {
      onProgress: (band, iterations) => {
        const now = performance.now();
        if (now - last < PROGRESS_MS) return;
        last = now;
        post({ kind: 'progress', band, iterations });
      },
    });
    return { kind: 'path', path, seconds: (performance.now() - t0) / 1000 };
  }
  throw new Error(`analysis worker: unknown request '${(req as { kind: string }).kind}'`);
}
