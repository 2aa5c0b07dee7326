// Web worker of the lab page's landscape tools: the CPU analyses that take
// seconds (the nudged elastic band, the smoothed loss on a grid) run here so
// the page keeps drawing. One job per worker; the page terminates the worker
// to cancel. The surface is rebuilt from the scenario (parseScenario), so a
// typed formula works as well as a catalogue surface.
import { parseScenario } from '../model/scenario';
import type { Domain, Vec2 } from '../model/surface-types';
import { minimize } from '../sim/analysis/minimize';
import { minimumEnergyPath, type MinimumEnergyPath } from '../sim/analysis/neb';
import { gridMinima, smoothedLoss, stepNoiseKernel, type SmoothedLoss } from '../sim/analysis/smoothing';

export type WorkerRequest =
  | { kind: 'path'; scenario: unknown; from: Vec2; to: Vec2 }
  | { kind: 'smooth'; scenario: unknown; panel: number; grid: number };

export type WorkerReply =
  | { kind: 'progress'; band: Vec2[]; iterations: number }
  | { kind: 'path'; path: MinimumEnergyPath; seconds: number }
  | { kind: 'smooth'; smoothed: SmoothedLoss; seconds: number }
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
  const { scenario, surface } = r;
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
  const panel = scenario.panels[req.panel];
  if (!panel) throw new Error(`analysis.smoothing.panel ${req.panel} names no panel`);
  const kernel = stepNoiseKernel(panel);
  // cell centres of (grid + 1)^2 cells over the domain grown by half a cell are the
  // vertices of the grid x grid field the renderer draws
  const d = scenario.domain;
  const hx = (d.x[1] - d.x[0]) / req.grid, hy = (d.y[1] - d.y[0]) / req.grid;
  const grown: Domain = { x: [d.x[0] - hx / 2, d.x[1] + hx / 2], y: [d.y[0] - hy / 2, d.y[1] + hy / 2] };
  const minima = refinedGridMinima(surface, grown, req.grid + 1);
  const smoothed = smoothedLoss(surface, grown, req.grid + 1, kernel, { minima });
  return { kind: 'smooth', smoothed, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The raw loss's strict local minima on the grid's cell centres, each refined
 * by a local minimisation when that stays within two cells (deduplicated).
 */
function refinedGridMinima(surface: Parameters<typeof minimize>[0], domain: Domain, grid: number): Vec2[] {
  const dx = (domain.x[1] - domain.x[0]) / grid, dy = (domain.y[1] - domain.y[0]) / grid;
  const raw = new Float64Array(grid * grid);
  let lo = Infinity, hi = -Infinity;
  for (let j = 0; j < grid; j++) {
    for (let i = 0; i < grid; i++) {
      const v = surface.value(domain.x[0] + (i + 0.5) * dx, domain.y[0] + (j + 0.5) * dy);
      raw[j * grid + i] = v;
      if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
  }
  // gradient scale: the loss range over the domain's diagonal (loss units per length)
  const gScale = Math.max(hi - lo, 1e-12) / Math.hypot(domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]);
  const cell = Math.hypot(dx, dy);
  const out: Vec2[] = [];
  for (const [i, j] of gridMinima(raw, grid)) {
    const p: Vec2 = [domain.x[0] + (i + 0.5) * dx, domain.y[0] + (j + 0.5) * dy];
    const m = minimize(surface, p, { gtol: 1e-9 * gScale, maxStep: cell, iterations: 200 });
    const at = Math.hypot(m.at[0] - p[0], m.at[1] - p[1]) <= 2 * cell && m.value <= raw[j * grid + i] ? m.at : p;
    if (!out.some((q) => Math.hypot(q[0] - at[0], q[1] - at[1]) < 0.5 * cell)) out.push(at);
  }
  return out;
}
