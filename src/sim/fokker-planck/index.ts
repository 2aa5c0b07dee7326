// The Fokker–Planck stage: GPU class, CPU reference, and helpers.
export { FokkerPlanckGrid, type FokkerPlanckGridOptions, type GpuRelaxOptions, type GpuRelaxResult } from './grid';
export {
  FokkerPlanckReference, metrics, faceCurrents, rates, stepReference, relaxToStationary, moments, integratorLimit,
  P_FLOOR, P_TINY, DEFAULT_ADI_LIMITS, type ReferenceOptions, type RelaxOptions, type RelaxResult,
} from './reference';
export { buildCoefficients, chooseDt, gibbs, gibbsLog, prepare, resolveDiffusion, type FokkerPlanckCoefficients } from './coefficients';
export { adiFactors, adiStep } from './adi';
export { initialDensity } from './init';
export * from './types';
