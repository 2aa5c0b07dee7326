// The particle cloud and the Fokker–Planck density it obeys, side by side in one Simulation.
import { describe, expect, it } from 'vitest';
import { useLabPage } from './support/page';
import { klSamplingLaw } from '../support/multinomial';
import type { PanelRecord } from '../../src/scheduler/simulation';

const lab = useLabPage();

type Out = { records: PanelRecord[][]; densities: (Float32Array | null)[][]; grid: number };

describe('particles vs PDE', () => {
  it('2^20 Langevin particles on the double well stay within sampling distance of the PDE density along the whole run', async () => {
    const lr = 0.01, T = 0.3;
    const json = {
      seed: 3, surface: { name: 'double-well', params: {} }, steps: 300,
      particles: { count: 1 << 20, init: { kind: 'gaussian', mean: [-1, 0], std: 0.3 } },
      fokkerPlanck: { grid: 64, integrator: 'euler' },
      panels: [{ optimizer: { kind: 'sgd', lr }, noise: { kind: 'langevin', temperature: T } }],
      record: { every: 100 },
    };
    const out = await lab.call<Out>('simulation', 'runRecords', json);
    out.records.forEach((recs, k) => {
      const pde = recs[0].pde!;
      const p = out.densities[k][0]!;
      // If the particles were exact draws from the PDE density, KL(hist || p) would follow
      // klSamplingLaw (Monte Carlo with n = the particles in the domain: ~ (K - 1) / (2n) plus the
      // small-count excess of the tails). The SGD step adds a bias: Euler–Maruyama inflates the
      // stationary variance by 1 / (1 - lr k / 2) across a well of curvature k = 8, a KL of about
      // (lr k / 2)^2 / 4 = 4e-4 per direction; we allow 1e-3.
      const law = klSamplingLaw(p, pde.histogramCount, 8, 7 + k);
      const bound = law.mean + 5 * law.sd + 1e-3;
      console.log(`[particles-vs-pde] step ${recs[0].step}: KL(hist || PDE) ${pde.klHistogram.toExponential(3)}, sampling law ${law.mean.toExponential(3)} +- ${law.sd.toExponential(1)}, bound ${bound.toExponential(3)}; mass ${pde.mass.toFixed(7)}, KL(PDE || Gibbs) ${pde.klStationary.toExponential(3)}`);
      expect(Math.abs(pde.mass - 1)).toBeLessThan(1e-5);
      expect(pde.klHistogram).toBeLessThan(bound);
    });
    // the run is long enough to matter: the density moved far from where it started, towards Gibbs
    const first = out.records[0][0].pde!, last = out.records.at(-1)![0].pde!;
    expect(last.klStationary).toBeLessThan(0.5 * first.klStationary);
  });
});
