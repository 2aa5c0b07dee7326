// Output files written whole or not at all: each goes to a temporary name in
// the same folder and is renamed when complete; an interrupted run removes its
// temporary files.
import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CliError } from './errors';

const pending = new Set<string>();

export function prepareOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CliError(`cannot create output folder '${dir}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!statSync(dir).isDirectory()) throw new CliError(`output path '${dir}' is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.sgd-lab-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch {
    throw new CliError(`output folder '${dir}' is not writable; choose another --out`);
  }
}

export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(path, '..', `.${basename(path)}.tmp-${process.pid}`);
  pending.add(tmp);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
  pending.delete(tmp);
}

/** Removes temporary files of writes still in progress (on SIGINT / errors). */
export function removePending(): void {
  for (const tmp of pending) rmSync(tmp, { force: true });
  pending.clear();
}
