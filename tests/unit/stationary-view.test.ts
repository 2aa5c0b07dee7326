// The View → surface computations on CPU (src/render/stationary-view.ts and
// src/sim/fokker-planck/effective-potential.ts), against the Ornstein–Uhlenbeck
// law: with ρ_ss = N(0, S) on the grid, Φ = f - T ln(ρ_ss / Gibbs) is
// (T/2) x^T S^-1 x + const exactly (up to float64 rounding), and Φ = f when ρ_ss is Gibbs.
import { describe, expect, it } from 'vitest';
import { effectivePotential, logRatioToGibbs } from '../../src/sim/fokker-planck/effective-potential';
import { gibbsLog } from '../../src/sim/fokker-planck/coefficients';
import { logRatioCells, ratioRange } from '../../src/render/stationary-view';
import { cellSurface } from '../../src/render/cell-surface';

const n = 48, lo = -2, h = 4 / n, T = 0.1;
const centre = (i: number) => lo + (i + 0.5) * h;
// f = (x^2 + 4 y^2)/2; S any positive covariance (not T H^-1)
const f = new Float64Array(n * n), logS = new Float64Array(n * n);
const S = { xx: 0.1, xy: 0.024, yy: 0.025 };
const det = S.xx * S.yy - S.xy * S.xy;
const Si = { xx: S.yy / det, xy: -S.xy / det, yy: S.xx / det };
let z = 0;
for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
  const x = centre(i), y = centre(j), k = j * n + i;
  f[k] = 0.5 * (x * x + 4 * y * y);
  logS[k] = -0.5 * (Si.xx * x * x + 2 * Si.xy * x * y + Si.yy * y * y);
  z += Math.exp(logS[k]);
}
for (let k = 0; k < logS.length; k++) logS[k] -= Math.log(z);

describe('effective potential and ln(ρ_ss / Gibbs)', () => {
  it('Φ of a Gaussian ρ_ss is (T/2) x^T S^-1 x + const: its second differences are T S^-1 to rounding', () => {
    const phi = effectivePotential(f, logS, T);
    const at = (i: number, j: number) => phi[j * n + i];
    const i = n / 2, j = n / 2;
    // exact for a quadratic: central second differences; rounding ~1e-16 * |Φ| / h^2
    const dxx = (at(i + 1, j) - 2 * at(i, j) + at(i - 1, j)) / (h * h);
    const dyy = (at(i, j + 1) - 2 * at(i, j) + at(i, j - 1)) / (h * h);
    const dxy = (at(i + 1, j + 1) - at(i + 1, j - 1) - at(i - 1, j + 1) + at(i - 1, j - 1)) / (4 * h * h);
    const tol = 1e-8;
    expect(dxx).toBeCloseTo(T * Si.xx, 7);
    expect(Math.abs(dxy - T * Si.xy)).toBeLessThan(tol * Math.abs(T * Si.xy) + 1e-7);
    expect(dyy).toBeCloseTo(T * Si.yy, 7);
  });

  it('Gibbs in, f out: Φ = f and the log ratio is 0 in every cell', () => {
    const g = gibbsLog(f, T);
    const phi = effectivePotential(f, g, T);
    const r = logRatioToGibbs(f, g, T);
    for (let k = 0; k < f.length; k++) {
      expect(Math.abs(phi[k] - f[k])).toBeLessThan(1e-12 * (1 + f[k]));
      expect(Math.abs(r[k])).toBeLessThan(1e-9);
    }
  });

  it('the colour range is the 95% quantile of |ln ratio| under ρ_ss, rounded up; weights and masses are normalised', () => {
    const c = logRatioCells({ n, domain: { x: [lo, 2], y: [lo, 2] }, f, logStationary: logS, temperature: T });
    expect(Math.max(...c.weight)).toBeCloseTo(1, 12);
    expect(c.mass.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // the quantile itself, by sorting the cells independently
    const order = [...c.ratio.keys()].sort((a, b) => Math.abs(c.ratio[a]) - Math.abs(c.ratio[b]));
    let cum = 0, q = 0;
    for (const k of order) { cum += c.mass[k]; if (cum >= 0.95) { q = Math.abs(c.ratio[k]); break; } }
    const r = ratioRange([c]);
    expect(r).toBeGreaterThanOrEqual(q);
    expect([0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10]).toContain(r);
    // the next smaller nice value would not cover it
    const nice = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
    const below = nice[nice.indexOf(r) - 1];
    if (below !== undefined) expect(below).toBeLessThan(q);
  });

  it('a cell surface interpolates between cell centres and returns the centres exactly', () => {
    const s = cellSurface(f, n, { x: [lo, 2], y: [lo, 2] });
    expect(s.value(centre(5), centre(7))).toBe(f[7 * n + 5]);
    // half way between two centres along x: the mean
    expect(s.value(centre(5) + h / 2, centre(7))).toBeCloseTo(0.5 * (f[7 * n + 5] + f[7 * n + 6]), 12);
    // beyond the outer centres: the nearest centre's value
    expect(s.value(lo, lo)).toBe(f[0]);
  });
});

describe('effective potential where ρ_ss is not resolved', () => {
  it('with a relative floor, Φ is flat at T ln(1/floor) above its minimum where ρ_ss is below it, and unchanged elsewhere', () => {
    const floor = 1e-9;
    const cut = Float64Array.from(logS, (v, k) => (k % 7 === 0 ? -Infinity : v)); // some cells underflowed
    const phi = effectivePotential(f, cut, T, floor);
    const plain = effectivePotential(f, cut, T);
    const top = Math.max(...cut);
    let min = Infinity;
    for (let k = 0; k < phi.length; k++) if (cut[k] > top + Math.log(floor)) min = Math.min(min, phi[k]);
    for (let k = 0; k < phi.length; k++) {
      if (cut[k] > top + Math.log(floor)) expect(phi[k]).toBeCloseTo(plain[k], 9);
      else expect(phi[k]).toBeCloseTo(min + T * Math.log(1 / floor), 6);
      expect(Number.isFinite(phi[k])).toBe(true);
    }
  });
});
