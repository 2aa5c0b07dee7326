// Page side of whole-scenario tests: run a Simulation and collect every record.
import { requireScenario } from '../../../src/model/scenario';
import { Simulation, type PanelRecord } from '../../../src/scheduler/simulation';
import { gpuTest } from './gpu';

export function runRecords(scenarioJson: unknown) {
  return gpuTest('runRecords', async (device, track) => {
    const { scenario, surface } = requireScenario(scenarioJson);
    const sim = track(await Simulation.create(device, scenario, surface));
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
    return { records, densities, grid: sim.histogramGrid };
  });
}
