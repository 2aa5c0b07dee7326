// `npm run lab -- path SCENARIO.json --from X,Y --to X,Y --out DIR [--pivots N]`:
// the minimum-energy path between the minima nearest to two points (nudged
// elastic band with climbing image, src/sim/analysis/neb.ts), its saddle and
// barrier, and the barrier of the straight line between the same minima.
// Writes DIR/path.json.
import { join } from 'node:path';
import { parseScenario } from '../model/scenario';
import type { Domain, Vec2 } from '../model/surface-types';
import { minimumEnergyPath, type PathSaddle } from '../sim/analysis/neb';
import { HELP_HINT, intFlag, parseFlags, quoteArg } from './args';
import { isNetworkDocument } from '../model/network/spec';
import { CliError } from './errors';
import { prepareOutDir, writeAtomic } from './output';
import { loadScenarioArg } from './scenario-file';


const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(12)) : v);

/** A decimal number: optional sign, digits with an optional fraction, optional exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function parsePoint(flag: string, text: string | undefined, domain: Domain): Vec2 {
  if (text === undefined) throw new CliError(`path needs ${flag} X,Y (a point near a minimum)`, 2);
  const parts = text.split(',');
  // decimal only (Number() would also take '0x1f', '0b1', ' 1 ' and 'Infinity')
  const nums = parts.map((p) => (DECIMAL.test(p) ? Number(p) : NaN));
  if (parts.length !== 2 || !nums.every(Number.isFinite)) throw new CliError(`${flag} must be two numbers 'X,Y' such as ${flag} -1,0; got '${text}'`, 2);
  const [x, y] = nums;
  if (x < domain.x[0] || x > domain.x[1] || y < domain.y[0] || y > domain.y[1]) {
    throw new CliError(`${flag} ${x},${y} is outside the scenario's domain x [${domain.x.join(', ')}], y [${domain.y.join(', ')}]`, 2);
  }
  return [x, y];
}

function saddleDoc(s: PathSaddle) {
  return {
    x: round(s.at[0]),
    y: round(s.at[1]),
    loss: round(s.loss),
    eigenvalues: s.eigenvalues.map(round),
    index: s.index,
    climbingImage: { x: round(s.climb.at[0]), y: round(s.climb.at[1]), loss: round(s.climb.loss) },
  };
}

export function pathCommand(args: string[], log: (line: string) => void): void {
  // parseFlags joins '--from -1,0' into '--from=-1,0' (node's parser takes '-1,0' for an option)
  const { positionals, values } = parseFlags('path', args, { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, pivots: { type: 'string' } });
  if (positionals.length !== 1) throw new CliError(`path takes one scenario, not ${positionals.length}; ${HELP_HINT}`, 2);
  if (!values.out) throw new CliError('path needs --out DIR (the folder for path.json)', 2);
  const pivots = intFlag('--pivots', values.pivots, 3, 48, 'pivots of the initial band') ?? 12;
  const scenarioArg = positionals[0];
  const json = loadScenarioArg(scenarioArg).json;
  if (isNetworkDocument(json)) throw new CliError(`${quoteArg(scenarioArg)} is a network scenario: its path joins two trained networks, --between PANEL:I,PANEL:J (e.g. --between 0:0,0:1), not --from/--to points`, 2);
  const r = parseScenario(json);
  if (!r.ok) {
    const more = r.problems.length > 1 ? ` (and ${r.problems.length - 1} more: npm run lab -- validate ${scenarioArg})` : '';
    throw new CliError(`invalid scenario: ${r.problems[0]}${more}`);
  }
  const { scenario, surface } = r;
  const from = parsePoint('--from', values.from, scenario.domain);
  const to = parsePoint('--to', values.to, scenario.domain);
  prepareOutDir(values.out);
  const t0 = performance.now();
  let p;
  try {
    p = minimumEnergyPath(surface, from, to, { pivots });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const seconds = (performance.now() - t0) / 1000;
  const doc = {
    surface: { field: scenario.surface, name: surface.name, formula: surface.formula },
    domain: scenario.domain,
    method: 'nudged elastic band, improved tangent (Henkelman & Jónsson 2000), climbing image, pivot insertion; endpoints relaxed to their minima',
    from: { given: from, x: round(p.from.at[0]), y: round(p.from.at[1]), loss: round(p.from.loss) },
    to: { given: to, x: round(p.to.at[0]), y: round(p.to.at[1]), loss: round(p.to.loss) },
    barrier: round(p.barrier),
    straightBarrier: round(p.straightBarrier),
    saddle: p.saddle ? saddleDoc(p.saddle) : null,
    saddles: p.saddles.map(saddleDoc),
    intermediateMinima: p.intermediateMinima.map((m) => ({ x: round(m.at[0]), y: round(m.at[1]), loss: round(m.loss) })),
    pivots: p.pivots.map((q) => ({ x: round(q.x), y: round(q.y), loss: round(q.loss), s: round(q.s), ...(q.climbing ? { climbing: true } : {}), ...(q.minimum ? { minimum: true } : {}) })),
    straightLine: p.straightLine.map((q) => ({ t: round(q.t), x: round(q.x), y: round(q.y), loss: round(q.loss) })),
    converged: p.converged,
    maxForce: p.maxForce,
    forceTolerance: p.forceTolerance,
    iterations: p.iterations,
    wallSeconds: round(seconds),
  };
  writeAtomic(join(values.out, 'path.json'), JSON.stringify(doc, null, 2) + '\n');
  const saddle = p.saddle ? `saddle at (${p.saddle.at.map((v) => v.toFixed(4)).join(', ')}), loss ${p.saddle.loss.toPrecision(6)}` : 'no saddle (the path stays at the minima\'s loss)';
  log(`'${surface.name}': barrier ${p.barrier.toPrecision(4)} along the path (${p.pivots.length} pivots, ${saddle}) vs ${p.straightBarrier.toPrecision(4)} on the straight line${p.converged ? '' : '; WARNING: the band did not converge'}; wrote ${join(values.out, 'path.json')}`);
}
