// Runs a network scenario (issue 14) to its `steps` on the GPU, recording the
// clouds' metrics every `record.every` steps: the network side of `npm run lab -- run`.
// When the scenario asks for it (`sharpness`), every network's sharpness (issue 15:
// lambda_max and the Hessian trace) is estimated at the last step and every
// `sharpness.every`-th record (NetworkSimulation): the records carry its quantiles
// (the final one lands in summary.json), the result the last estimate per network.
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
  panels: { index: number; label: string; temperature: number | null; final: NetworkPanelRecord; particles: number; layout: RunLayout; sharpness: RunSharpness }[];
  rows: MetricRow[];
}

export type RunLayout = Pick<NetworkLayout, 'sizes' | 'params' | 'blocks'>;

/**
 * Per network at the end of the run (loss units per weight^2; null for a diverged network,
 * or every network when the scenario has no `sharpness`):
 * lambda_max of the Hessian of its full training loss, Hutchinson's trace and its standard error.
 */
export interface RunSharpness {
  lambdaMax: (number | null)[];
  trace: (number | null)[];
  traceSE: (number | null)[];
}

/** RunSharpness from NetworkSharpness.perParticle (count x 4 float32). */
function runSharpness(values: Float32Array | null, count: number): RunSharpness {
  const column = (c: number) => Array.from({ length: count }, (_, i) => {
    const v = values ? values[4 * i + c] : NaN;
    return Number.isFinite(v) ? v : null;
  });
  return { lambdaMax: column(0), trace: column(1), traceSE: column(2) };
}

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
    const sharpness = await Promise.all(simulation.panels.map(async (p) => runSharpness(await simulation.readSharpness(p), p.system.count)));
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
        panels: simulation.panels.map((p, i) => ({ index: i, label: p.label, temperature: p.temperature, final: loop.last[i], particles: p.system.count, layout: runLayout(p.model.layout), sharpness: sharpness[i] })),
        rows,
      },
    };
  } catch (e) {
    simulation.destroy();
    throw e;
  }
}
