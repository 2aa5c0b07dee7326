// Either kind of lab scenario, told apart by its surface field: a 2-D surface
// (scenario.ts) or a cloud of networks (`surface: { network: ... }`,
// network/scenario.ts).
import type { Surface } from './surface-types';
import { parseScenario, type Scenario } from './scenario';
import type { NetworkModel } from './network/model';
import { parseNetworkScenario, type NetworkScenario } from './network/scenario';
import { isNetworkDocument } from './network/spec';

export { isNetworkDocument };

export type LabScenarioResult =
  | { ok: true; kind: 'surface'; scenario: Scenario; surface: Surface }
  | { ok: true; kind: 'network'; scenario: NetworkScenario; network: NetworkModel }
  | { ok: false; problems: string[] };

/** Validates either kind of scenario; never throws on bad input. */
export function parseLabScenario(input: unknown): LabScenarioResult {
  if (isNetworkDocument(input)) {
    const r = parseNetworkScenario(input);
    return r.ok ? { ok: true, kind: 'network', scenario: r.scenario, network: r.network } : r;
  }
  const r = parseScenario(input);
  return r.ok ? { ok: true, kind: 'surface', scenario: r.scenario, surface: r.surface } : r;
}
