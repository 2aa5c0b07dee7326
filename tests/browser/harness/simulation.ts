// Page side of whole-scenario tests: run a Simulation and collect every record.
import { requireScenario } from '../../../src/model/scenario';
import { Simulation, type PanelRecord } from '../../../src/scheduler/simulation';
import { gpuTest } from './gpu';

/** `stationary`: relax non-isotropic panels' ρ_ss first (as the runner does) and return each as probabilities per cell */
export function runRecords(scenarioJson: unknown, opts: { stationary?: boolean } = {}) {
  return gpuTest('runRecords', async (device, track) => {
    const { scenario, surface } = requireScenario(scenarioJson);
    const sim = track(await Simulation.create(device, scenario, surface));
    if (opts.stationary) await sim.relaxStationary();
    const records: PanelRecord[][] = [];
    // every panel's PDE density at every record (small grids only: a test readback)
    const densities: (Float32Array | null)[][] = [];
    const snapshot = async () => densities.push(await Promise.all(sim.panels.map((p) => sim.readDensity(p))));
    const submit = (f: (e: GPUCommandEncoder) => void) => { const e = device.createCommandEncoder(); f(e); device.queue.submit([e.finish()]); };
    submit((e) => { sim.encodeInit(e); sim.encodeMetrics(e); });
    records.push(await sim.readRecords());
    await snapshot();
    while (sim.stepsDone < scenario.steps) {
      submit((e) => { sim.encodeSteps(e, scenario.record.every); sim.encodeMetrics(e); });
      records.push(await sim.readRecords());
      await snapshot();
    }
    // read after the run: the first encode after relaxing makes ρ_ss the KL reference
    const stationary = sim.panels.map((p) => {
      const s = p.pde?.stationary;
      if (s?.status === 'failed') throw new Error(`panel ${p.index}: stationary density failed: ${s.error}`);
      return s?.status === 'ready' ? { p: Float32Array.from(s.logStationary, Math.exp), converged: s.converged, time: s.time, klSsGibbs: s.klSsGibbs } : null;
    });
    return { records, densities, grid: sim.histogramGrid, stationary };
  });
}
