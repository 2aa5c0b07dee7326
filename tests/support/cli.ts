// Running `npm run lab -- ...` as a child process, as a person would. By
// default the child starts its own Vite server and Chromium, as a person's
// does; `shared` hands it a running dev server and browser to borrow
// (see src/cli/lab-session.ts), which saves ~10-30 s of start-up per run here.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { SHARED_LAB_VARS, sharedLabEnv, type SharedLab } from '../../src/cli/lab-session';

export const ROOT = resolve(import.meta.dirname, '../..');
/** `npm run lab` is `node --import tsx src/cli/main.ts` (package.json): one Node process, no tsx wrapper in between */
const LAB = [process.execPath, '--import', 'tsx', 'src/cli/main.ts'] as const;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** a running lab for `run` to borrow; without it the child starts its own, exactly as a user's does */
  shared?: SharedLab;
}

/** The child's environment: ours without colour, naming a shared lab only when asked to. */
function childEnv(shared: SharedLab | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  for (const k of SHARED_LAB_VARS) delete env[k];
  return shared ? { ...env, ...sharedLabEnv(shared) } : env;
}

export function startCli(args: string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliResult>; stderr: () => string } {
  const child = spawn(LAB[0], [...LAB.slice(1), ...args], { cwd: ROOT, env: childEnv(options.shared) });
  let stdout = '', stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<CliResult>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}
