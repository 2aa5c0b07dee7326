// Tick labels and widths of the charts' y axes (uPlot `values` and `size`):
// a module of its own so that only the lazily loaded charts carry it.
import { formatNumber } from '../model/format';

/** The power of ten of `step`'s last significant digit: 0.25 → −2, 5e-4 → −4, 500 → 2, 1e5 → 5. */
function lastDigit(step: number): number {
  for (let d = 0; d < 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-6 * scaled) {
      if (d > 0) return -d;
      let p = 0;
      for (let n = Math.round(step); n >= 10 && n % 10 === 0; n /= 10) p++;
      return p;
    }
  }
  return -12;
}

/**
 * Axis tick labels: as many decimals as the spacing between ticks needs (so
 * 0.999, 0.9995, 1 stay apart, and 0.25 steps keep their 2 decimals), the exponent form outside [1e-3, 1e5) with the
 * mantissa's digits from the spacing too (-2e-4, 0, 2e-4, not -2.00e-4).
 */
export function formatTicks(vals: readonly (number | null | undefined)[]): string[] {
  const finite = vals.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  let step = Infinity;
  for (let i = 1; i < finite.length; i++) { const d = Math.abs(finite[i] - finite[i - 1]); if (d > 0) step = Math.min(step, d); }
  const big = Math.max(0, ...finite.map(Math.abs));
  return vals.map((v) => {
    if (v === null || v === undefined) return '';
    if (!Number.isFinite(v) || !Number.isFinite(step)) return formatNumber(v);
    if (v === 0 || Math.abs(v) < step * 1e-9) return '0';
    if (big >= 1e5 || big < 1e-3) {
      const exp = Math.floor(Math.log10(Math.abs(v)) + 1e-9);
      // mantissa digits: enough for the spacing (2.5e-4 apart: 1 digit)
      return v.toExponential(Math.min(6, Math.max(0, exp - lastDigit(step)))).replace('e+', 'e');
    }
    return v.toFixed(Math.min(8, Math.max(0, -lastDigit(step))));
  });
}

/** Width in CSS px of a y axis whose tick labels are `labels` (11 px system-ui digits ~6.5 px wide, plus tick and gap), at least `min`. */
export function tickAxisWidth(labels: readonly string[] | null | undefined, min = 40): number {
  const longest = Math.max(0, ...(labels ?? []).map((l) => l.length));
  return Math.max(min, Math.ceil(longest * 6.5 + 14));
}
