// The GPU benchmark kit's entry (issue 17): runs the engine's benchmarks in
// Node under Dawn (the `webgpu` package's dawn.node), no browser. Built into
// one file by scripts/bench-kit.ts; run by the kit's run.sh, or here with
//   npx tsx bench/kit/main.ts [--quick] [--only particles|fokker-planck|network]
// stdout: one JSON line per figure (name, value, unit, baseline, baselineValue,
// ratio, adapter), as `npm run bench -- --json`; stderr: progress and the adapter.
// Exit 3 with one line when Dawn finds no adapter.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { FULL, QUICK, runKitBenchmarks } from './benchmarks';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Dawn { create(flags: string[]): GPU; globals: Record<string, unknown> }

/** dawn.node: where run.sh unpacked it, else the installed `webgpu` package's (development). */
function loadDawn(): Dawn {
  const require = createRequire(import.meta.url);
  const path = process.env.SGD_KIT_DAWN ?? require.resolve(`webgpu/dist/${process.platform}-${process.arch}/dawn.node`);
  return require(path) as Dawn;
}

async function main(): Promise<number> {
  if (values.only && !['particles', 'fokker-planck', 'network'].includes(values.only)) {
    log(`bench kit: --only must be particles, fokker-planck or network (got '${values.only}')`);
    return 2;
  }
  const dawn = loadDawn();
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  if (!globalThis.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
  Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    log('bench kit: Dawn found no WebGPU adapter (no Vulkan driver for a GPU here? see `ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d` and `nvidia-smi`)');
    return 3;
  }
  const i = adapter.info;
  log(`adapter: ${i.vendor} ${i.architecture} ${i.device} ${i.description}`.trim());
  log(`node ${process.version}; ${values.quick ? 'quick (CI-sized)' : 'full'} sizes`);
  const rows = await runKitBenchmarks(values.quick ? QUICK : FULL, log, values.only);
  for (const r of rows) process.stdout.write(JSON.stringify(r) + '\n');
  return 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  log(`bench kit failed: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  process.exit(1);
});
