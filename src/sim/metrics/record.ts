// One metrics record of one panel: what the GPU reduces and the CPU reads back.

export interface ParticleRecord {
  /** optimizer steps done when the record was taken */
  step: number;
  alive: number;
  diverged: number;
  /** mean loss over alive particles (loss units) */
  meanLoss: number;
  mean: [number, number];
  /** population covariance (xx, xy, yy) of alive positions */
  cov: [number, number, number];
  /** loss quantiles 0.1, 0.5, 0.9: upper edges of log-spaced histogram bins (~5.5% relative resolution of f - f_min) */
  lossQuantiles: [number, number, number];
  /** fraction of all particles in the basin of each listed minimum */
  basinFractions: number[];
}
