// What a panel's stationary density says about the landscape it lives on:
// with ρ_ss = exp(-Φ/T)/Z_Φ, the effective potential Φ = -T ln ρ_ss + const
// (Chaudhari & Soatto: SGD with non-isotropic noise minimises Φ, not f), and
// the log ratio ln(ρ_ss / Gibbs) (0 everywhere at equilibrium). The constant
// is fixed so that Φ = f - T ln(ρ_ss / Gibbs): Φ equals f wherever ρ_ss
// equals the Gibbs density exp(-f/T)/Z, so the two compare on one scale.
// Per PDE cell, from the grid's f at cell centres and ln ρ_ss (probabilities per cell).
import { gibbsLog } from './coefficients';

/** ln(ρ_ss / Gibbs at temperature T) per cell (nats); -Infinity where ρ_ss is 0. */
export function logRatioToGibbs(f: ArrayLike<number>, logStationary: ArrayLike<number>, temperature: number): Float64Array {
  const g = gibbsLog(f, temperature);
  const out = new Float64Array(f.length);
  for (let c = 0; c < f.length; c++) out[c] = logStationary[c] - g[c];
  return out;
}

/**
 * Φ = f - T ln(ρ_ss / Gibbs) per cell (loss units). With `relativeFloor`
 * (e.g. 1e-9), ρ_ss is taken as at least that fraction of its largest cell:
 * where the relaxed density is not resolved (float32 underflow, far tails) Φ
 * is then flat at T ln(1 / relativeFloor) above its minimum instead of jumping
 * to +Infinity (without a floor: +Infinity where ρ_ss is 0).
 */
export function effectivePotential(f: ArrayLike<number>, logStationary: ArrayLike<number>, temperature: number, relativeFloor = 0): Float64Array {
  let top = -Infinity;
  for (let c = 0; c < logStationary.length; c++) top = Math.max(top, logStationary[c]);
  const lowest = relativeFloor > 0 ? top + Math.log(relativeFloor) : -Infinity;
  const floored = Float64Array.from(logStationary, (v) => Math.max(v, lowest));
  const r = logRatioToGibbs(f, floored, temperature);
  const out = new Float64Array(f.length);
  for (let c = 0; c < f.length; c++) out[c] = f[c] - temperature * r[c];
  return out;
}
