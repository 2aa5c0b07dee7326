// Compute pipelines shared by every user on one device: panels of a
// Simulation compile the same WGSL with the same constants, and compiling
// through SwiftShader costs seconds. Entries are keyed by the composed shader
// code, the entry point, the override constants and a caller's key for the
// pipeline layout. Explicit layouts may be shared because bind group layouts
// made from equal descriptors are interchangeable (WebGPU "group-equivalent");
// 'auto' layouts are shared with the pipeline object, so users take their bind
// group layouts from the pipeline they get. A failed build leaves no entry.

const cache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

export interface PipelineKey {
  /** the composed WGSL source */
  code: string;
  entryPoint?: string;
  constants?: Record<string, number>;
  /** 'auto', or a string naming the explicit bind group layouts (equal strings = equal descriptors) */
  layout: string;
}

function keyOf(k: PipelineKey): string {
  const c = k.constants ?? {};
  const constants = Object.keys(c).sort().map((n) => `${n}=${c[n]}`).join(',');
  return `${k.layout}\u0000${k.entryPoint ?? 'main'}\u0000${constants}\u0000${k.code}`;
}

/** The pipeline for `key` on `device`, built once by `make`. */
export function sharedComputePipeline(device: GPUDevice, key: PipelineKey, make: () => Promise<GPUComputePipeline>): Promise<GPUComputePipeline> {
  let byKey = cache.get(device);
  if (!byKey) cache.set(device, (byKey = new Map()));
  const k = keyOf(key);
  let p = byKey.get(k);
  if (!p) {
    p = make();
    byKey.set(k, p);
    p.catch(() => byKey!.delete(k));
  }
  return p;
}

/** A stable text for explicit bind group layout descriptors (the `layout` part of a PipelineKey). */
export function layoutKey(...descriptors: GPUBindGroupLayoutDescriptor[]): string {
  return JSON.stringify(descriptors.map((d) => d.entries));
}
