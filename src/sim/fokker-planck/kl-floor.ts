// The sampling floor of KL(histogram ‖ p): what the particle–PDE distance
// would be if the particles were exact independent draws from the PDE density
// p, from counting noise alone. With Poisson cell counts h_c ~ Poisson(λ_c),
// λ_c = n p_c, the plug-in estimate Σ (h/n) ln(h / (n p)) has expectation
// Σ_c φ(λ_c) / n, φ(λ) = E[h ln h] - λ ln λ: 1/2 + 1/(12 λ) + 1/(12 λ²) + O(λ⁻³) for a
// well-filled cell (the χ² law's (K - 1)/(2n) over K cells), λ ln(1/λ) + O(λ²)
// for a nearly empty one. The metric normalises by the histogram's own total
// (the multinomial case); the difference is O(1/n) relative.

/** Above this mean count the asymptotic series is used (its error is O(λ⁻³), ~1e-8 here). */
const ASYMPTOTIC_LAMBDA = 200;

/** φ(λ) = E[h ln h] - λ ln λ for h ~ Poisson(λ), λ >= 0 (nats). */
export function poissonEntropyExcess(lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > ASYMPTOTIC_LAMBDA) return 0.5 + 1 / (12 * lambda) + 1 / (12 * lambda * lambda);
  // sum over h >= 2 (h ln h is 0 at h = 0, 1) with P(h) by the recurrence P(h) = P(h - 1) λ / h
  const top = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 20);
  let logP = -lambda + Math.log(lambda); // ln P(1)
  let e = 0;
  for (let h = 2; h <= top; h++) {
    logP += Math.log(lambda / h);
    e += Math.exp(logP) * h * Math.log(h);
  }
  return e - lambda * Math.log(lambda);
}

/**
 * Expected KL(histogram ‖ p) in nats for a histogram of `n` draws from the
 * per-cell probabilities `p` (normalised here): the floor kl_particles_pde
 * cannot go below when particles and PDE agree.
 */
export function klSamplingFloor(p: ArrayLike<number>, n: number): number {
  let total = 0;
  for (let c = 0; c < p.length; c++) total += Math.max(0, p[c]);
  if (!(total > 0) || !(n > 0)) return NaN;
  let sum = 0;
  for (let c = 0; c < p.length; c++) sum += poissonEntropyExcess((n * Math.max(0, p[c])) / total);
  return sum / n;
}
