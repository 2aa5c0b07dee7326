// What float32, the GPU's number type, can carry: the limits every number of a
// scenario is checked against before anything runs (validation), so a value
// that float64 holds but float32 rounds to 0 or to infinity is refused with a
// message instead of freezing every particle as diverged on the GPU.

/** Largest finite float32, 3.4028235e38. */
export const F32_MAX = 3.4028234663852886e38;

/** Smallest normal float32, 1.1754944e-38 (smaller values are subnormal; GPUs may flush them to 0). */
export const F32_MIN_NORMAL = 1.1754943508222875e-38;

/**
 * Smallest positive value accepted where the GPU divides by a number or by its
 * square root (Adam's eps, the learning rate in sqrt(2T/lr), a temperature in
 * f/T): 1e-30 keeps quotients of order-1 numbers below 1e30 and 8 decades above
 * float32's subnormals.
 */
export const MIN_DIVISOR = 1e-30;

/**
 * Largest |coordinate| of a domain, start point or analysis point: squares and
 * sums of squares over 2^30 particles stay finite in float32 ((1e12)^2 * 2^30 ≈ 1e33).
 */
export const MAX_COORDINATE = 1e12;

/** Smallest domain width relative to max(1, |min|, |max|): float32 has 24 bits (6e-8) of resolution. */
export const MIN_RELATIVE_WIDTH = 1e-6;

/**
 * Largest |loss| or |gradient| accepted: float32's maximum over 1e3, the
 * headroom for lr * gradient, momentum sums and loss sums over a workgroup.
 */
export const MAX_LOSS_MAGNITUDE = F32_MAX / 1e3;

/** Largest |entry| of a Langevin diffusion matrix: sqrt(2T/lr) * L xi stays far below F32_MAX for T <= 1e3, lr >= 1e-30. */
export const MAX_DIFFUSION_ENTRY = 1e6;

/** True when v is finite and within float32's range (|v| <= F32_MAX). */
export function fitsFloat32(v: number): boolean {
  return Math.abs(v) <= F32_MAX;
}

/** True when float32 rounds v (in [0, 1)) to exactly 1, e.g. a momentum of 0.99999999. */
export function roundsToOne(v: number): boolean {
  return Math.fround(v) >= 1;
}

/** Largest float32 below 1 (1 - 2^-24), the upper end of [0, 1) coefficients on the GPU. */
export const F32_BELOW_ONE = 1 - 2 ** -24;
