// The numpy peers, run in the same benchmark process: the shared ones in
// ../shared/peers (Langevin, Fokker–Planck, MLP training) and the lab's own in
// bench/peers (sharpness, the Bézier path: issue 15).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PEERS_DIR = resolve(import.meta.dirname, '../../shared/peers');
export const OWN_PEERS_DIR = resolve(import.meta.dirname, 'peers');

/** Runs a peer script with arguments; returns its JSON line, or null (with a reason) when python/numpy/the peer is missing. */
export function runPeer(script: string, args: string[], env: Record<string, string> = {}): { result: Record<string, number> | null; reason?: string } {
  const path = [join(OWN_PEERS_DIR, script), join(PEERS_DIR, script)].find((p) => existsSync(p));
  if (!path) return { result: null, reason: `peer ${script} not found in ${OWN_PEERS_DIR} or ${PEERS_DIR}` };
  try {
    const out = execFileSync('python3', [path, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, env: { ...process.env, ...env } });
    return { result: JSON.parse(out.trim().split('\n').pop()!) };
  } catch (e) {
    return { result: null, reason: `peer ${script} failed: ${(e as Error).message.split('\n')[0]}` };
  }
}
