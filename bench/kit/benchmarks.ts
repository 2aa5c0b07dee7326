// What the GPU benchmark kit measures (issue 17), each figure against a
// same-run ceiling on the same adapter (bench/pages/ceilings.ts):
//  - particle-steps/s of the step kernel (Langevin on the double well; minibatch
//    B 32 on deep-linear) against the normals-only kernel (the random-number
//    ceiling), and the step's bytes/s (40 B per particle per dispatch of K steps:
//    position, momentum, status read and written) against a copy of those bytes;
//  - Fokker–Planck Euler substep cell-updates/s as bytes/s (32 B per cell)
//    against a copy of the same bytes with the kernel's strip shape;
//  - network training FLOP/s (6·B·weights per particle-step, as bench/network.ts
//    counts) against a tiled matrix multiply;
//  - seconds of one sharpness estimate (issue 15: P = 20 power iterations + M = 16
//    Hutchinson probes on exact Hessian-vector products) of width-32 networks on
//    1,024 samples, and its FLOP/s (2 x 8 multiply-adds per weight and sample per
//    product, src/sim/network/sharpness.ts) against the same matrix multiply.
// DOM-free: the kit runs it in Node under Dawn; tests run its quick form there on SwiftShader.
import type { BenchRow } from '../rows';
import { benchParticles } from '../pages/particles';
import { benchFokkerPlanckPage } from '../pages/fokker-planck';
import { benchNetwork, benchSharpness } from '../pages/network';
import { HVP_WORK_PER_WEIGHT } from '../../src/sim/network/sharpness';
import { copyCeiling, matmulCeiling, normalsCeiling } from '../pages/ceilings';
import { GpuContext } from '../../src/gpu/device';

export interface KitSizes {
  particles: number[];
  grids: number[];
  /** networks per panel at width 32 x 2 */
  networks: number;
  /** networks and training samples of the sharpness estimate */
  sharpness: { networks: number; samples: number };
  matmul: number;
  /** seconds of timed work per figure */
  seconds: number;
}

export const FULL: KitSizes = { particles: [1 << 20, 1 << 22, 1 << 24], grids: [1024, 2048, 4096], networks: 4096, sharpness: { networks: 1024, samples: 1024 }, matmul: 2048, seconds: 2 };
/** CI-sized: exercises every code path in seconds on a CPU driver */
export const QUICK: KitSizes = { particles: [1 << 12], grids: [64], networks: 32, sharpness: { networks: 8, samples: 64 }, matmul: 64, seconds: 0.2 };

/** Fused steps per dispatch of the particle step kernel (the live page's large batches). */
const K = 100;
/** bytes one particle's state moves per dispatch: position, momentum (vec2f each) and status, read and written */
const PARTICLE_BYTES = 2 * (8 + 8 + 4);

const LANGEVIN = { optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'langevin', temperature: 0.1 } };
const MINIBATCH = { optimizer: { kind: 'sgd', lr: 0.01 }, noise: { kind: 'minibatch', batchSize: 32 } };

function row(name: string, value: number, unit: string, baseline: string | null, baselineValue: number | null, adapter: string): BenchRow {
  return { name, value, unit, baseline, baselineValue, ratio: baselineValue ? value / baselineValue : null, adapter };
}

