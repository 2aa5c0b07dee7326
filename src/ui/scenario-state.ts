// The scenario as the UI holds it: the default, the URL hash codec, preset
// documents, and the panel helpers (temperature doubled or halved, the same
// lr/B with lr and B changed). Pure functions, no DOM beyond `location`.
import type { Surface } from '../model/surface-types';
import type { PanelSpec, Scenario } from '../model/scenario';
import { parseScenarioNow } from './formula-reader';
import { MAX_PANELS, type ScenarioInput } from '../model/scenario-schema';

/**
 * The scenario as the page edits it: the schema's input shape (defaults may be
 * missing; values may be out of range while the user types). parseScenario
 * checks it and fills the defaults before anything runs.
 */
export type ScenarioDoc = ScenarioInput;
/** The analysis part of a draft (the landscape tools and escape statistics). */
export type AnalysisDoc = NonNullable<ScenarioDoc['analysis']>;

/**
 * npm start: the double well h (x^2 - 1)^2 + y^2/2 with the cloud started in
 * the left well, at temperatures T = lr s^2 / (2B) = 0.4, 0.2, 0.1 (B = 1, 2, 4).
 * Kramers: the escape rate over the barrier (height 1) scales as exp(-1/T);
 * the escape statistics compare each panel's first-passage times with it.
 * The first preset (public/presets/double-well-temperatures.json) is this.
 */
export const DEFAULT_SCENARIO: ScenarioDoc = {
  seed: 7,
  surface: { name: 'double-well', params: { h: 1, tilt: 0 } },
  domain: { x: [-2, 2], y: [-2, 2] },
  steps: 20000,
  particles: { count: 16384, init: { kind: 'gaussian', mean: [-1, 0], std: 0.05 } },
  fokkerPlanck: { grid: 128 },
  panels: [
    { optimizer: { kind: 'sgd', lr: 0.05, momentum: 0 }, noise: { kind: 'gaussian', batchSize: 1, gradientStd: 4 } },
    { optimizer: { kind: 'sgd', lr: 0.05, momentum: 0 }, noise: { kind: 'gaussian', batchSize: 2, gradientStd: 4 } },
    { optimizer: { kind: 'sgd', lr: 0.05, momentum: 0 }, noise: { kind: 'gaussian', batchSize: 4, gradientStd: 4 } },
  ],
  record: { every: 100 },
  // escape statistics: the left well over the saddle at the origin (scheduler/escape-watch.ts)
  analysis: { escape: { minimum: [-1, 0], saddle: [0, 0] } },
};

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Preset documents may carry a title and a description next to the scenario fields. */
export interface PresetDoc {
  title?: string;
  description?: string;
  /** the rest of the document, not yet validated */
  scenario: Record<string, unknown>;
}

export function splitPreset(json: unknown): PresetDoc {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { scenario: {} };
  const { title, description, ...scenario } = json as Record<string, unknown>;
  return {
    title: typeof title === 'string' ? title : undefined,
    description: typeof description === 'string' ? description : undefined,
    scenario,
  };
}

/**
 * A preset or scenario file as the page keeps it: the scenario with its title
 * (shown in the header, carried by the link and by recordings); the
 * description goes to the banner only.
 */
export function withTitle(json: unknown): Record<string, unknown> {
  const p = splitPreset(json);
  return p.title === undefined ? p.scenario : { title: p.title, ...p.scenario };
}

export type CheckedDoc = { ok: true; doc: ScenarioDoc; scenario: Scenario; surface: Surface } | { ok: false; problems: string[] };

/** Validates a document (a formula surface: after whenFormulasReadable); a valid one is a ScenarioDoc as it stands (the draft keeps it as written, unnormalised). */
export function checkDoc(json: unknown): CheckedDoc {
  const r = parseScenarioNow(json);
  // parseScenario accepted it: it has the schema's input shape
  return r.ok ? { ok: true, doc: json as ScenarioDoc, scenario: r.scenario, surface: r.surface } : r;
}

const HASH_KEY = 's';

/** The URL hash that carries a scenario: #s=<URI-encoded JSON>. */
export function scenarioToHash(scenario: object): string {
  return `#${HASH_KEY}=${encodeURIComponent(JSON.stringify(scenario))}`;
}

export type HashResult =
  | { kind: 'none' }
  | { kind: 'ok'; doc: ScenarioDoc }
  | { kind: 'bad'; problems: string[] };

/** The scenario document in a URL hash, unchecked (undefined when there is none or it is not JSON). */
export function hashDocument(hash: string): unknown {
  const raw = new URLSearchParams(hash.replace(/^#/, '')).get(HASH_KEY);
  try {
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Reads a scenario from a URL hash (a formula surface: after whenFormulasReadable(hashDocument(hash))); never throws. */
export function scenarioFromHash(hash: string): HashResult {
  const body = hash.replace(/^#/, '');
  if (!body) return { kind: 'none' };
  const params = new URLSearchParams(body);
  const raw = params.get(HASH_KEY);
  if (raw === null) return { kind: 'bad', problems: [`the link's hash has no '${HASH_KEY}=' scenario`] };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    return { kind: 'bad', problems: [`the link's scenario is not valid JSON (${(e as Error).message})`] };
  }
  const r = parseScenarioNow(withTitle(json));
  if (!r.ok) return { kind: 'bad', problems: r.problems };
  return { kind: 'ok', doc: r.scenario };
}

type Draft = { panels: PanelSpec[] };

/**
 * A copy of panel `i` at `factor` times its temperature (2 or 1/2): for
 * Gaussian and minibatch noise B is divided by the factor when that stays an
 * integer >= 1, else s (or lr) absorbs it; Langevin T is scaled directly.
 * Returns null when the panel has no temperature to scale.
 */
export function scaledTemperaturePanel(panel: PanelSpec, factor: number): PanelSpec | null {
  const p = clone(panel);
  delete p.label;
  const o = p.optimizer, n = p.noise;
  if (o.kind !== 'sgd') return null;
  switch (n.kind) {
    case 'none': return null;
    case 'langevin': n.temperature *= factor; return p;
    case 'gaussian': {
      const b = n.batchSize / factor;
      if (Number.isInteger(b) && b >= 1) n.batchSize = b;
      else n.gradientStd *= Math.sqrt(factor);
      return p;
    }
    case 'minibatch': {
      const b = n.batchSize / factor;
      if (Number.isInteger(b) && b >= 1 && b <= 4096) n.batchSize = b;
      else o.lr *= factor;
      return p;
    }
  }
}

/** A copy of the panel with lr and B both multiplied by `factor` (same lr/B, so the same temperature). */
export function sameRatioPanel(panel: PanelSpec, factor: number): PanelSpec | null {
  const p = clone(panel);
  delete p.label;
  const n = p.noise;
  if (n.kind !== 'gaussian' && n.kind !== 'minibatch') return null;
  const b = n.batchSize * factor;
  if (!Number.isInteger(b) || b < 1) return null;
  n.batchSize = b;
  p.optimizer.lr *= factor;
  return p;
}

export function canAddPanel(doc: Draft): boolean {
  return doc.panels.length < MAX_PANELS;
}
