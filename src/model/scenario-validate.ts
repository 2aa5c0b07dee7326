// Scenario validation and normalisation: every problem becomes one line naming
// the field, the value and the allowed range. The surface resolver is a
// parameter, so a caller that knows the scenario has no formula (the CLI's
// `validate`) need not load the formula reader (mathjs, seconds to load);
// scenario.ts binds the full resolver for everyone else.
import type { z } from 'zod';
import { scenarioSchema, type ParsedScenario } from './scenario-schema';
import type { Domain, Surface } from './surface-types';
import { findSurface, SURFACES } from './surfaces/index';
import { keyText, oneLine, pathText, quotedKey, show } from './issue-text';
import { float32Problems, startProblems } from './scenario-numbers';
import { surfaceProblems } from './scenario-surface-check';
import { isNetworkDocument } from './network/spec';

/** A validated scenario with every default filled in (the domain too). */
export interface Scenario extends ParsedScenario {
  domain: Domain;
}

export type ScenarioResult = { ok: true; scenario: Scenario; surface: Surface } | { ok: false; problems: string[] };

/** The surface named by the scenario's surface field (see resolve-surface.ts). */
export type SurfaceResolver = (
  field: { name: string; params: Record<string, number> } | { expression: string },
  domain: Domain | undefined,
  seed: number,
) => { ok: true; surface: Surface } | { ok: false; problems: string[] };

/** The catalogue's surfaces only: a formula gets a problem saying the formula reader was not loaded. */
export const catalogueResolver: SurfaceResolver = (field, domain, seed) => {
  if (!('name' in field)) return { ok: false, problems: ['surface.expression: this check was made without the formula reader'] };
  const def = findSurface(field.name);
  if (!def) return { ok: false, problems: [`surface.name: ${show(field.name)} is not a catalogue surface`] };
  const surface = def.create(field.params, seed);
  return { ok: true, surface: domain ? { ...surface, domain } : surface };
};

/** True when the document names a formula surface (it needs the full resolver). */
export function hasFormula(input: unknown): boolean {
  const surface = typeof input === 'object' && input !== null ? (input as { surface?: unknown }).surface : undefined;
  return typeof surface === 'object' && surface !== null && 'expression' in surface;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Unknown keys as a message lists them: the first five, quoted and escaped. */
function unknownKeys(keys: string[]): string {
  const shown = keys.slice(0, 5).map(quotedKey);
  return `${shown.join(', ')}${keys.length > 5 ? ` and ${keys.length - 5} more` : ''}`;
}

/** One zod issue as a message naming the field, the value and what is allowed (`kinds`: the allowed kinds per union owner). */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, kinds: Record<string, string[]> = KINDS): string {
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
        return `${where}: ${got} is not an allowed kind${allowedKinds(String(owner), kinds)}`;
      }
      return got === 'nothing' ? `${where}: missing; this field is required` : `${where}: ${got} matches none of the allowed forms`;
    }
    case 'unrecognized_keys':
      return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${unknownKeys(issue.keys)}`;
    case 'invalid_value':
      return `${where}: ${got} is not one of ${issue.values.map((v) => show(v)).join(', ')}`;
    default:
      return `${where}: ${issue.message} (got ${got})`;
  }
}

/**
 * One message per field: zod may report several checks of one value (1e308 is
 * beyond the safe integers and beyond uint32); the tightest bound is kept.
 */
export function onePerPath(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const kept = new Map<string, z.core.$ZodIssue>();
  for (const i of issues) {
    const key = JSON.stringify(i.path.map(String));
    const prev = kept.get(key);
    if (!prev) kept.set(key, i);
    else if (prev.code === 'too_big' && i.code === 'too_big' && Number(i.maximum) < Number(prev.maximum)) kept.set(key, i);
    else if (prev.code === 'too_small' && i.code === 'too_small' && Number(i.minimum) > Number(prev.minimum)) kept.set(key, i);
  }
  return [...kept.values()];
}

/** The kinds of the 2-D scenario's discriminated unions, by the field that holds the union. */
export const KINDS: Record<string, string[]> = {
  optimizer: ['sgd', 'adam'],
  noise: ['none', 'langevin', 'gaussian', 'minibatch'],
  init: ['gaussian', 'uniform', 'point'],
};

function allowedKinds(owner: string, table: Record<string, string[]>): string {
  const kinds = Object.hasOwn(table, owner) ? table[owner] : undefined;
  return kinds ? `; use one of ${kinds.map((k) => `'${k}'`).join(', ')}` : '';
}

function isSpd(m: [[number, number], [number, number]]): boolean {
  return m[0][1] === m[1][0] && m[0][0] > 0 && m[0][0] * m[1][1] - m[0][1] * m[1][0] > 0;
}

/** Validates and normalises a scenario with the given surface resolver; never throws on bad input. */
export function parseScenarioWith(input: unknown, resolveSurface: SurfaceResolver): ScenarioResult {
  const r = check(input, resolveSurface);
  return r.ok ? r : { ok: false, problems: r.problems.map((p) => oneLine(p)) };
}

function check(input: unknown, resolveSurface: SurfaceResolver): ScenarioResult {
  if (isNetworkDocument(input)) {
    return { ok: false, problems: ['surface.network: this is a network scenario; this check takes 2-D surface scenarios (network scenarios are read by parseLabScenario / parseNetworkScenario, and by `npm run lab -- validate|run`)'] };
  }
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: onePerPath(parsed.error.issues).map((i) => describeIssue(i, input)) };
  const s = parsed.data;
  const problems: string[] = [];

  if ('name' in s.surface) {
    const def = findSurface(s.surface.name);
    if (!def) {
      problems.push(`surface.name: ${show(s.surface.name)} is not a catalogue surface; use one of ${SURFACES.map((d) => d.name).join(', ')} or { "expression": "..." }`);
    } else {
      for (const [k, v] of Object.entries(s.surface.params)) {
        const spec = def.params.find((p) => p.name === k);
        if (!spec) problems.push(`surface.params.${keyText(k)}: '${def.name}' has no parameter ${quotedKey(k)}; its parameters are ${def.params.map((p) => p.name).join(', ') || 'none'}`);
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
  if (problems.length === 0) problems.push(...float32Problems(s));
  if (problems.length) return { ok: false, problems };

  const resolved = resolveSurface(s.surface, s.domain, s.seed);
  if (!resolved.ok) return { ok: false, problems: resolved.problems };
  const surface = resolved.surface;
  s.panels.forEach((p, i) => {
    if (p.noise.kind === 'minibatch' && !surface.finiteSum) {
      problems.push(`panels[${i}].noise.kind: 'minibatch' needs a finite-sum surface (one with a dataset); '${surface.name}' has none, use 'gaussian' or 'langevin' noise`);
    }
  });
  const domain = s.domain ?? surface.domain;
  if (problems.length === 0) problems.push(...startProblems(s, domain), ...surfaceProblems(s, surface, domain));
  if (problems.length) return { ok: false, problems };
  const scenario: Scenario = { ...s, domain };
  if ('name' in scenario.surface) scenario.surface = { name: scenario.surface.name, params: namedParams(scenario.surface.name, scenario.surface.params) };
  return { ok: true, scenario, surface };
}

function namedParams(name: string, given: Record<string, number>): Record<string, number> {
  const def = findSurface(name)!;
  return Object.fromEntries(def.params.map((p) => [p.name, given[p.name] ?? p.default]));
}
