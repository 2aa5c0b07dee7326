// Runs a network scenario (issue 14) to its `steps` on the GPU, recording the
// clouds' metrics every `record.every` steps: the network side of `npm run lab -- run`.
import type { GpuContext } from '../gpu/device';
import type { NetworkScenario } from '../model/network/scenario';
import { panelNetworkModel, type NetworkModel } from '../model/network/model';
import type { NetworkLayout } from '../model/network/spec';
import { NetworkSimulation } from '../scheduler/network-simulation';
import { maxNetworks } from '../sim/network/network-system';
import type { NetworkPanelRecord } from '../sim/network/network-record';
import { networkRecordRows, type MetricRow } from '../record/metric-rows';
import { RunLoop, type RunProgress } from './run-loop';

export interface NetworkRunResult {
  kind: 'network';
  scenario: unknown;
  adapter: GpuContext['adapterSummary'];
  wallSeconds: number;
  steps: number;
  /** the scenario's network (surface.network.hidden); a panel with its own `hidden` has its own layout below */
  layout: RunLayout;
  dataset: { samples: number; train: number; test: number };
  panels: { index: number; label: string; temperature: number | null; final: NetworkPanelRecord; particles: number; layout: RunLayout }[];
  rows: MetricRow[];
}

export type RunLayout = Pick<NetworkLayout, 'sizes' | 'params' | 'blocks'>;

export class NetworkRunError extends Error {}

const runLayout = ({ sizes, params, blocks }: NetworkLayout): RunLayout => ({ sizes, params, blocks });

export async function runNetworkScenario(
  gpu: GpuContext, scenario: NetworkScenario, network: NetworkModel, progress: (p: RunProgress) => void,
): Promise<{ result: NetworkRunResult; simulation: NetworkSimulation }> {
  const count = scenario.particles.count;
  for (const [i, p] of scenario.panels.entries()) {
    const { layout } = panelNetworkModel(network, p.hidden);
    const limit = maxNetworks(gpu.device, layout);
    if (count > limit) {
      throw new NetworkRunError(`particles.count: ${count} networks of ${layout.params} parameters (panel ${i}) exceed this adapter's limit of ${limit} per panel (${gpu.adapterSummary.vendor} ${gpu.adapterSummary.architecture}); use fewer networks or narrower layers`);
    }
  }
  const t0 = performance.now();
  const simulation = await NetworkSimulation.create(gpu.device, scenario, network);
  try {
    const rows: MetricRow[] = [];
    const loop = new RunLoop(gpu.device, simulation, scenario.steps, scenario.record.every,
      (records) => records.forEach((r, p) => rows.push(...networkRecordRows(r, p))), progress, t0);
    const init = gpu.device.createCommandEncoder({ label: 'headless.init' });
    simulation.encodeInit(init);
    gpu.device.queue.submit([init.finish()]);
    await loop.record();
    await loop.advanceTo(scenario.steps);
    loop.finish();
    const { dataset } = network;
    return {
      simulation,
      result: {
        kind: 'network',
        scenario,
        adapter: gpu.adapterSummary,
        wallSeconds: loop.elapsed,
        steps: simulation.stepsDone,
        layout: runLayout(network.layout),
        dataset: { samples: dataset.labels.length, train: dataset.nTrain, test: dataset.nTest },
        panels: simulation.panels.map((p, i) => ({ index: i, label: p.label, temperature: p.temperature, final: loop.last[i], particles: p.system.count, layout: runLayout(p.model.layout) })),
        rows,
      },
    };
  } catch (e) {
    simulation.destroy();
    throw e;
  }
}
