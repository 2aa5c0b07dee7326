// The x axis of the network charts: optimizer steps, or each panel's time lr·steps
// (issue 15: panels with different learning rates compared at the same time).

/**
 * The charts' shared x values and where each panel's sample k goes among them:
 * the steps themselves, or (with `lrs`) the times lr_p · step of every panel
 * merged and sorted, each panel having values only at its own times.
 */
export function chartAxis(steps: number[], panels: number, lrs: number[] | null): { xs: number[]; slot: number[][] } {
  if (!lrs) return { xs: steps, slot: Array.from({ length: panels }, () => steps.map((_, k) => k)) };
  const times = Array.from({ length: panels }, (_, p) => steps.map((s) => (lrs[p] ?? 1) * s));
  const xs = [...new Set(times.flat())].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  return { xs, slot: times.map((t) => t.map((x) => index.get(x)!)) };
}
