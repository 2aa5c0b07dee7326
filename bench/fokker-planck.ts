// Fokker–Planck throughput, each figure against a baseline measured in the
// same run: the numpy peer (../shared/peers/fokker_planck_numpy.py, same
// scheme: Scharfetter–Gummel, explicit Euler), a WGSL copy of the substep's
// bytes (fraction of achievable bandwidth), and explicit Euler itself (for the
// ADI option). Page side: bench/pages/fokker-planck.ts.
//
// Wiring: runFokkerPlanckBench(page, grids) with `page.call(module, fn, ...args)`
// calling export `fn` of the page module at URL path `module`
// ('/bench/pages/fokker-planck.ts'), e.g. with a Puppeteer page:
//   { call: (m, fn, ...a) => callInPage(page, m, fn, ...a) }   (src/cli/page-call.ts)
import { runPeer } from './peers';
import type { BenchRow } from './rows';
import type { FokkerPlanckBenchResult, TimeToKlResult } from './pages/fokker-planck';

export interface PageLike {
  call<T = unknown>(module: string, fn: string, ...args: unknown[]): Promise<T>;
}

export type FokkerPlanckBenchRow = BenchRow;

export const FOKKER_PLANCK_PAGE = '/bench/pages/fokker-planck.ts';

export interface NumpyPeerResult {
  cellUpdatesPerSecond: number;
  grid: number;
  steps: number;
}

/** Runs the numpy peer at `grid`; null (with the reason) when python3, numpy or the peer is missing. */
export function runNumpyPeer(grid: number, steps: number): { result: NumpyPeerResult | null; reason?: string } {
  const { result, reason } = runPeer('fokker_planck_numpy.py', ['--grid', String(grid), '--steps', String(steps)]);
  return result ? { result: { cellUpdatesPerSecond: result.cell_updates_per_s, grid: result.grid, steps: result.steps } } : { result: null, reason };
}

export interface FokkerPlanckBenchOptions {
  /** seconds of timed GPU work per figure (default 0.5) */
  minSeconds?: number;
  /** ADI step for the ADI figures (default 0.05) */
  adiDt?: number;
  /** grid for the time-to-KL < 1e-4 figures (default 256; 0 skips them) */
  klGrid?: number;
  log?: (line: string) => void;
}

/**
 * Rows per grid: Euler cell-updates/s vs numpy; Euler bytes/s vs a WGSL copy
 * of the same bytes; ADI PDE-time/s vs Euler. Then the double well's wall
 * time to KL(p || Gibbs) < 1e-4 with ADI against the same with Euler.
 */
export async function runFokkerPlanckBench(page: PageLike, grids: number[], opts: FokkerPlanckBenchOptions = {}): Promise<FokkerPlanckBenchRow[]> {
  const log = opts.log ?? (() => {});
  const minSeconds = opts.minSeconds ?? 0.5;
  const adiDt = opts.adiDt ?? 0.05;
  const klGrid = opts.klGrid ?? 256;
  const rows: FokkerPlanckBenchRow[] = [];
  for (const grid of grids) {
    log(`fokker-planck: ${grid}^2 Euler substeps ...`);
    const eu = await page.call<FokkerPlanckBenchResult>(FOKKER_PLANCK_PAGE, 'benchFokkerPlanckPage', grid, { minSeconds, batch: grid >= 1024 ? 20 : 100 });
    // numpy: about half a second of its work
    const peer = runNumpyPeer(grid, Math.max(20, Math.round(4e7 / (grid * grid))));
    if (!peer.result) log(`  (no numpy baseline: ${peer.reason})`);
    const np = peer.result?.cellUpdatesPerSecond ?? null;
    rows.push({
      name: `fokker-planck Euler substeps, ${grid}^2 double well`, value: eu.cellUpdatesPerSecond, unit: 'cell-updates/s',
      baseline: np === null ? null : `numpy SG Euler peer, ${grid}^2 (same run)`, baselineValue: np, ratio: np === null ? null : eu.cellUpdatesPerSecond / np, adapter: eu.adapter,
    });
    rows.push({
      name: `fokker-planck Euler substep bandwidth (32 B/cell), ${grid}^2`, value: eu.bytesPerSecond, unit: 'B/s',
      baseline: 'WGSL copy of the same bytes (same run)', baselineValue: eu.copyBytesPerSecond, ratio: eu.bytesPerSecond / eu.copyBytesPerSecond, adapter: eu.adapter,
    });
    log(`fokker-planck: ${grid}^2 ADI steps of ${adiDt} ...`);
    const adi = await page.call<FokkerPlanckBenchResult>(FOKKER_PLANCK_PAGE, 'benchFokkerPlanckPage', grid, { minSeconds, batch: grid >= 1024 ? 2 : 10, integrator: 'adi', dt: adiDt });
    rows.push({
      name: `fokker-planck ADI (dt ${adiDt}) PDE time per second, ${grid}^2`, value: adi.pdeTimePerSecond, unit: 'PDE time/s',
      baseline: `explicit Euler (dt ${eu.dt.toExponential(2)}), same run`, baselineValue: eu.pdeTimePerSecond, ratio: adi.pdeTimePerSecond / eu.pdeTimePerSecond, adapter: adi.adapter,
    });
  }
  if (klGrid > 0) {
    log(`fokker-planck: ${klGrid}^2 to KL < 1e-4, ADI ...`);
    const adi = await page.call<TimeToKlResult>(FOKKER_PLANCK_PAGE, 'timeToKlPage', klGrid, 'adi', adiDt, 1e-4, 4, 2000);
    log(`fokker-planck: ${klGrid}^2 to KL < 1e-4, explicit Euler ...`);
    const eu = await page.call<TimeToKlResult>(FOKKER_PLANCK_PAGE, 'timeToKlPage', klGrid, 'euler', undefined, 1e-4, 1000, 200_000);
    log(`  ADI: ${adi.steps} steps, t = ${adi.time.toFixed(2)}, ${adi.seconds.toFixed(2)} s; Euler: ${eu.steps} substeps, t = ${eu.time.toFixed(2)}, ${eu.seconds.toFixed(2)} s`);
    rows.push({
      name: `fokker-planck wall time to KL<1e-4 from uniform, ${klGrid}^2 double well T=0.1, ADI dt ${adiDt} (lower is better)`, value: adi.seconds, unit: 's',
      baseline: 'explicit Euler, same run', baselineValue: eu.seconds, ratio: adi.seconds / eu.seconds, adapter: adi.adapter,
    });
    rows.push({
      name: `fokker-planck wall time to KL<1e-4 from uniform, ${klGrid}^2 double well T=0.1, explicit Euler (lower is better)`, value: eu.seconds, unit: 's',
      baseline: null, baselineValue: null, ratio: null, adapter: eu.adapter,
    });
  }
  return rows;
}

/** The entry the bench runner calls (same as runFokkerPlanckBench). */
export const benchFokkerPlanck = runFokkerPlanckBench;
