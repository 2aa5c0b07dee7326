// Landscape analysis, CPU side: critical points (many-start damped Newton,
// classification, manifolds of degenerate minima), minimum-energy paths
// (NEB), the loss smoothed by the step's noise kernel, and escape statistics
// with the Eyring–Kramers law. Importable from Node (the CLI) and the page.
// The GPU stages import shaders through Vite and live in their own modules:
// newton-gpu.ts (ManyStartNewton, findCriticalPointsGpu) and escape-gpu.ts
// (the exit check inside any ParticleSystem's step kernel, EscapeRun for exact first passages).
export { eigen2, hessianScale, isDegenerate, morseIndex, solve2, type Eigen2 } from './hessian';
export {
  NEWTON_STATUS, dampedNewton, gradientScale, manyStartNewton, newtonOptions, seedGrid,
  type Derivatives, type NewtonOptions, type NewtonResult, type NewtonStatus,
} from './newton-reference';
export {
  criticalSearchSetup, findCriticalPoints, medianHessianScale,
  type CriticalManifold, type CriticalOptions, type CriticalPointInfo, type CriticalReport, type PointKind,
} from './critical-points';
export { minimize, type MinimizeOptions, type MinimizeResult } from './minimize';
export {
  minimumEnergyPath, straightLineMax, straightLineProfile,
  type MinimumEnergyPath, type NebOptions, type PathEndpoint, type PathPivot, type PathSaddle, type StraightSample,
} from './neb';
export { gaussHermite, type Quadrature } from './gauss-hermite';
export {
  DEFAULT_SMOOTHING_ORDER, gridMinima, kernelCovariance, quadratureOrder, smoothedLoss, smoothedValue, stepNoiseKernel,
  type SmoothableSurface, type SmoothedLoss, type SmoothedMinimum, type SmoothingKernel, type SmoothingOptions,
} from './smoothing';
export {
  NOT_ESCAPED, basinExit, escapeStatistics, escapeTimesCpu, hasEscaped, kramersTime, meanFirstPassage1d,
  type BasinExit, type EscapeStatistics, type KramersPrediction,
} from './escape';
