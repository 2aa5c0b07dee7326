// The numpy peers in ../shared/peers, run in the same benchmark process.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PEERS_DIR = resolve(import.meta.dirname, '../../shared/peers');

/** Runs a peer script with arguments; returns its JSON line, or null (with a reason) when python/numpy/the peer is missing. */
export function runPeer(script: string, args: string[]): { result: Record<string, number> | null; reason?: string } {
  const path = join(PEERS_DIR, script);
  if (!existsSync(path)) return { result: null, reason: `peer ${path} not found` };
  try {
    const out = execFileSync('python3', [path, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    return { result: JSON.parse(out.trim().split('\n').pop()!) };
  } catch (e) {
    return { result: null, reason: `peer ${script} failed: ${(e as Error).message.split('\n')[0]}` };
  }
}
