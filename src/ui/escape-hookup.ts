// The escape statistics (scenario.analysis.escape) of the running simulation:
// the EscapeWatch a scenario asks for, and its place among the frame loop's
// hooks (one at a time; the one it replaces is unhooked and destroyed).
import type { Scenario } from '../model/scenario';
import { EscapeWatch } from '../scheduler/escape-watch';
import type { FrameLoop } from '../scheduler/frame-loop';
import type { Simulation } from '../scheduler/simulation';

/** The watch a scenario asks for (null when off), or why it could not be set up (the run goes on without it). */
export async function escapeWatchFor(sim: Simulation, scenario: Scenario): Promise<{ watch: EscapeWatch | null; error: string | null }> {
  const spec = scenario.analysis?.escape;
  if (!spec) return { watch: null, error: null };
  try {
    return { watch: await EscapeWatch.create(sim, spec), error: null };
  } catch (e) {
    return { watch: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Hooks `watch` into `loop` in place of `previous` (unhooked and destroyed):
 * it asks the loop for a frame when it needs one and calls `onUpdate` when its
 * statistics change.
 */
export function hookEscape(loop: FrameLoop, previous: EscapeWatch | null, watch: EscapeWatch | null, onUpdate: () => void): void {
  if (previous) {
    loop.hooks.delete(previous);
    previous.destroy();
  }
  if (!watch) return;
  watch.requestFrame = () => loop.invalidate();
  watch.onUpdate = onUpdate;
  loop.hooks.add(watch);
}
