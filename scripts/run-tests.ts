// `npm test` after the browser check: the type check and the unit tests run in
// the background while the browser tests run in the foreground. The browser
// tests drive one headless Chromium on SwiftShader, file by file, and leave
// most of the 2 cores idle while they wait on it (user + system time was 40 %
// of wall time in CI), so the background, at the lowest CPU priority, costs
// them little (at normal priority it slowed the CPU-bound network training
// check from 71 to 112 s). The background's output is kept and
// printed whole at the end (so the two never interleave); the exit status is
// non-zero when either failed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

interface Done { code: number; output: string }

/** Runs `cmd args` with stdout and stderr kept (background) or shown (foreground). */
function run(cmd: string, args: string[], keep: boolean): Promise<Done> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: keep ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: process.env });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', (e) => resolve({ code: 1, output: `${output}\n${cmd}: ${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
/** extra arguments (e.g. a file filter) go to both projects; one of them may then have no file to run */
const extra = process.argv.slice(2);
const filters = extra.length ? [...extra, '--passWithNoTests'] : [];
const t0 = Date.now();
/** the background at the lowest CPU priority (where `nice` exists): it takes only what SwiftShader leaves idle */
const lowPriority = (args: string[]): [string, string[]] => (existsSync('/usr/bin/nice') ? ['/usr/bin/nice', ['-n', '19', npx, ...args]] : [npx, args]);
const background = (async () => {
  const typecheck = await run(...lowPriority(['tsc', '--noEmit', '-p', 'tsconfig.json']), true);
  const unit = await run(...lowPriority(['vitest', 'run', '--project', 'unit', ...filters]), true);
  return { typecheck, unit, seconds: (Date.now() - t0) / 1000 };
})();
const browser = await run(npx, ['vitest', 'run', '--project', 'browser', ...filters], false);
const { typecheck, unit, seconds } = await background;

process.stdout.write(`\n==== type check (tsc --noEmit, run beside the browser tests): ${typecheck.code === 0 ? 'passed' : 'FAILED'} ====\n${typecheck.output}`);
process.stdout.write(`\n==== unit tests (run beside the browser tests, done after ${seconds.toFixed(0)} s) ====\n${unit.output}`);
const failed = [typecheck.code && 'type check', unit.code && 'unit tests', browser.code && 'browser tests'].filter(Boolean);
process.stdout.write(`\n${failed.length ? `FAILED: ${failed.join(', ')}` : 'all passed: type check, unit tests, browser tests'} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
process.exit(failed.length ? 1 : 0);
