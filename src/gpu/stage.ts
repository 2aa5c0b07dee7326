// The lifetime pattern of a GPU stage class (ParticleSystem,
// FokkerPlanckGrid, ...): it creates its buffers, then compiles pipelines and
// makes bind groups, and it destroys exactly what it made, also when a later
// step of its creation fails.
import { createBuffer } from './buffers';

export interface Destroyable {
  destroy(): void;
}

/**
 * The GPU objects one stage made. Buffers are labelled `${label}.${field}`
 * (the DESIGN.md rule 'Class.field'); destroy() releases them newest first.
 */
export class OwnedResources {
  private readonly items: Destroyable[] = [];

  constructor(private readonly device: GPUDevice, readonly label: string) {}

  /** A buffer of at least `size` bytes (createBuffer's padding), filled with `data` when given. */
  buffer(field: string, size: number, usage: GPUBufferUsageFlags, data?: ArrayBufferView): GPUBuffer {
    return this.own(createBuffer(this.device, `${this.label}.${field}`, size, usage, data));
  }

  /** Takes over another object (a buffer, a sub-stage) to destroy with the rest. */
  own<T extends Destroyable>(item: T): T {
    this.items.push(item);
    return item;
  }

  destroy(): void {
    for (const item of this.items.splice(0).reverse()) item.destroy();
  }
}

/**
 * Runs the asynchronous part of a stage's creation (compiling pipelines,
 * making bind groups); when it fails, destroys the stage (whatever its
 * constructor made) and rethrows.
 */
export async function buildStage<T extends Destroyable>(stage: T, build: (stage: T) => Promise<unknown>): Promise<T> {
  try {
    await build(stage);
  } catch (e) {
    stage.destroy();
    throw e;
  }
  return stage;
}
