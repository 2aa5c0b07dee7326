// Scenario validation and normalisation: every problem becomes one message
// naming the field, the value and the allowed range.
import type { z } from 'zod';
import { scenarioSchema, type ParsedScenario, type PanelSpec, type ScenarioInput } from './scenario-schema';
import type { Domain, Surface } from './surface-types';
import { findSurface, SURFACES } from './surfaces/index';
import { resolveSurface } from './resolve-surface';

export type { ParsedScenario, PanelSpec, ScenarioInput };

/** A validated scenario with every default filled in (the domain too). */
export interface Scenario extends ParsedScenario {
  domain: Domain;
}

export type ScenarioResult = { ok: true; scenario: Scenario; surface: Surface } | { ok: false; problems: string[] };

export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '') || '(scenario)';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const where = pathText(issue.path);
  const got = show(valueAt(input, issue.path));
  switch (issue.code) {
    case 'too_small':
      return `${where}: ${got} is too small; it must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}${issue.origin === 'array' ? ' entries' : ''}`;
    case 'too_big':
      return `${where}: ${got} is too large; it must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}${issue.origin === 'array' ? ' entries' : ''}`;
    case 'invalid_type':
      return `${where}: expected ${issue.expected}, got ${got}`;
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        // zod reports the discriminator's own path, e.g. panels[0].optimizer.kind
        const owner = issue.path[issue.path.length - 2];
        return `${where}: ${got} is not an allowed kind${allowedKinds(String(owner))}`;
      }
      return `${where}: ${got} matches none of the allowed forms`;
    }
    case 'unrecognized_keys':
      return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_value':
      return `${where}: ${got} is not one of ${issue.values.map((v) => show(v)).join(', ')}`;
    default:
      return `${where}: ${issue.message} (got ${got})`;
  }
}

const KINDS: Record<string, string[]> = {
  optimizer: ['sgd', 'adam'],
  noise: ['none', 'langevin', 'gaussian', 'minibatch'],
  init: ['gaussian', 'uniform', 'point'],
};

function allowedKinds(owner: string): string {
  const kinds = KINDS[owner];
  return kinds ? `; use one of ${kinds.map((k) => `'${k}'`).join(', ')}` : '';
}

function isSpd(m: [[number, number], [number, number]]): boolean {
  return m[0][1] === m[1][0] && m[0][0] > 0 && m[0][0] * m[1][1] - m[0][1] * m[1][0] > 0;
}

/** Validates and normalises a scenario; never throws on bad input. */
export function parseScenario(input: unknown): ScenarioResult {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => describeIssue(i, input)) };
  const s = parsed.data;
  const problems: string[] = [];

  if ('name' in s.surface) {
    const def = findSurface(s.surface.name);
    if (!def) {
      problems.push(`surface.name: ${show(s.surface.name)} is not a catalogue surface; use one of ${SURFACES.map((d) => d.name).join(', ')} or { "expression": "..." }`);
    } else {
      for (const [k, v] of Object.entries(s.surface.params)) {
        const spec = def.params.find((p) => p.name === k);
        if (!spec) problems.push(`surface.params.${k}: '${def.name}' has no parameter '${k}'; its parameters are ${def.params.map((p) => p.name).join(', ') || 'none'}`);
        else if (v < spec.min || v > spec.max) problems.push(`surface.params.${k}: ${v} is out of range; it must be in [${spec.min}, ${spec.max}] (${spec.description})`);
      }
    }
  }
  s.panels.forEach((p, i) => {
    if (p.noise.kind === 'langevin' && p.noise.diffusion && !isSpd(p.noise.diffusion)) {
      problems.push(`panels[${i}].noise.diffusion: ${show(p.noise.diffusion)} must be symmetric positive definite`);
    }
  });
  const smoothing = s.analysis?.smoothing;
  if (smoothing) {
    const p = s.panels[smoothing.panel];
    if (!p) problems.push(`analysis.smoothing.panel: ${smoothing.panel} names no panel; there are ${s.panels.length} (0 to ${s.panels.length - 1})`);
    else if (p.optimizer.kind !== 'sgd') problems.push(`analysis.smoothing.panel: panel ${smoothing.panel} uses '${p.optimizer.kind}', which has no fixed noise kernel (its step is rescaled per coordinate); choose an 'sgd' panel`);
  }
  if (problems.length) return { ok: false, problems };

  const resolved = resolveSurface(s.surface, s.domain, s.seed);
  if (!resolved.ok) return { ok: false, problems: resolved.problems };
  const surface = resolved.surface;
  s.panels.forEach((p, i) => {
    if (p.noise.kind === 'minibatch' && !surface.finiteSum) {
      problems.push(`panels[${i}].noise.kind: 'minibatch' needs a finite-sum surface (one with a dataset); '${surface.name}' has none, use 'gaussian' or 'langevin' noise`);
    }
  });
  if (problems.length) return { ok: false, problems };
  const scenario: Scenario = { ...s, domain: s.domain ?? surface.domain };
  if ('name' in scenario.surface) scenario.surface = { name: scenario.surface.name, params: namedParams(scenario.surface.name, scenario.surface.params) };
  return { ok: true, scenario, surface };
}

function namedParams(name: string, given: Record<string, number>): Record<string, number> {
  const def = findSurface(name)!;
  return Object.fromEntries(def.params.map((p) => [p.name, given[p.name] ?? p.default]));
}

/** parseScenario that throws a ScenarioError listing every problem. */
export function requireScenario(input: unknown): { scenario: Scenario; surface: Surface } {
  const r = parseScenario(input);
  if (!r.ok) throw new ScenarioError(r.problems);
  return r;
}

/**
 * The panel's temperature T (loss units): the diffusion constant of the SDE that
 * the iteration approximates, time measured in units of lr per step. With heavy-ball
 * momentum beta the overdamped limit has lr_eff = lr / (1 - beta). For minibatch noise
 * T = lr_eff / (2B) multiplies the gradient covariance Sigma(x); Adam has no temperature (null).
 */
export function panelTemperature(panel: PanelSpec): number | null {
  const opt = panel.optimizer;
  if (opt.kind !== 'sgd') return null;
  const lrEff = opt.lr / (1 - opt.momentum);
  const noise = panel.noise;
  switch (noise.kind) {
    case 'none': return 0;
    case 'langevin': return noise.temperature / (1 - opt.momentum);
    case 'gaussian': return (lrEff * noise.gradientStd ** 2) / (2 * noise.batchSize);
    case 'minibatch': return lrEff / (2 * noise.batchSize);
  }
}

/** PDE time after `steps` optimizer steps: t = steps * lr / (1 - beta) (overdamped limit); null for Adam. */
export function pdeTime(panel: PanelSpec, steps: number): number | null {
  const opt = panel.optimizer;
  return opt.kind === 'sgd' ? (steps * opt.lr) / (1 - opt.momentum) : null;
}

export function panelLabel(panel: PanelSpec, index: number): string {
  if (panel.label) return panel.label;
  const o = panel.optimizer;
  const n = panel.noise;
  const opt = o.kind === 'sgd' ? `SGD lr ${o.lr}${o.momentum ? `, β ${o.momentum}` : ''}` : `Adam lr ${o.lr}`;
  const noise = n.kind === 'gaussian' || n.kind === 'minibatch' ? `, B ${n.batchSize}` : n.kind === 'langevin' ? `, T ${n.temperature}` : '';
  return `${index + 1}: ${opt}${noise}`;
}
