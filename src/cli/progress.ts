// One progress line: steps done, steps per second and time left.
import type { RunProgress } from '../headless/run-scenario';

export function progressLine(p: RunProgress): string {
  const rate = p.elapsed > 0 ? p.step / p.elapsed : 0;
  const left = rate > 0 ? (p.steps - p.step) / rate : NaN;
  const pct = p.steps > 0 ? Math.floor((100 * p.step) / p.steps) : 100;
  return `step ${p.step}/${p.steps} (${pct}%) · ${rate >= 100 ? Math.round(rate) : rate.toFixed(1)} steps/s · ${Number.isFinite(left) ? `${left.toFixed(1)} s left` : 'estimating'}`;
}
