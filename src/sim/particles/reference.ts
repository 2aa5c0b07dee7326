// CPU reference of shaders/particles_init.wgsl and particles_step.wgsl, in
// float64 with the same random streams (Philox, src/rng/philox.ts).
import type { Surface } from '../../model/surface-types';
import { boxMuller, mulhi32, philox4x32, uniformOpen } from '../../rng/philox';
import { stepBits, stepNormals2 } from '../../rng/threefry';
import { INIT_STREAM, type InitConfig, type StepConfig } from './step-config';

const INIT_DRAW = 0xffffffff;

export interface ParticleState {
  position: Float64Array; // x0 y0 x1 y1 ...
  moment1: Float64Array;
  moment2: Float64Array;
  /** 0 alive, else 1 + the step at which the particle diverged */
  status: Uint32Array;
}

export function initialPosition(cfg: InitConfig, seed: number, i: number): [number, number] {
  if (cfg.kind === 0) return [cfg.center[0], cfg.center[1]];
  if (cfg.kind === 1) {
    const b = philox4x32([i, 0, INIT_DRAW, 0], [seed, INIT_STREAM]);
    const [z0, z1] = boxMuller(uniformOpen(b[0]), uniformOpen(b[1]));
    return [cfg.center[0] + cfg.std * z0, cfg.center[1] + cfg.std * z1];
  }
  const b = philox4x32([i, 0, INIT_DRAW, 0], [seed, INIT_STREAM]);
  return [
    cfg.lo[0] + (cfg.hi[0] - cfg.lo[0]) * uniformOpen(b[0]),
    cfg.lo[1] + (cfg.hi[1] - cfg.lo[1]) * uniformOpen(b[1]),
  ];
}

export function initialState(cfg: InitConfig, seed: number, count: number): ParticleState {
  const position = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) position.set(initialPosition(cfg, seed, i), 2 * i);
  return { position, moment1: new Float64Array(2 * count), moment2: new Float64Array(2 * count), status: new Uint32Array(count) };
}

/** The gradient the optimizer sees for particle i at step k (see lib/gradient/*.wgsl). */
export function stochasticGradient(surface: Surface, cfg: StepConfig, seed: number, stream: number, i: number, k: number, x: number, y: number): [number, number] {
  if (cfg.estimator === 'minibatch') {
    const fs = surface.finiteSum!;
    let gx = 0, gy = 0;
    let bits: Uint32Array = new Uint32Array(2);
    for (let b = 0; b < cfg.batch; b++) {
      if (b % 2 === 0) bits = stepBits(seed, stream, i, k, 1 + Math.floor(b / 2));
      const [sx, sy] = fs.sampleGradient(x, y, mulhi32(bits[b % 2], fs.sampleCount));
      gx += sx; gy += sy;
    }
    return [gx / cfg.batch, gy / cfg.batch];
  }
  const [gx, gy] = surface.gradient(x, y);
  if (cfg.estimator === 'exact') return [gx, gy];
  const [z0, z1] = stepNormals2(seed, stream, i, k);
  const [l00, l10, l11] = cfg.chol;
  return [gx + cfg.noiseScale * l00 * z0, gy + cfg.noiseScale * (l10 * z0 + l11 * z1)];
}

const finite = (v: number) => Number.isFinite(v);

/** Advances particle i by `steps` steps from global step `start` (mutates `state`). */
export function stepParticle(state: ParticleState, surface: Surface, cfg: StepConfig, seed: number, stream: number, i: number, start: number, steps: number): void {
  if (state.status[i] !== 0) return;
  let x = state.position[2 * i], y = state.position[2 * i + 1];
  let mx = state.moment1[2 * i], my = state.moment1[2 * i + 1];
  let vx = state.moment2[2 * i], vy = state.moment2[2 * i + 1];
  let flag = 0;
  for (let s = 0; s < steps; s++) {
    const k = start + s;
    const [gx, gy] = stochasticGradient(surface, cfg, seed, stream, i, k, x, y);
    let nx: number, ny: number;
    if (cfg.optimizer === 2) {
      mx = cfg.beta1 * mx + (1 - cfg.beta1) * gx;
      my = cfg.beta1 * my + (1 - cfg.beta1) * gy;
      vx = cfg.beta2 * vx + (1 - cfg.beta2) * gx * gx;
      vy = cfg.beta2 * vy + (1 - cfg.beta2) * gy * gy;
      const c1 = 1 - Math.pow(cfg.beta1, k + 1), c2 = 1 - Math.pow(cfg.beta2, k + 1);
      nx = x - (cfg.lr * (mx / c1)) / (Math.sqrt(vx / c2) + cfg.eps);
      ny = y - (cfg.lr * (my / c1)) / (Math.sqrt(vy / c2) + cfg.eps);
    } else {
      mx = cfg.momentum * mx + gx;
      my = cfg.momentum * my + gy;
      const dx = cfg.optimizer === 1 ? gx + cfg.momentum * mx : mx;
      const dy = cfg.optimizer === 1 ? gy + cfg.momentum * my : my;
      nx = x - cfg.lr * dx;
      ny = y - cfg.lr * dy;
    }
    if (!finite(nx) || !finite(ny) || nx < cfg.boundLo[0] || ny < cfg.boundLo[1] || nx > cfg.boundHi[0] || ny > cfg.boundHi[1]) {
      flag = k + 1;
      break;
    }
    x = nx; y = ny;
  }
  if (flag === 0 && !finite(surface.value(x, y))) flag = start + steps;
  state.position[2 * i] = x; state.position[2 * i + 1] = y;
  state.moment1[2 * i] = mx; state.moment1[2 * i + 1] = my;
  if (cfg.optimizer === 2) { state.moment2[2 * i] = vx; state.moment2[2 * i + 1] = vy; }
  state.status[i] = flag;
}
