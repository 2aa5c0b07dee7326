// A slice of one panel's particle cloud stepped on the CPU, for browsers
// without WebGPU: the float64 reference (reference.ts) with the GPU's random
// streams (Philox for the start, Threefry per step, keyed by the global
// particle index, the panel's stream and the step), so particle i here is
// particle i of the GPU cloud up to float32 rounding. A worker holds one
// slice [from, to) of every panel (src/scheduler/cpu-worker.ts).
import type { Surface } from '../../model/surface-types';
import { initialPosition, stepParticle, type ParticleState } from './reference';
import type { InitConfig, StepConfig } from './step-config';

/** What a slice reports after it stepped: its particles' positions, momenta and status, in slice order. */
export interface CloudSlice {
  /** x, y per particle (domain units) */
  position: Float64Array;
  /** the optimizer's first moment per particle (x, y), for the angular momentum */
  moment1: Float64Array;
  /** 0 alive, else 1 + the step at which the particle diverged */
  status: Uint32Array;
}

export class CpuCloud {
  /** full-size arrays (indexed by the global particle index), of which only [from, to) is used */
  private state: ParticleState;

  constructor(
    private readonly surface: Surface,
    private readonly step: StepConfig,
    private readonly init: InitConfig,
    /** scenario seed and the panel's stream (its index), as the GPU cloud's */
    private readonly seed: number,
    private readonly stream: number,
    readonly count: number,
    readonly from: number,
    readonly to: number,
  ) {
    if (!(from >= 0 && to <= count && from <= to)) throw new Error(`CpuCloud: slice [${from}, ${to}) is not inside 0..${count}`);
    this.state = this.initial();
  }

  /** Back to the initial cloud. */
  reset(): void {
    this.state = this.initial();
  }

  /** Advances every particle of the slice by `steps` optimizer steps, from global step `start`. */
  advance(start: number, steps: number): void {
    for (let i = this.from; i < this.to; i++) stepParticle(this.state, this.surface, this.step, this.seed, this.stream, i, start, steps);
  }

  /** Copies of the slice's arrays (transferable). */
  snapshot(): CloudSlice {
    const { from, to } = this;
    return {
      position: this.state.position.slice(2 * from, 2 * to),
      moment1: this.state.moment1.slice(2 * from, 2 * to),
      status: this.state.status.slice(from, to),
    };
  }

  private initial(): ParticleState {
    const n = this.count;
    const position = new Float64Array(2 * n);
    for (let i = this.from; i < this.to; i++) position.set(initialPosition(this.init, this.seed, i), 2 * i);
    return { position, moment1: new Float64Array(2 * n), moment2: new Float64Array(2 * n), status: new Uint32Array(n) };
  }
}

/** Splits `count` particles into `parts` contiguous slices as even as possible: [from, to) each. */
export function sliceRanges(count: number, parts: number): [number, number][] {
  const k = Math.max(1, Math.min(Math.floor(parts), count || 1));
  return Array.from({ length: k }, (_, j) => [Math.floor((j * count) / k), Math.floor(((j + 1) * count) / k)] as [number, number]);
}
