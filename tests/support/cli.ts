// Running `npm run lab -- ...` as a child process, as a person would.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[]): { child: ChildProcess; done: Promise<CliResult>; stderr: () => string } {
  const child = spawn(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '', stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<CliResult>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

export function runCli(args: string[]): Promise<CliResult> {
  return startCli(args).done;
}
