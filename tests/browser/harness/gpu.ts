// One GpuContext per harness page, and a runner that wraps every GPU test in
// validation/OOM error scopes and destroys what it made.
import { GpuContext, withErrorScope } from '../../../src/gpu/device';

let ctx: Promise<GpuContext> | undefined;

export function testGpu(): Promise<GpuContext> {
  ctx ??= GpuContext.create({ onUncapturedError: (e) => console.error(e.message) });
  return ctx;
}

/** Runs body(device, track) in an error scope; every tracked object is destroyed afterwards. */
export async function gpuTest<T>(
  name: string,
  body: (device: GPUDevice, track: <R extends { destroy(): void }>(r: R) => R) => Promise<T>,
): Promise<T> {
  const { device } = await testGpu();
  const owned: { destroy(): void }[] = [];
  const track = <R extends { destroy(): void }>(r: R) => { owned.push(r); return r; };
  try {
    return await withErrorScope(device, name, () => body(device, track));
  } finally {
    for (const r of owned) r.destroy();
  }
}

export async function adapterInfo() {
  const c = await testGpu();
  return { ...c.adapterSummary, limits: { maxStorageBufferBindingSize: c.device.limits.maxStorageBufferBindingSize, maxComputeWorkgroupsPerDimension: c.device.limits.maxComputeWorkgroupsPerDimension } };
}
