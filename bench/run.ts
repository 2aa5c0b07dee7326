// `npm run bench [-- --json] [-- --only particles|fokker-planck]`: throughput figures,
// each against a baseline measured in the same run (numpy peers, copies).
import { parseArgs } from 'node:util';
import { openLabSession } from '../src/cli/lab-session';
import { benchParticleSteps } from './particles';
import { runFokkerPlanckBench } from './fokker-planck';
import { callInPage } from '../src/cli/page-call';
import type { BenchRow } from './rows';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, only: { type: 'string' }, gpu: { type: 'string', default: 'swiftshader' } } });
const log = (s: string) => process.stderr.write(`${s}\n`);

function print(row: BenchRow): void {
  if (values.json) { process.stdout.write(JSON.stringify(row) + '\n'); return; }
  const ratio = row.ratio === null ? '' : `  ${row.ratio.toFixed(2)}x vs ${row.baseline} (${row.baselineValue!.toExponential(2)})`;
  process.stdout.write(`${row.name.padEnd(62)} ${row.value.toExponential(3)} ${row.unit}${ratio}  [${row.adapter}]\n`);
}

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
} finally {
  await session.close();
}
