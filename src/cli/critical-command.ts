// `npm run lab -- critical SCENARIO.json --out DIR [--seeds N]`: every critical
// point of the scenario's surface in its domain, found by damped Newton from a
// grid of N x N starts (the CPU reference of the GPU kernel), classified by
// the Hessian's eigenvalues; connected valleys of degenerate minima are one
// manifold entry. Writes DIR/critical.json.
import { join } from 'node:path';
import { parseScenario } from '../model/scenario';
import { findCriticalPoints } from '../sim/analysis/critical-points';
import { HELP_HINT, intFlag, parseFlags } from './args';
import { CliError } from './errors';
import { countOf } from '../model/format';
import { prepareOutDir, writeAtomic } from './output';
import { loadScenarioArg } from './scenario-file';


const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(12)) : v);

export function criticalCommand(args: string[], log: (line: string) => void): void {
  const { positionals, values } = parseFlags('critical', args, { out: { type: 'string' }, seeds: { type: 'string' } });
  if (positionals.length !== 1) throw new CliError(`critical takes one scenario, not ${positionals.length}; ${HELP_HINT}`, 2);
  if (!values.out) throw new CliError('critical needs --out DIR (the folder for critical.json)', 2);
  const seeds = intFlag('--seeds', values.seeds, 2, 1024, 'starts per axis') ?? 64;
  const scenarioArg = positionals[0];
  const r = parseScenario(loadScenarioArg(scenarioArg).json);
  if (!r.ok) {
    const more = r.problems.length > 1 ? ` (and ${r.problems.length - 1} more: npm run lab -- validate ${scenarioArg})` : '';
    throw new CliError(`invalid scenario: ${r.problems[0]}${more}`);
  }
  prepareOutDir(values.out);
  const { scenario, surface } = r;
  const t0 = performance.now();
  const report = findCriticalPoints(surface, scenario.domain, { seedsPerAxis: seeds });
  const seconds = (performance.now() - t0) / 1000;
  const count = (k: string) => report.points.filter((p) => p.kind === k).length;
  const doc = {
    surface: { field: scenario.surface, name: surface.name, formula: surface.formula },
    domain: scenario.domain,
    method: 'damped Newton (Levenberg–Marquardt on grad f) from a grid of starts, float64 polish, Hessian eigenvalues',
    seeds: { perAxis: seeds, total: seeds * seeds, converged: report.converged },
    gradientScale: round(report.gradientScale),
    hessianScale: round(report.hessianScale),
    counts: { minimum: count('minimum'), saddle: count('saddle'), maximum: count('maximum'), manifolds: report.manifolds.length },
    points: report.points.map((p) => ({
      kind: p.kind,
      x: round(p.at[0]),
      y: round(p.at[1]),
      loss: round(p.value),
      index: p.index,
      degenerate: p.degenerate,
      eigenvalues: p.eigenvalues.map(round),
      hessian: p.hessian.map(round),
      gradientNorm: p.gradientNorm,
      starts: p.starts,
    })),
    manifolds: report.manifolds.map((m) => ({
      kind: m.kind,
      loss: round(m.value),
      lossRange: m.valueRange.map(round),
      closed: m.closed,
      length: round(m.length),
      normalEigenvalue: m.normalEigenvalue.map(round),
      starts: m.starts,
      points: m.points.map(([x, y]) => ({ x: round(x), y: round(y) })),
    })),
    wallSeconds: round(seconds),
  };
  writeAtomic(join(values.out, 'critical.json'), JSON.stringify(doc, null, 2) + '\n');
  const manifolds = report.manifolds.length ? `, ${report.manifolds.length} manifold(s) of ${report.manifolds.map((m) => m.kind.replace('-manifold', '')).join('/')}` : '';
  log(`'${surface.name}': ${countOf(doc.counts.minimum, 'minimum', 'minima')}, ${countOf(doc.counts.saddle, 'saddle', 'saddles')}, ${countOf(doc.counts.maximum, 'maximum', 'maxima')}${manifolds} from ${seeds * seeds} starts in ${seconds.toFixed(2)} s; wrote ${join(values.out, 'critical.json')}`);
}
