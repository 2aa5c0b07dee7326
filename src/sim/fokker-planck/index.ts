// The Fokker–Planck stage: GPU class, CPU reference, and helpers.
export { FokkerPlanckGrid, type FokkerPlanckGridOptions } from './grid';
export {
  FokkerPlanckReference, metrics, faceCurrents, rates, stepReference, moments, integratorLimit,
  P_FLOOR, P_TINY, DEFAULT_ADI_LIMITS, type ReferenceOptions,
} from './reference';
export { relaxToStationary, relaxGridToStationary, type RelaxOptions, type RelaxResult, type GpuRelaxOptions, type GpuRelaxResult } from './relax';
export { buildCoefficients, chooseDt, gibbs, gibbsLog, prepare, resolveDiffusion, type FokkerPlanckCoefficients } from './coefficients';
export { effectivePotential, logRatioToGibbs } from './effective-potential';
export { adiFactors, adiStep } from './adi';
export { initialDensity } from './init';
export * from './types';
