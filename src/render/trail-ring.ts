// A GPU ring buffer of the last `length` positions of the first `count`
// particles of a panel: slot s holds count vec2f (domain units) at byte
// offset 8 * count * s. Each frame whose simulation advanced, one buffer copy
// in the frame's command encoder writes the particles' present positions
// into the next slot (never read back). The bookkeeping (which slot is the
// newest, how many are filled) stays on the CPU and reaches the shaders as
// uniforms.
export class TrailRing {
  /** newest slot (valid when filled > 0) */
  head = -1;
  /** slots holding positions (<= length) */
  filled = 0;
  /** the simulation's step count at the newest slot */
  private lastStep = -Infinity;

  /**
   * `source`: the panel's vec2f positions; `count` particles recorded,
   * `length` slots, a slot at most every `every` steps (frames that advance
   * fewer steps since the newest slot record nothing)
   */
  constructor(readonly source: GPUBuffer, readonly count: number, readonly length: number, readonly every = 1) {
    if (!(count >= 1 && length >= 2)) throw new Error(`TrailRing: needs at least 1 particle and 2 slots (got ${count}, ${length})`);
  }

  get bytes(): number {
    return 8 * this.count * this.length;
  }

  /**
   * Records the positions after the frame's steps (`stepsDone`: the
   * simulation's step count after them) into the ring `buffer` (bytes long;
   * undefined before it exists): a new slot when the simulation advanced
   * `every` steps or more since the newest; the ring starts over when the
   * count fell (the run was reset). Returns whether a copy was encoded.
   */
  encodeRecord(encoder: GPUCommandEncoder, buffer: GPUBuffer | undefined, stepsDone: number): boolean {
    if (!buffer || (stepsDone >= this.lastStep && stepsDone < this.lastStep + Math.max(1, this.every))) return false;
    if (stepsDone < this.lastStep) this.filled = 0;
    this.lastStep = stepsDone;
    this.head = (this.head + 1) % this.length;
    this.filled = Math.min(this.length, this.filled + 1);
    encoder.copyBufferToBuffer(this.source, 0, buffer, 8 * this.count * this.head, 8 * this.count);
    return true;
  }

  /** Slot of the position `age` records before the newest (age 0 = newest). */
  slot(age: number): number {
    return (((this.head - age) % this.length) + this.length) % this.length;
  }
}
