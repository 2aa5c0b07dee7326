// Errors a person can act on: each names what went wrong and what to do.

/** Why the lab cannot get or keep a GPU; `reason` selects the help text shown. */
export type GpuFailureReason = 'no-webgpu' | 'no-adapter' | 'limit' | 'device-failed' | 'lost';

export class GpuUnavailableError extends Error {
  override name = 'GpuUnavailableError';
  constructor(readonly reason: GpuFailureReason, message: string) {
    super(message);
  }
}

/** A WGSL compilation or pipeline error, with messages mapped back to file:line. */
export class ShaderError extends Error {
  override name = 'ShaderError';
  constructor(readonly shader: string, readonly diagnostics: string[]) {
    super(`shader '${shader}' failed to compile:\n${diagnostics.join('\n')}`);
  }
}

/** A GPU validation or out-of-memory error captured by an error scope or the device. */
export class GpuValidationError extends Error {
  override name = 'GpuValidationError';
}
