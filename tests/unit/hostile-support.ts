// What "float32-safe" means for an accepted scenario, checked on the CPU:
// its start points, one optimizer step of every panel in float32 arithmetic
// (Math.fround after each operation, as the step kernel computes it) and the
// Fokker–Planck coefficients of every panel with a PDE.
import type { Scenario } from '../../src/model/scenario';
import type { Surface } from '../../src/model/surface-types';
import { stepConfig } from '../../src/sim/particles/step-config';
import { initialPosition } from '../../src/sim/particles/reference';
import { panelDiffusion } from '../../src/scheduler/panel-pde';
import { prepare } from '../../src/sim/fokker-planck/reference';

const f = Math.fround;
const finite32 = (v: number) => Number.isFinite(f(v));

/** The first reason the scenario is not float32-safe, or null. */
export function float32Hazard(scenario: Scenario, surface: Surface, particles = 8): string | null {
  const d = scenario.domain;
  const init = scenario.particles.init;
  const initCfg = init.kind === 'point' ? { kind: 0 as const, center: init.at, std: 0, lo: [0, 0], hi: [0, 0] }
    : init.kind === 'gaussian' ? { kind: 1 as const, center: init.mean, std: init.std, lo: [0, 0], hi: [0, 0] }
    : { kind: 2 as const, center: [0, 0], std: 0, lo: [d.x[0], d.y[0]], hi: [d.x[1], d.y[1]] };
  for (const [pi, panel] of scenario.panels.entries()) {
    const cfg = stepConfig(panel, d);
    for (const [k, v] of Object.entries(cfg)) {
      if (typeof v === 'number' && !finite32(v)) return `panel ${pi}: step constant ${k} = ${v} is not finite in float32`;
    }
    if (!(f(cfg.lr) > 0)) return `panel ${pi}: lr rounds to ${f(cfg.lr)} in float32`;
    if (cfg.optimizer === 2 && !(f(cfg.eps) > 0)) return `panel ${pi}: eps rounds to 0 in float32`;
    for (let i = 0; i < particles; i++) {
      const [x0, y0] = initialPosition(initCfg as never, scenario.seed, i).map(f);
      if (!finite32(x0) || !finite32(y0)) return `particle ${i} starts at a non-finite position`;
      const [gx0, gy0] = surface.gradient(x0, y0).map(f);
      if (!finite32(gx0) || !finite32(gy0)) continue; // a start on a rare bad point: counted as diverged, not a crash
      // the worst normal draw of a few thousand: z = ±4
      const z = 4;
      const gx = f(gx0 + f(cfg.noiseScale * f(cfg.chol[0] * z)));
      const gy = f(gy0 + f(cfg.noiseScale * f(f(cfg.chol[1] * z) + f(cfg.chol[2] * z))));
      let nx: number, ny: number;
      if (cfg.optimizer === 2) {
        const mx = f((1 - f(cfg.beta1)) * gx), vx = f(f(1 - f(cfg.beta2)) * f(gx * gx));
        const my = f((1 - f(cfg.beta1)) * gy), vy = f(f(1 - f(cfg.beta2)) * f(gy * gy));
        const c1 = f(1 - f(cfg.beta1)), c2 = f(1 - f(cfg.beta2));
        nx = f(x0 - f(f(cfg.lr * f(mx / c1)) / f(f(Math.sqrt(f(vx / c2))) + f(cfg.eps))));
        ny = f(y0 - f(f(cfg.lr * f(my / c1)) / f(f(Math.sqrt(f(vy / c2))) + f(cfg.eps))));
      } else {
        nx = f(x0 - f(f(cfg.lr) * gx));
        ny = f(y0 - f(f(cfg.lr) * gy));
      }
      if (!Number.isFinite(nx) || !Number.isFinite(ny)) return `panel ${pi}, particle ${i}: one float32 step from (${x0}, ${y0}) gives (${nx}, ${ny})`;
    }
    if (scenario.fokkerPlanck) {
      const pd = panelDiffusion(panel);
      if ('diffusion' in pd) {
        try {
          prepare(scenario.fokkerPlanck.grid, d, surface, pd.diffusion);
        } catch (e) {
          return `panel ${pi}: Fokker–Planck coefficients: ${(e as Error).message}`;
        }
      }
    }
  }
  return null;
}