export async function runKitBenchmarks(sizes: KitSizes, log: (s: string) => void, only?: string): Promise<BenchRow[]> {
  const gpu = await GpuContext.create();
  const { device } = gpu;
  const adapter = `${gpu.adapterSummary.vendor} ${gpu.adapterSummary.architecture}`;
  const rows: BenchRow[] = [];
  const want = (k: string) => !only || only === k;
  if (want('particles')) {
    for (const count of sizes.particles) {
      const p2 = `2^${Math.log2(count)}`;
      log(`particles ${p2}: normals-only ceiling, copy ceiling, Langevin, minibatch ...`);
      const normals = await normalsCeiling(device, count, K, sizes.seconds);
      const copy = await copyCeiling(device, PARTICLE_BYTES / 2 * count, 1, sizes.seconds);
      for (const [kind, panel, surface] of [['Langevin, double-well', LANGEVIN, { name: 'double-well' }], ['minibatch B 32, deep-linear', MINIBATCH, { name: 'deep-linear' }]] as const) {
        const json = { seed: 1, surface, steps: 100, particles: { count, init: { kind: 'uniform' } }, panels: [panel] };
        const r = await benchParticles(json, K, sizes.seconds);
        rows.push(row(`kit: particle-steps/s, ${kind}, ${p2} particles, ${K} steps per dispatch`, r.particleStepsPerSecond, 'particle-steps/s', 'normals-only kernel (same run)', normals, adapter));
        rows.push(row(`kit: particle step bytes/s, ${kind}, ${p2} (${PARTICLE_BYTES} B per particle per dispatch)`, (r.particleStepsPerSecond / K) * PARTICLE_BYTES, 'B/s', 'copy kernel of the particle bytes (same run)', copy, adapter));
      }
    }
  }
  if (want('fokker-planck')) {
    for (const grid of sizes.grids) {
      log(`fokker-planck ${grid}^2: Euler substep and its copy ...`);
      const r = await benchFokkerPlanckPage(grid, { minSeconds: sizes.seconds, batch: grid >= 2048 ? 20 : 100 });
      rows.push(row(`kit: Fokker–Planck cell-updates/s, Euler substep, ${grid}^2`, r.cellUpdatesPerSecond, 'cell-updates/s', null, null, adapter));
      rows.push(row(`kit: Fokker–Planck substep bytes/s, ${grid}^2 (32 B per cell)`, r.bytesPerSecond, 'B/s', 'copy of the same bytes, same strips (same run)', r.copyBytesPerSecond, adapter));
    }
  }
  if (want('network')) {
    log(`network: width 32 x 2, ${sizes.networks} networks; matmul ${sizes.matmul}^2 ...`);
    const width = 32, batch = 32;
    const json = {
      seed: 1, steps: 100,
      surface: { network: { dataset: { kind: 'two-moons', samples: 1024, noise: 0.1, testFraction: 0 }, hidden: [width, width], activation: 'tanh' } },
      particles: { count: sizes.networks, init: { kind: 'fan-in' } },
      panels: [{ optimizer: { kind: 'sgd', lr: 0.1 }, noise: { kind: 'minibatch', batchSize: batch } }],
    };
    const r = await benchNetwork(json, 10, sizes.seconds, null);
    const matmul = await matmulCeiling(device, sizes.matmul, sizes.seconds);
    rows.push(row(`kit: network training FLOP/s, width 32 x 2, B ${batch}, ${sizes.networks} nets (6 B weights per step)`, r.particleStepsPerSecond * 6 * batch * r.weights, 'FLOP/s', `tiled ${sizes.matmul}^2 matmul (same run)`, matmul, adapter));
    const { networks, samples } = sizes.sharpness;
    log(`sharpness: ${networks} networks of width 32 x 2 on ${samples} samples ...`);
    const settings = { iterations: 20, probes: 16 };
    const sj = { ...json, particles: { count: networks, init: { kind: 'fan-in' } }, surface: { network: { ...json.surface.network, dataset: { ...json.surface.network.dataset, samples } } } };
    const sh = await benchSharpness(sj, settings);
    // products that ran: P + M per network, P more for each network that needed the shifted phase
    const products = networks * sh.products + sh.shifted * settings.iterations;
    const flops = 2 * HVP_WORK_PER_WEIGHT * sh.weights * sh.nTrain * products;
    rows.push(row(`kit: sharpness estimate, ${networks} nets width 32 x 2, ${sh.nTrain} samples, P 20 + M 16`, sh.seconds, 's', null, null, adapter));
    rows.push(row(`kit: sharpness FLOP/s, ${networks} nets (2 x ${HVP_WORK_PER_WEIGHT} per weight and sample per product)`, flops / sh.seconds, 'FLOP/s', `tiled ${sizes.matmul}^2 matmul (same run)`, matmul, adapter));
  }
  gpu.destroy();
  return rows;
}
