// Labelled buffers and the readback helper used by tests and metrics.

export function createBuffer(
  device: GPUDevice,
  label: string,
  size: number,
  usage: GPUBufferUsageFlags,
  data?: ArrayBufferView,
): GPUBuffer {
  const padded = Math.max(16, Math.ceil(size / 4) * 4);
  const buffer = device.createBuffer({ label, size: padded, usage, mappedAtCreation: data !== undefined });
  if (data) {
    new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    buffer.unmap();
  }
  return buffer;
}

/** Copies `size` bytes of `source` into a fresh mappable buffer, maps it and returns a copy of the bytes. */
export async function readBuffer(device: GPUDevice, source: GPUBuffer, size = source.size, offset = 0): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ label: `readback of ${source.label}`, size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const encoder = device.createCommandEncoder({ label: 'readBuffer' });
  encoder.copyBufferToBuffer(source, offset, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(0);
  } finally {
    staging.destroy();
  }
}

/** A buffer filled with a sentinel word so that elements a kernel never wrote stand out. */
export function sentinelFilled(device: GPUDevice, label: string, words: number, sentinel: number, usage: GPUBufferUsageFlags): GPUBuffer {
  const fill = new Uint32Array(words).fill(sentinel >>> 0);
  return createBuffer(device, label, fill.byteLength, usage, fill);
}

/** Reads several buffers (whole) with one copy and one map: one GPU round trip instead of many. */
export async function readBuffers(device: GPUDevice, sources: GPUBuffer[]): Promise<ArrayBuffer[]> {
  const offsets: number[] = [];
  let total = 0;
  for (const s of sources) { offsets.push(total); total += Math.ceil(s.size / 8) * 8; }
  const staging = device.createBuffer({ label: 'readBuffers', size: Math.max(8, total), usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const encoder = device.createCommandEncoder({ label: 'readBuffers' });
  sources.forEach((s, i) => encoder.copyBufferToBuffer(s, 0, staging, offsets[i], s.size));
  device.queue.submit([encoder.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    const all = staging.getMappedRange();
    return sources.map((s, i) => all.slice(offsets[i], offsets[i] + s.size));
  } finally {
    staging.destroy();
  }
}
