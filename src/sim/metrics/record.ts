// One metrics record of one panel: what the GPU reduces and the CPU reads back.

export interface ParticleRecord {
  /** optimizer steps done when the record was taken */
  step: number;
  alive: number;
  diverged: number;
  /** mean loss over alive particles (loss units); null when none is alive (no value, not 0) */
  meanLoss: number | null;
  /** mean position of the alive particles; null when none is alive */
  mean: [number, number] | null;
  /** population covariance (xx, xy, yy) of alive positions; null when none is alive */
  cov: [number, number, number] | null;
  /**
   * loss quantiles 0.1, 0.5, 0.9 of the alive particles: upper edges of
   * log-spaced histogram bins (~5.5% relative resolution of f - f_min); null when none is alive
   */
  lossQuantiles: [number, number, number] | null;
  /** fraction of all particles in the basin of each listed minimum */
  basinFractions: number[];
  /**
   * mean angular momentum of the cloud about its mean, <(x - x̄) × u>, u the
   * next step's displacement averaged over its noise per unit of PDE time
   * (lr_eff = lr / (1 - beta) per step): length² per time, 0 at equilibrium.
   * It equals <(x - x̄) × (x_{k+1} - x_k)> / lr_eff in expectation without that
   * estimate's step-noise variance. null for Adam and when none is alive.
   */
  angularMomentum: number | null;
}
