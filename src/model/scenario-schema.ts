// The scenario document (DESIGN.md "Scenarios"): one JSON shape shared by the
// UI, the URL hash, the presets and the CLI. zod checks types and ranges;
// scenario.ts adds the cross-field checks and turns issues into messages.
import { z } from 'zod';

const finite = () => z.number().finite();
const vec2 = z.tuple([finite(), finite()]);
const range = z.tuple([finite(), finite()]).refine(([a, b]) => a < b, { message: 'must be [min, max] with min < max' });

export const MAX_PANELS = 8;
/** per panel; the adapter usually allows fewer (the runner and the page check its limit) */
export const MAX_PARTICLES = 2 ** 30;
export const MAX_STEPS = 100_000_000;

const initSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('gaussian'), mean: vec2, std: finite().positive().max(1e3) }).strict(),
  z.object({ kind: z.literal('uniform') }).strict(),
  z.object({ kind: z.literal('point'), at: vec2 }).strict(),
]);

const optimizerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sgd'),
    lr: finite().positive().max(10),
    /** heavy-ball coefficient beta in [0, 1) */
    momentum: finite().min(0).lt(1).default(0),
    nesterov: z.boolean().default(false),
  }).strict(),
  z.object({
    kind: z.literal('adam'),
    lr: finite().positive().max(10),
    beta1: finite().min(0).lt(1).default(0.9),
    beta2: finite().min(0).lt(1).default(0.999),
    eps: finite().positive().max(1).default(1e-8),
  }).strict(),
]);

const noiseSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({
    kind: z.literal('langevin'),
    /** temperature T: x += -lr grad + sqrt(2 lr T) L xi */
    temperature: finite().min(0).max(1e3),
    /** constant diffusion matrix M = L L^T, symmetric positive definite */
    diffusion: z.tuple([vec2, vec2]).optional(),
  }).strict(),
  z.object({
    kind: z.literal('gaussian'),
    batchSize: z.number().int().min(1).max(1 << 20),
    /** per-sample gradient standard deviation s: T = lr s^2 / (2B) */
    gradientStd: finite().min(0).max(1e3),
  }).strict(),
  z.object({ kind: z.literal('minibatch'), batchSize: z.number().int().min(1).max(4096) }).strict(),
]);

export const panelSchema = z.object({
  label: z.string().max(80).optional(),
  optimizer: optimizerSchema,
  noise: noiseSchema.default({ kind: 'none' }),
}).strict();

const surfaceSchema = z.union([
  z.object({ name: z.string().min(1).max(40), params: z.record(z.string(), finite()).default({}) }).strict(),
  z.object({ expression: z.string().min(1).max(500) }).strict(),
]);

/**
 * What the lab's landscape tools show for this scenario (the page only: the
 * runner ignores it; `npm run lab -- critical|path` are its headless side).
 * Points are domain coordinates; each names the critical point nearest it.
 */
const analysisSchema = z.object({
  /** mark the critical points (found on the GPU) in both views */
  critical: z.boolean().default(false),
  /** nudged-elastic-band path between the minima nearest `from` and `to` */
  path: z.object({ from: vec2, to: vec2 }).strict().optional(),
  /** draw the loss smoothed by this panel's one-step noise kernel (index into panels) */
  smoothing: z.object({ panel: z.number().int().min(0).max(MAX_PANELS - 1) }).strict().optional(),
  /**
   * first-passage times of every particle of every panel out of the basin of
   * the minimum nearest `minimum`, over the index-1 saddle nearest `saddle`,
   * checked inside the step kernel every `every` steps (1: exact steps; a
   * larger k records each escape up to k - 1 steps late, corrected on average)
   */
  escape: z.object({ minimum: vec2, saddle: vec2, every: z.number().int().min(1).max(MAX_STEPS).optional() }).strict().optional(),
}).strict();

export const scenarioSchema = z.object({
  /** presets: a short name and what the scenario demonstrates */
  title: z.string().max(120).optional(),
  description: z.string().max(2000).optional(),
  seed: z.number().int().min(0).max(0xffffffff).default(7),
  surface: surfaceSchema,
  domain: z.object({ x: range, y: range }).strict().optional(),
  steps: z.number().int().min(0).max(MAX_STEPS).default(1000),
  particles: z.object({
    count: z.number().int().min(1).max(MAX_PARTICLES),
    init: initSchema.default({ kind: 'uniform' }),
  }).strict(),
  fokkerPlanck: z.object({
    grid: z.number().int().min(16).max(2048),
    /** 'euler': explicit, exact in time up to O(dt); 'adi': implicit line sweeps (diagonal noise only), larger steps, first order in time */
    integrator: z.enum(['auto', 'euler', 'adi']).default('auto'),
  }).strict().optional(),
  panels: z.array(panelSchema).min(1).max(MAX_PANELS),
  record: z.object({ every: z.number().int().min(1).max(MAX_STEPS) }).strict().default({ every: 100 }),
  analysis: analysisSchema.optional(),
}).strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type PanelSpec = ParsedScenario['panels'][number];
export type OptimizerSpec = PanelSpec['optimizer'];
export type NoiseSpec = PanelSpec['noise'];
export type AnalysisSpec = NonNullable<ParsedScenario['analysis']>;
export type InitSpec = ParsedScenario['particles']['init'];
