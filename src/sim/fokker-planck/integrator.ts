// What the Fokker–Planck time integrators (euler-stage.ts, adi-stage.ts)
// share with the grid that drives them.
import type { Destroyable } from '../../gpu/stage';

/** The grid's state and coefficient buffers an integrator or the metrics stage reads and writes. */
export interface GridBuffers {
  /** float32 n*n probabilities per cell (the grid's public density) */
  readonly density: GPUBuffer;
  /** float32 n*n, the ping-pong twin of density */
  readonly scratch: GPUBuffer;
  /** Bindings 1..5 of the flux kernels (lib/fokker_planck_flux.wgsl): input, output, axis, diag, cross coefficients. */
  fluxBindings(input: GPUBuffer, output: GPUBuffer): GPUBindGroupEntry[];
}

/** Which parts the scheme's coefficients have (the flux kernels' override constants). */
export interface SchemeFlags {
  hasDiag: boolean;
  hasCross: boolean;
  limited: boolean;
}

/** One time integrator of the grid on the GPU. */
export interface GridIntegrator extends Destroyable {
  /** Compiles the kernels and makes the bind groups (after the constructor made the buffers). */
  compile(): Promise<void>;
  /** Encodes `steps` steps of PDE time `dt` each, from `density` back into `density`. */
  encode(encoder: GPUCommandEncoder, steps: number, dt: number): void;
  /** The density was replaced from the CPU: forget state carried between steps. */
  resetState(): void;
  /** buffers a kernel writes before reading them (tests fill them with a sentinel) */
  readonly scratchBuffers: GPUBuffer[];
}
