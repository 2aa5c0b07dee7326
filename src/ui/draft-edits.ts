// Typed edits of the scenario draft for the sidebar (controls.ts): each
// narrows the draft's unions (surface by name or formula; init, optimizer
// and noise by `kind`) and changes one field. Pure functions on a
// ScenarioDoc (the schema's input shape: defaults may be missing, values may
// be out of range while the user types); no DOM.
import { findSurface } from '../model/surfaces/index';
import type { Domain } from '../model/surface-types';
import type { PanelSpec } from '../model/scenario';
import { clone, type ScenarioDoc } from './scenario-state';

export type DraftSurface = ScenarioDoc['surface'];
export type DraftPanel = ScenarioDoc['panels'][number];

/** The named surface's name; undefined for a formula. */
export function surfaceName(s: DraftSurface): string | undefined {
  return 'name' in s ? s.name : undefined;
}

/** The formula f(x, y) of a formula surface; null for a named one. */
export function surfaceFormula(s: DraftSurface): string | null {
  return 'expression' in s ? s.expression : null;
}

/** The draft's domain, else its named surface's default, else `fallback` (domain units). */
export function domainOf(doc: ScenarioDoc, fallback: Domain): Domain {
  const name = surfaceName(doc.surface);
  return doc.domain ?? (name === undefined ? undefined : findSurface(name)?.defaultDomain) ?? fallback;
}

/** Sets one parameter of a named surface (a formula has none). */
export function setSurfaceParam(doc: ScenarioDoc, param: string, v: number): void {
  const s = doc.surface;
  if ('name' in s) s.params = { ...s.params, [param]: v };
}

/** Sets one end (k = 0 minimum, 1 maximum) of a domain axis; a draft without a domain gets its surface's default first. */
export function setDomainEnd(doc: ScenarioDoc, axis: 'x' | 'y', k: 0 | 1, v: number): void {
  const name = surfaceName(doc.surface);
  const def = name === undefined ? undefined : findSurface(name);
  const domain = doc.domain ?? (def ? clone(def.defaultDomain) : { x: [-2, 2], y: [-2, 2] });
  domain[axis][k] = v;
  doc.domain = domain;
}

/** Minibatch noise needs a finite-sum surface: every minibatch panel gets Gaussian noise of the same B (s = 1). */
export function minibatchToGaussian(doc: ScenarioDoc): void {
  for (const p of doc.panels) {
    const n = p.noise;
    if (n?.kind === 'minibatch') p.noise = { kind: 'gaussian', batchSize: n.batchSize, gradientStd: 1 };
  }
}

/**
 * A new start of the given kind: a Gaussian cloud (std 5 % of the domain's x
 * width) or a point, both centred where the old start was (else at the
 * domain's centre); anything else starts uniform.
 */
export function reinit(doc: ScenarioDoc, kind: string): void {
  const dom = domainOf(doc, { x: [-1, 1], y: [-1, 1] });
  const old = doc.particles.init;
  const centre: [number, number] = old?.kind === 'gaussian' ? old.mean : old?.kind === 'point' ? old.at
    : [(dom.x[0] + dom.x[1]) / 2, (dom.y[0] + dom.y[1]) / 2];
  doc.particles.init = kind === 'gaussian' ? { kind: 'gaussian', mean: centre, std: 0.05 * (dom.x[1] - dom.x[0]) }
    : kind === 'point' ? { kind: 'point', at: centre } : { kind: 'uniform' };
}

/** Sets coordinate k (0 = x, 1 = y) of the Gaussian start's mean or the point start (domain units). */
export function setInitCoordinate(doc: ScenarioDoc, k: 0 | 1, v: number): void {
  const init = doc.particles.init;
  if (init?.kind === 'gaussian') init.mean[k] = v;
  else if (init?.kind === 'point') init.at[k] = v;
}

/** Sets the Gaussian start's standard deviation (domain units). */
export function setInitStd(doc: ScenarioDoc, v: number): void {
  const init = doc.particles.init;
  if (init?.kind === 'gaussian') init.std = v;
}

/** A panel's optimizer of a kind chosen in the menu ('sgd', 'momentum' = SGD with β = 0.9, 'adam'), keeping lr. */
export function setOptimizerKind(panel: DraftPanel, kind: string): void {
  const lr = panel.optimizer.lr;
  panel.optimizer = kind === 'adam' ? { kind: 'adam', lr, beta1: 0.9, beta2: 0.999, eps: 1e-8 } : { kind: 'sgd', lr, momentum: kind === 'momentum' ? 0.9 : 0 };
}

/** SGD's heavy-ball coefficient β (no effect on Adam). */
export function setMomentum(panel: DraftPanel, v: number): void {
  const o = panel.optimizer;
  if (o.kind === 'sgd') o.momentum = v;
}

/** One of Adam's moment decays (no effect on SGD). */
export function setAdamBeta(panel: DraftPanel, which: 'beta1' | 'beta2', v: number): void {
  const o = panel.optimizer;
  if (o.kind === 'adam') o[which] = v;
}

/** A panel's noise of a kind chosen in the menu, keeping B where both have one (minibatch at most 4096). */
export function setNoiseKind(panel: DraftPanel, kind: string): void {
  const old = panel.noise;
  const B = old?.kind === 'gaussian' || old?.kind === 'minibatch' ? old.batchSize : 4;
  panel.noise = kind === 'gaussian' ? { kind: 'gaussian', batchSize: B, gradientStd: 1 } : kind === 'minibatch' ? { kind: 'minibatch', batchSize: Math.min(B, 4096) }
    : kind === 'langevin' ? { kind: 'langevin', temperature: 0.1 } : { kind: 'none' };
}

/** The batch size B of Gaussian or minibatch noise. */
export function setBatchSize(panel: DraftPanel, v: number): void {
  const n = panel.noise;
  if (n?.kind === 'gaussian' || n?.kind === 'minibatch') n.batchSize = v;
}

/** The per-sample gradient standard deviation s of Gaussian noise (loss units per domain unit). */
export function setGradientStd(panel: DraftPanel, v: number): void {
  const n = panel.noise;
  if (n?.kind === 'gaussian') n.gradientStd = v;
}

/** Langevin noise's temperature T (loss units). */
export function setLangevinTemperature(panel: DraftPanel, v: number): void {
  const n = panel.noise;
  if (n?.kind === 'langevin') n.temperature = v;
}

/**
 * A draft panel with the schema's defaults filled in where it leaves them out
 * (scenario-schema.ts: no noise, momentum 0, no Nesterov, Adam β1 0.9, β2
 * 0.999, eps 1e-8); values are taken as they stand, unchecked. For showing
 * the panel (its temperature) and for copies of it.
 */
export function panelWithDefaults(p: DraftPanel): PanelSpec {
  const o = p.optimizer;
  const optimizer: PanelSpec['optimizer'] = o.kind === 'sgd'
    ? { kind: 'sgd', lr: o.lr, momentum: o.momentum ?? 0, nesterov: o.nesterov ?? false }
    : { kind: 'adam', lr: o.lr, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, eps: o.eps ?? 1e-8 };
  const noise = p.noise ?? { kind: 'none' };
  return p.label === undefined ? { optimizer, noise } : { label: p.label, optimizer, noise };
}
