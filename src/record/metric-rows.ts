// Records flattened to the rows of metrics.csv: step,panel,metric,value.
import type { PanelRecord } from '../scheduler/simulation';
import type { CloudStats, NetworkPanelRecord } from '../sim/network/network-record';

/** value null: no measurement (e.g. the mean loss of a panel whose particles all diverged); an empty CSV field */
export type MetricRow = [step: number, panel: number, metric: string, value: number | null];

export function recordRows(r: PanelRecord, panel: number): MetricRow[] {
  const rows: MetricRow[] = [
    [r.step, panel, 'mean_loss', r.meanLoss],
    [r.step, panel, 'loss_q10', r.lossQuantiles?.[0] ?? null],
    [r.step, panel, 'loss_q50', r.lossQuantiles?.[1] ?? null],
    [r.step, panel, 'loss_q90', r.lossQuantiles?.[2] ?? null],
    [r.step, panel, 'mean_x', r.mean?.[0] ?? null],
    [r.step, panel, 'mean_y', r.mean?.[1] ?? null],
    [r.step, panel, 'cov_xx', r.cov?.[0] ?? null],
    [r.step, panel, 'cov_xy', r.cov?.[1] ?? null],
    [r.step, panel, 'cov_yy', r.cov?.[2] ?? null],
    [r.step, panel, 'alive', r.alive],
    [r.step, panel, 'diverged', r.diverged],
    // <(x - x̄) × expected step> per unit PDE time (length²/time): 0 at equilibrium
    [r.step, panel, 'angular_momentum', r.angularMomentum],
  ];
  r.basinFractions.forEach((f, b) => rows.push([r.step, panel, `basin_${b}`, f]));
  // the Gibbs density's share of each basin at the panel's T (equilibrium theory, constant over the run)
  r.gibbsBasins?.forEach((p, b) => rows.push([r.step, panel, `gibbs_basin_${b}`, p]));
  const d = r.pde;
  if (d) {
    rows.push(
      [r.step, panel, 'pde_time', d.time],
      [r.step, panel, 'pde_mass', d.mass],
      [r.step, panel, 'pde_mean_loss', d.meanLoss],
      [r.step, panel, 'free_energy', d.freeEnergy],
      // KL to the panel's own stationary density (Gibbs for isotropic noise, else the relaxed ρ_ss);
      // named kl_gibbs while a non-isotropic panel's ρ_ss was not known yet (then it is the distance to Gibbs)
      [r.step, panel, d.klReference === 'stationary' ? 'kl_stationary' : 'kl_gibbs', d.klStationary],
      [r.step, panel, 'kl_particles_pde', d.klHistogram],
      [r.step, panel, 'circulation', d.circulation],
    );
    // the PDE density's probability in each listed minimum's basin (beside the particles' basin_K)
    d.basinMasses.forEach((m, b) => rows.push([r.step, panel, `pde_basin_${b}`, m]));
    // how far the non-equilibrium steady state is from Gibbs (nats); absent for isotropic noise, where ρ_ss is Gibbs
    if (d.klSsGibbs !== null) rows.push([r.step, panel, 'kl_ss_gibbs', d.klSsGibbs]);
  }
  return rows;
}

/** The rows as metrics.csv: a `step,panel,metric,value` header, one row per line (no value: empty), a final newline. */
export function metricsCsv(rows: MetricRow[]): string {
  return ['step,panel,metric,value', ...rows.map(([s, p, m, v]) => `${s},${p},${m},${v ?? ''}`)].join('\n') + '\n';
}

/** A network panel's record as metrics.csv rows (issue 14): cloud statistics of loss and accuracy (and sharpness where estimated), spread, alive/diverged. */
export function networkRecordRows(r: NetworkPanelRecord, panel: number): MetricRow[] {
  const rows: MetricRow[] = [];
  const stats = (name: string, s: CloudStats | null) => {
    rows.push([r.step, panel, `${name}_mean`, s?.mean ?? null], [r.step, panel, `${name}_q10`, s?.q10 ?? null],
      [r.step, panel, `${name}_q50`, s?.q50 ?? null], [r.step, panel, `${name}_q90`, s?.q90 ?? null]);
  };
  stats('train_loss', r.trainLoss);
  stats('train_accuracy', r.trainAccuracy);
  stats('test_loss', r.testLoss);
  stats('test_accuracy', r.testAccuracy);
  // only on the records that estimated them (the scenario's `sharpness` field, every `every`-th record and the last)
  if (r.sharpness) stats('sharpness', r.sharpness);
  if (r.hessianTrace) stats('hessian_trace', r.hessianTrace);
  rows.push([r.step, panel, 'spread', r.spread]);
  r.spreadPerLayer?.forEach((d, l) => rows.push([r.step, panel, `spread_layer_${l}`, d]));
  rows.push([r.step, panel, 'alive', r.alive], [r.step, panel, 'diverged', r.diverged]);
  return rows;
}
