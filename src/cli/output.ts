// Output files written whole or not at all: each goes to a temporary name in
// the same folder and is renamed when complete; an interrupted run removes its
// temporary files and the folders it created.
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { quoteArg } from './args';
import { CliError } from './errors';

const pending = new Set<string>();
/** folders this run created, outermost first: removed again (when empty) if the run fails */
const created: string[] = [];

/**
 * Creates `dir` and its missing parents one by one. Not mkdirSync's recursive
 * mode: under /proc it retries forever at 100% CPU (/proc/self/x).
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    mkdirSync(d);
    created.push(d);
  }
}

/** Creates the folder (and missing parents, remembered for removeCreatedFolders) and checks that it is a writable folder. */
export function prepareOutDir(dir: string): void {
  try {
    makeFolders(dir);
  } catch (e) {
    throw new CliError(`cannot create output folder ${quoteArg(dir)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!statSync(dir).isDirectory()) throw new CliError(`output path ${quoteArg(dir)} is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.sgd-lab-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch {
    throw new CliError(`output folder ${quoteArg(dir)} is not writable; choose another --out`);
  }
}

export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(path, '..', `.${basename(path)}.tmp-${process.pid}`);
  pending.add(tmp);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
  pending.delete(tmp);
}

/**
 * After a failure or SIGINT: removes temporary files of writes still in
 * progress, then the folders this run created, innermost first, where they
 * are empty (a folder someone else filled meanwhile stays).
 */
export function removePending(): void {
  for (const tmp of pending) rmSync(tmp, { force: true }); // an open descriptor's file is unlinked all the same
  pending.clear();
  for (const d of created.splice(0).reverse()) {
    try {
      rmdirSync(d);
    } catch {
      // not empty, or already gone: leave it
    }
  }
}

/** The run's files are in place: the folders it created are its output now, not debris. */
export function keepCreatedFolders(): void {
  created.length = 0;
}

/** Names the headless runner writes into --out (DESIGN.md, the runner's files). */
export const RUNNER_FILE = /^(summary\.json|metrics\.csv|dataset\.csv|(particles|density|weights)-\d+\.f32|(status|escape)-\d+\.u32|particle-metrics-\d+\.csv|path\.json|path-(points|control)\.f32)$/;

/** The runner's files already in `dir` (an earlier run's), sorted. */
export function runnerFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => RUNNER_FILE.test(f)).sort();
}

/** A file written piecewise (at positions, e.g. a streamed video), renamed into place by commit(). */
export class AtomicFile {
  private readonly tmp: string;
  private fd: number;

  constructor(readonly path: string) {
    this.tmp = join(path, '..', `.${basename(path)}.tmp-${process.pid}`);
    pending.add(this.tmp);
    this.fd = openSync(this.tmp, 'w');
  }

  writeAt(position: number, data: Uint8Array): void {
    writeSync(this.fd, data, 0, data.length, position);
  }

  commit(): void {
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
    pending.delete(this.tmp);
  }
}
