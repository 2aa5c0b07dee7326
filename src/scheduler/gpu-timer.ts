// GPU times of spans of one command encoder, from timestamp queries: empty
// compute passes write timestamps at marks (start, after the steps, after the
// metrics), and the u64 ticks (ns) are resolved into a small buffer that the
// metrics ring copies with the records, so timing costs no readback of its own.

export class GpuTimer {
  /** `marks` u64 timestamps (ns); copy source for the metrics ring */
  readonly resolved: GPUBuffer;
  readonly bytes: number;
  private readonly querySet: GPUQuerySet;
  private next = 0;

  private constructor(readonly device: GPUDevice, readonly marks: number) {
    this.querySet = device.createQuerySet({ label: 'GpuTimer.querySet', type: 'timestamp', count: marks });
    this.bytes = Math.ceil((8 * marks) / 16) * 16;
    this.resolved = device.createBuffer({ label: 'GpuTimer.resolved', size: this.bytes, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  }

  /** A timer with `marks` timestamps per frame, or null where the device lacks 'timestamp-query'. */
  static create(device: GPUDevice, marks = 3): GpuTimer | null {
    return device.features.has('timestamp-query') ? new GpuTimer(device, marks) : null;
  }

  /** Writes the next timestamp (call `marks` times per encoder, then `resolve`). */
  mark(encoder: GPUCommandEncoder): void {
    const i = this.next++;
    if (i >= this.marks) throw new Error(`GpuTimer: more than ${this.marks} marks in one encoder`);
    encoder.beginComputePass({ label: `GpuTimer.mark${i}`, timestampWrites: { querySet: this.querySet, beginningOfPassWriteIndex: i } }).end();
  }

  resolve(encoder: GPUCommandEncoder): void {
    encoder.resolveQuerySet(this.querySet, 0, this.marks, this.resolved, 0);
    this.next = 0;
  }

  /** Milliseconds between consecutive marks in resolved bytes; null entries where implausible. */
  static spansMs(bytes: ArrayBuffer, marks: number): (number | null)[] {
    const t = new BigUint64Array(bytes, 0, marks);
    const out: (number | null)[] = [];
    for (let i = 1; i < marks; i++) out.push(t[i - 1] === 0n || t[i] < t[i - 1] ? null : Number(t[i] - t[i - 1]) / 1e6);
    return out;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolved.destroy();
  }
}
