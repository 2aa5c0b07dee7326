// `npm run bench [-- --json] [-- --only particles|fokker-planck|live|network|network-tools|cpu] [-- --shots DIR] [-- --sharpness-networks N]`:
// throughput figures, each against a baseline measured in the same run (numpy
// peers, copies, the bare engine). --shots saves the live page's screenshots.
import { parseArgs } from 'node:util';
import { openLabSession } from '../src/cli/lab-session';
import { benchParticleSteps } from './particles';
import { runFokkerPlanckBench } from './fokker-planck';
import { benchLivePage, DEFAULT_LIVE_OPTIONS } from './live-page';
import { benchNetworks } from './network';
import { benchCpuFallback } from './cpu';
import { benchBezierPath, benchSharpnessEstimate } from './network-tools';
import { callInPage } from '../src/cli/page-call';
import type { BenchRow } from './rows';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, only: { type: 'string' }, shots: { type: 'string' }, gpu: { type: 'string', default: 'swiftshader' },
  // the size is 1,024 networks; on SwiftShader one estimate of that many takes ~10 minutes
  'sharpness-networks': { type: 'string', default: '64' } } });
const log = (s: string) => process.stderr.write(`${s}\n`);

function print(row: BenchRow): void {
  if (values.json) { process.stdout.write(JSON.stringify(row) + '\n'); return; }
  const ratio = row.ratio === null ? '' : `  ${row.ratio.toFixed(2)}x vs ${row.baseline} (${row.baselineValue!.toExponential(2)})`;
  process.stdout.write(`${row.name.padEnd(62)} ${row.value.toExponential(3)} ${row.unit}${ratio}  [${row.adapter}]\n`);
}

const BENCHES = ['particles', 'fokker-planck', 'live', 'network', 'network-tools', 'cpu'];
if (values.only && !BENCHES.includes(values.only)) {
  log(`bench: --only must be one of ${BENCHES.join(', ')} (got '${values.only}')`);
  process.exit(2);
}

async function main(): Promise<void> {
  // the CPU fallback's step runs in Node: no browser needed
  if (!values.only || values.only === 'cpu') for (const row of benchCpuFallback(log)) print(row);
  if (values.only === 'cpu') return;
  const session = await openLabSession(values.gpu === 'hardware' ? 'hardware' : 'swiftshader');
  try {
    if (!values.only || values.only === 'particles') {
      for (const row of await benchParticleSteps(session.page, [1 << 18, 1 << 20], log)) print(row);
    }
    if (!values.only || values.only === 'fokker-planck') {
      log('fokker-planck: 256^2, 512^2, 1024^2 ...');
      const page = { call: <T>(m: string, fn: string, ...a: unknown[]) => callInPage<T>(session.page, m, fn, ...a) };
      for (const row of await runFokkerPlanckBench(page, [256, 512, 1024])) print(row);
    }
    if (!values.only || values.only === 'network') {
      for (const row of await benchNetworks(session.page, [8, 32, 64], log)) print(row);
    }
    if (!values.only || values.only === 'network-tools') {
      const networks = Number(values['sharpness-networks']);
      if (!Number.isInteger(networks) || networks < 1) throw new Error(`--sharpness-networks must be a positive integer (got '${values['sharpness-networks']}')`);
      for (const row of await benchSharpnessEstimate(session.page, networks, log)) print(row);
      for (const row of benchBezierPath(log)) print(row);
    }
    if (!values.only || values.only === 'live') {
      for (const row of await benchLivePage(session, log, { ...DEFAULT_LIVE_OPTIONS, shotsDir: values.shots })) print(row);
    }
  } finally {
    await session.close();
  }
}

// a failed page or benchmark: one line, non-zero exit
await main().catch((e: unknown) => {
  log(`bench failed: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  process.exit(1);
});
