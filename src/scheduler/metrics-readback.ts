// The only GPU-to-CPU traffic of the live loop: each frame the panels'
// metrics records (a few hundred bytes each) and the frame's GPU timestamps
// are copied into one slot of a small ring of mappable buffers; the slot is
// mapped asynchronously and parsed when the GPU is done with it. A frame
// never waits: when every slot is still in flight, that frame's metrics are
// simply not read.

/** One source buffer copied into every sample (its first `bytes` bytes). */
export interface ReadbackSection {
  source: GPUBuffer;
  bytes: number;
}

export interface ReadbackSample<M> {
  /** what the caller attached when the copy was encoded (e.g. the step count) */
  meta: M;
  /** the sections' bytes, in the order given to the constructor */
  sections: ArrayBuffer[];
}

type SlotState = 'free' | 'encoded' | 'mapping';

interface Slot<M> {
  buffer: GPUBuffer;
  state: SlotState;
  meta: M | null;
}

export const READBACK_SLOTS = 3;

export class MetricsReadback<M> {
  private readonly slots: Slot<M>[] = [];
  private readonly offsets: number[] = [];
  private readonly size: number;
  private destroyed = false;
  /** samples parsed so far */
  delivered = 0;
  /** frames whose metrics were skipped because every slot was in flight */
  skipped = 0;

  constructor(
    readonly device: GPUDevice,
    readonly sections: ReadbackSection[],
    private readonly onSample: (sample: ReadbackSample<M>) => void,
    slots = READBACK_SLOTS,
    /** buffer labels are `${label}.slot[i]` */
    label = 'MetricsReadback',
  ) {
    let offset = 0;
    for (const s of sections) {
      if (s.bytes % 4 !== 0) throw new Error(`MetricsReadback: section of ${s.source.label} is ${s.bytes} bytes; copies need a multiple of 4`);
      this.offsets.push(offset);
      offset += Math.ceil(s.bytes / 16) * 16;
    }
    this.size = Math.max(16, offset);
    // an empty ring (nothing to read) has no slots and never encodes
    for (let i = 0; i < (sections.length ? slots : 0); i++) {
      this.slots.push({
        buffer: device.createBuffer({ label: `${label}.slot[${i}]`, size: this.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }),
        state: 'free',
        meta: null,
      });
    }
  }

  /** Labels of the ring's buffers (tests check that only these are ever mapped). */
  get labels(): string[] {
    return this.slots.map((s) => s.buffer.label);
  }

  /** Slots not yet parsed. */
  get inFlight(): number {
    return this.slots.filter((s) => s.state !== 'free').length;
  }

  /** Encodes the copies into a free slot; false (and nothing encoded) when all slots are in flight. */
  encode(encoder: GPUCommandEncoder, meta: M): boolean {
    const slot = this.slots.find((s) => s.state === 'free');
    if (!slot) {
      this.skipped++;
      return false;
    }
    this.sections.forEach((s, i) => encoder.copyBufferToBuffer(s.source, 0, slot.buffer, this.offsets[i], s.bytes));
    slot.state = 'encoded';
    slot.meta = meta;
    return true;
  }

  /** Call after the encoder's command buffer was submitted: starts mapping what was encoded. */
  afterSubmit(): void {
    for (const slot of this.slots) {
      if (slot.state !== 'encoded') continue;
      slot.state = 'mapping';
      slot.buffer.mapAsync(GPUMapMode.READ).then(
        () => {
          if (this.destroyed) return;
          const bytes = slot.buffer.getMappedRange().slice(0);
          slot.buffer.unmap();
          const meta = slot.meta as M;
          slot.state = 'free';
          slot.meta = null;
          this.delivered++;
          this.onSample({ meta, sections: this.sections.map((s, i) => bytes.slice(this.offsets[i], this.offsets[i] + s.bytes)) });
        },
        // destroyed ring or lost device: the sample is gone, nothing to report
        () => { slot.state = 'free'; },
      );
    }
  }

  /** Call when an encoder holding copies was dropped without submitting. */
  cancelEncoded(): void {
    for (const slot of this.slots) if (slot.state === 'encoded') slot.state = 'free';
  }

  destroy(): void {
    this.destroyed = true;
    for (const slot of this.slots) slot.buffer.destroy();
  }
}
