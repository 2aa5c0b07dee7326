// Network scenario documents as the page takes them (issue 14): told apart
// from 2-D scenarios by `surface.network` (model/network/spec.ts
// isNetworkDocument), validated by parseNetworkScenario, from a preset, a
// file or the URL hash (#s=<URI-encoded JSON>, as scenario-state.ts).
import { isNetworkDocument } from '../model/network/spec';
import { parseNetworkScenario, type NetworkScenario } from '../model/network/scenario';
import type { NetworkModel } from '../model/network/model';
import { withTitle } from './scenario-state';

/** A validated network scenario the page runs; a new object for every load (the view rebuilds for each). */
export interface NetworkRun {
  scenario: NetworkScenario;
  model: NetworkModel;
  /** start playing once built */
  play: boolean;
}

export type NetworkDocResult = { ok: true; scenario: NetworkScenario; model: NetworkModel } | { ok: false; problems: string[] };

export { isNetworkDocument };

/** Validates a network document (a preset's title kept, its description dropped). */
export function checkNetworkDoc(json: unknown): NetworkDocResult {
  const r = parseNetworkScenario(withTitle(json));
  return r.ok ? { ok: true, scenario: r.scenario, model: r.network } : r;
}

export type NetworkHashResult =
  | { kind: 'not-network' }
  | { kind: 'ok'; scenario: NetworkScenario; model: NetworkModel }
  | { kind: 'bad'; problems: string[] };

/** Reads a network scenario from a URL hash; anything that is not a network document is left to scenarioFromHash. */
export function networkFromHash(hash: string): NetworkHashResult {
  const raw = new URLSearchParams(hash.replace(/^#/, '')).get('s');
  if (raw === null) return { kind: 'not-network' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: 'not-network' };
  }
  if (!isNetworkDocument(json)) return { kind: 'not-network' };
  const r = checkNetworkDoc(json);
  return r.ok ? { kind: 'ok', scenario: r.scenario, model: r.model } : { kind: 'bad', problems: r.problems };
}

/** Files larger than this are left to the 2-D import (which refuses them with its message) unread. */
const MAX_NETWORK_FILE_BYTES = 2_000_000;

/** Reads an imported file: null when it is not a network document (the 2-D import takes it), else the result. */
export async function readNetworkFile(file: File): Promise<NetworkDocResult | null> {
  if (file.size > MAX_NETWORK_FILE_BYTES) return null;
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch {
    return null;
  }
  return isNetworkDocument(json) ? checkNetworkDoc(json) : null;
}
