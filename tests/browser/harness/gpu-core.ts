// Page side of the GPU-core tests: device loss and recovery, compile errors, uncaptured errors.
import { GpuContext } from '../../../src/gpu/device';
import { createComputePipeline } from '../../../src/gpu/shaders';
import { SHADER_SOURCES } from '../../../src/gpu/shader-sources';

export async function lossAndRecovery() {
  const lost: string[] = [];
  const ctx = await GpuContext.create({ onLost: (info) => lost.push(info.reason) });
  const first = ctx.device;
  first.destroy(); // what a driver reset looks like to the lab
  await first.lost;
  await new Promise((r) => setTimeout(r, 0));
  await ctx.recover();
  // the new device works: a pipeline compiles and a buffer round-trips
  const pipeline = await createComputePipeline(ctx.device, { label: 'test.afterRecovery', entry: 'diagnostics/philox_kat.wgsl', sources: SHADER_SOURCES });
  const ok = pipeline !== undefined && ctx.device !== first;
  const generation = ctx.generation;
  ctx.destroy();
  await new Promise((r) => setTimeout(r, 0));
  return { lost, ok, generation };
}

export async function compileError() {
  const ctx = await GpuContext.create();
  try {
    await createComputePipeline(ctx.device, {
      label: 'test.broken', entry: 'broken.wgsl',
      sources: { ...SHADER_SOURCES, 'broken.wgsl': '// @import lib/philox.wgsl\n@compute @workgroup_size(1)\nfn main() {\n  let x: u32 = undefined_thing;\n}' },
    });
    return 'compiled?!';
  } catch (e) {
    return (e as Error).message;
  } finally {
    ctx.destroy();
  }
}

export async function uncaptured() {
  const seen: string[] = [];
  const ctx = await GpuContext.create({ onUncapturedError: (e) => seen.push(e.message) });
  // a validation error outside any error scope: a buffer with MAP_READ | STORAGE is invalid
  ctx.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
  await ctx.device.queue.onSubmittedWorkDone();
  await new Promise((r) => setTimeout(r, 50));
  ctx.destroy();
  return seen;
}

export async function noWebGpu() {
  try {
    await GpuContext.create({ gpu: null });
    return 'acquired?!';
  } catch (e) {
    return (e as Error).message;
  }
}
