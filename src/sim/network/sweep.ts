// An lr/B sweep across the panels of a network scenario (issue 15, item 2):
// each panel's final cloud statistic (train loss, test accuracy, sharpness)
// as one point with its 10–90 % spread, against lr/B, lr or B, so a collapse
// on lr/B (Jastrzebski et al. 2017) — or its failure — can be seen. B is the
// minibatch size; full-batch gradient descent ('none' noise) counts the whole
// training split. Panels without an lr/B (Adam, additive noise) are left out.
import type { PanelSpec } from '../../model/scenario-schema';
import type { CloudStats, NetworkPanelRecord } from './network-record';

export type SweepAxis = 'ratio' | 'lr' | 'batch';
export type SweepQuantity = 'trainLoss' | 'testAccuracy' | 'sharpness';

export interface SweepPoint {
  panel: number;
  lr: number;
  batch: number;
  /** lr/B, lr or B, as the axis asks */
  x: number;
  q10: number;
  q50: number;
  q90: number;
  mean: number;
}

/** A panel's learning rate and batch size, or null where lr/B does not describe its noise (Adam, Langevin or Gaussian noise). */
export function panelLrB(spec: PanelSpec, nTrain: number): { lr: number; batch: number } | null {
  if (spec.optimizer.kind !== 'sgd') return null;
  const n = spec.noise;
  if (n.kind === 'minibatch') return { lr: spec.optimizer.lr, batch: n.batchSize };
  if (n.kind === 'none') return { lr: spec.optimizer.lr, batch: nTrain };
  return null;
}

/** Whether the panels form a sweep: at least two panels with an lr/B, and not all with the same lr and B. */
export function isSweep(specs: PanelSpec[], nTrain: number): boolean {
  const keys = new Set(specs.map((s) => panelLrB(s, nTrain)).filter((v) => v !== null).map((v) => `${v.lr}/${v.batch}`));
  return keys.size >= 2;
}

/** One point per panel with an lr/B and a value of `quantity` in its record (the latest record of each panel). */
export function sweepPoints(specs: PanelSpec[], records: (NetworkPanelRecord | undefined)[], nTrain: number, axis: SweepAxis, quantity: SweepQuantity): SweepPoint[] {
  const out: SweepPoint[] = [];
  specs.forEach((spec, panel) => {
    const lb = panelLrB(spec, nTrain);
    const s: CloudStats | null | undefined = records[panel]?.[quantity];
    if (!lb || !s) return;
    const x = axis === 'ratio' ? lb.lr / lb.batch : axis === 'lr' ? lb.lr : lb.batch;
    out.push({ panel, lr: lb.lr, batch: lb.batch, x, q10: s.q10, q50: s.q50, q90: s.q90, mean: s.mean });
  });
  return out;
}

/** A panel's learning rate (any optimizer): the scale of its "time" lr·steps. */
export const panelLr = (spec: PanelSpec): number => spec.optimizer.lr;

/** A record history sample: the step and every panel's record (NetworkRunController.history). */
export interface SweepSample {
  step: number;
  records: (NetworkPanelRecord | undefined)[];
}

/**
 * Every panel's record at the same time lr·steps rather than the same step
 * (Jastrzebski et al. compare SGD runs at equal lr·steps: the SDE's time):
 * tau is the latest time every panel has reached (the minimum over panels of
 * lr_p times its last step with a value of `quantity`), and each panel's record
 * is its last one with a value at a time <= tau (to 1e-9 relative). A panel's
 * time then falls short of tau by at most lr_p times its record interval.
 */
export function recordsAtEqualTime(specs: PanelSpec[], history: readonly SweepSample[], quantity: SweepQuantity): { tau: number; records: (NetworkPanelRecord | undefined)[]; steps: (number | null)[] } {
  const lrs = specs.map(panelLr);
  const lastStep = specs.map((_, p) => {
    for (let k = history.length - 1; k >= 0; k--) if (history[k].records[p]?.[quantity]) return history[k].step;
    return null;
  });
  const reached = lastStep.flatMap((s, p) => (s === null ? [] : [lrs[p] * s]));
  const tau = reached.length ? Math.min(...reached) : 0;
  const steps: (number | null)[] = [];
  const records = specs.map((_, p) => {
    for (let k = history.length - 1; k >= 0; k--) {
      const r = history[k].records[p];
      if (r?.[quantity] && lrs[p] * history[k].step <= tau * (1 + 1e-9)) {
        steps[p] = history[k].step;
        return r;
      }
    }
    steps[p] = null;
    return undefined;
  });
  return { tau, records, steps };
}
