// The network scenario document (issue 14): `surface: { network: ... }`, a
// cloud of MLPs per panel. It shares the 2-D scenario's fields where they mean
// the same (seed, steps, panels, record; scenario-schema.ts) and its message
// style (scenario-validate.ts); the fields of 2-D surfaces only (domain,
// fokkerPlanck, analysis) are refused with a message saying what to do.
import { z } from 'zod';
import { F32_BELOW_ONE, MIN_DIVISOR, roundsToOne } from '../float32';
import { oneLine, show } from '../issue-text';
import { MAX_PANELS, panelSchema, scenarioSchema, type PanelSpec } from '../scenario-schema';
import { describeIssue, KINDS, onePerPath } from '../scenario-validate';
import { createNetworkModel, type NetworkModel } from './model';
import { panelLabel } from '../panel-quantities';
import { MAX_NETWORKS, networkInitSchema, networkSpecSchema, SHARPNESS_DEFAULTS } from './spec';

const shared = scenarioSchema.shape;

/** A network panel: the 2-D panel's fields, and optionally its own hidden widths (same dataset and activation). */
export const networkPanelSchema = panelSchema.extend({
  /** this panel's hidden layer widths, input side first (default: surface.network.hidden) */
  hidden: networkSpecSchema.shape.hidden.optional(),
});

/**
 * The sharpness of every network (issue 15: lambda_max and the trace of the Hessian of its
 * full training loss): omit to switch it off. One estimate costs up to 2 P + M
 * Hessian-vector products per network (P = iterations, M = probes), each about 2.7 times a
 * full-batch gradient, so it is made at the last step and every `every`-th record only.
 */
export const sharpnessSchema = z.object({
  /** records between estimates; 0: only at the scenario's last step */
  every: z.number().int().min(0).max(1_000_000).default(0),
  /** P: power iterations per phase */
  iterations: z.number().int().min(1).max(1000).default(SHARPNESS_DEFAULTS.iterations),
  /** M: Hutchinson probes (the trace's standard error needs >= 2) */
  probes: z.number().int().min(0).max(4096).default(SHARPNESS_DEFAULTS.probes),
}).strict();

export const networkScenarioSchema = z.object({
  title: shared.title,
  description: shared.description,
  seed: shared.seed,
  surface: z.object({ network: networkSpecSchema }).strict(),
  steps: shared.steps,
  particles: z.object({
    /** networks per panel (the adapter may allow fewer: src/sim/network maxNetworks) */
    count: z.number().int().min(1).max(MAX_NETWORKS),
    init: networkInitSchema.default({ kind: 'fan-in' }),
  }).strict(),
  panels: z.array(networkPanelSchema).min(1).max(MAX_PANELS),
  record: shared.record,
  sharpness: sharpnessSchema.optional(),
}).strict();

export type NetworkScenarioInput = z.input<typeof networkScenarioSchema>;
export type NetworkScenario = z.output<typeof networkScenarioSchema>;
export type NetworkPanelSpec = NetworkScenario['panels'][number];

export type NetworkScenarioResult =
  | { ok: true; scenario: NetworkScenario; network: NetworkModel }
  | { ok: false; problems: string[] };

/** Fields of 2-D scenarios that networks do not have, and what to do instead. */
const REFUSED: Record<string, string> = {
  domain: 'domain: a network has no 2-D domain (its weight space has D dimensions); remove it: the views choose their planes of weight space themselves',
  fokkerPlanck: 'fokkerPlanck: the Fokker–Planck density is solved on a 2-D grid and does not apply to networks; remove it (the cloud of networks is the sample of the density)',
  analysis: 'analysis: the landscape tools (critical points, paths, smoothing, escape times) work on 2-D surfaces only; remove it and use the weight-space plane views for networks',
};

/** The discriminated unions' kinds for messages: the network's init kinds replace the 2-D ones. */
const NETWORK_KINDS: Record<string, string[]> = { ...KINDS, init: networkInitSchema.options.map((o) => o.shape.kind.value) };

/** Validates and normalises a network scenario and builds its model (dataset included); never throws on bad input. */
export function parseNetworkScenario(input: unknown): NetworkScenarioResult {
  const r = check(input);
  return r.ok ? r : { ok: false, problems: r.problems.map((p) => oneLine(p)) };
}

function check(input: unknown): NetworkScenarioResult {
  const problems: string[] = [];
  let rest = input;
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const refused = Object.keys(REFUSED).filter((k) => Object.hasOwn(input, k));
    problems.push(...refused.map((k) => REFUSED[k]));
    rest = Object.fromEntries(Object.entries(input).filter(([k]) => !refused.includes(k)));
  }
  const parsed = networkScenarioSchema.safeParse(rest);
  if (!parsed.success) {
    problems.push(...onePerPath(parsed.error.issues).map((i) => describeIssue(i, input, NETWORK_KINDS)));
    return { ok: false, problems };
  }
  const s = parsed.data;
  s.panels.forEach((p, i) => problems.push(...panelProblems(`panels[${i}]`, p)));
  if (problems.length) return { ok: false, problems };
  return { ok: true, scenario: s, network: createNetworkModel(s.surface.network, s.seed) };
}

/** A network panel's fields that networks refuse, and its numbers as float32 sees them. */
function panelProblems(where: string, p: PanelSpec): string[] {
  const problems: string[] = [];
  const o = p.optimizer, n = p.noise;
  if (n.kind === 'langevin' && n.diffusion) {
    problems.push(`${where}.noise.diffusion: ${show(n.diffusion)} is a 2 × 2 matrix for 2-D surfaces; a network's Langevin noise is isotropic (one temperature for every parameter): remove diffusion`);
  }
  // the step divides by lr (sqrt(2T/lr)) and by Adam's eps; beta = 1 would stop the moments decaying
  if (o.lr < MIN_DIVISOR) problems.push(`${where}.optimizer.lr: ${o.lr} is too small for float32 (the GPU divides by it); it must be >= ${MIN_DIVISOR}`);
  const belowOne: [string, number][] = o.kind === 'sgd' ? [['momentum', o.momentum]] : [['beta1', o.beta1], ['beta2', o.beta2]];
  for (const [name, v] of belowOne) {
    if (roundsToOne(v)) problems.push(`${where}.optimizer.${name}: ${v} rounds to 1 in float32; it must be <= ${F32_BELOW_ONE}`);
  }
  if (o.kind === 'adam' && o.eps < MIN_DIVISOR) problems.push(`${where}.optimizer.eps: ${o.eps} is too small for float32 (the GPU divides by it); it must be >= ${MIN_DIVISOR}`);
  return problems;
}

/** A network panel's label: the 2-D panel's, plus its own hidden widths when it overrides them. */
export function networkPanelLabel(p: NetworkPanelSpec, index: number): string {
  const base = panelLabel(p, index);
  return p.hidden && !p.label ? `${base} · hidden [${p.hidden.join(', ')}]` : base;
}
