// Page side of the RNG tests: Philox on the GPU.
import { createBuffer, readBuffer, sentinelFilled } from '../../../src/gpu/buffers';
import { createComputePipeline } from '../../../src/gpu/shaders';
import { SHADER_SOURCES } from '../../../src/gpu/shader-sources';
import { dispatchSize } from '../../../src/gpu/dispatch';
import { gpuTest } from './gpu';

const SENTINEL = 0xdeadbeef;

export function philoxKat(cases: { counter: number[]; key: number[] }[]) {
  return gpuTest('philoxKat', async (device, track) => {
    const input = new Uint32Array(cases.length * 8);
    cases.forEach((c, i) => { input.set(c.counter, 8 * i); input.set(c.key, 8 * i + 4); });
    const inBuf = track(createBuffer(device, 'test.katInput', input.byteLength, GPUBufferUsage.STORAGE, input));
    const outBuf = track(sentinelFilled(device, 'test.katOutput', cases.length * 4, SENTINEL, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
    const pipeline = await createComputePipeline(device, { label: 'test.philoxKat', entry: 'diagnostics/philox_kat.wgsl', sources: SHADER_SOURCES });
    const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: inBuf } }, { binding: 1, resource: { buffer: outBuf } }] });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline); pass.setBindGroup(0, bind); pass.dispatchWorkgroups(Math.ceil(cases.length / 64));
    pass.end();
    device.queue.submit([enc.finish()]);
    return new Uint32Array(await readBuffer(device, outBuf, cases.length * 16));
  });
}

/** `count` Philox calls for (seed, stream, i, step): the raw u32 words and the four normals of each. */
export function normals(seed: number, stream: number, step: number, count: number) {
  return gpuTest('normals', async (device, track) => {
    const params = track(createBuffer(device, 'test.normalsParams', 16, GPUBufferUsage.UNIFORM, Uint32Array.of(seed, stream, step, count)));
    const bits = track(sentinelFilled(device, 'test.bits', count * 4, SENTINEL, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
    const out = track(sentinelFilled(device, 'test.normals', count * 4, 0x7fc00000 /* NaN */, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
    const pipeline = await createComputePipeline(device, { label: 'test.normals', entry: 'diagnostics/normals.wgsl', sources: SHADER_SOURCES, constants: { WORKGROUP_SIZE: 64 } });
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: params } }, { binding: 1, resource: { buffer: bits } }, { binding: 2, resource: { buffer: out } }],
    });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline); pass.setBindGroup(0, bind);
    const [gx, gy] = dispatchSize(Math.ceil(count / 64), device.limits.maxComputeWorkgroupsPerDimension);
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
    device.queue.submit([enc.finish()]);
    return {
      bits: new Uint32Array(await readBuffer(device, bits, count * 16)),
      normals: new Float32Array(await readBuffer(device, out, count * 16)),
    };
  });
}

export function threefryKat(cases: { counter: number[]; key: number[] }[]) {
  return gpuTest('threefryKat', async (device, track) => {
    const input = new Uint32Array(cases.length * 4);
    cases.forEach((c, i) => { input.set(c.counter, 4 * i); input.set(c.key, 4 * i + 2); });
    const inBuf = track(createBuffer(device, 'test.katInput', input.byteLength, GPUBufferUsage.STORAGE, input));
    const outBuf = track(sentinelFilled(device, 'test.katOutput', cases.length * 2, SENTINEL, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
    const pipeline = await createComputePipeline(device, { label: 'test.threefryKat', entry: 'diagnostics/threefry_kat.wgsl', sources: SHADER_SOURCES });
    const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: inBuf } }, { binding: 1, resource: { buffer: outBuf } }] });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline); pass.setBindGroup(0, bind); pass.dispatchWorkgroups(Math.ceil(cases.length / 64));
    pass.end();
    device.queue.submit([enc.finish()]);
    return new Uint32Array(await readBuffer(device, outBuf, cases.length * 8));
  });
}

/** The particle steps' stream: `count` Threefry calls for (seed, stream, i, step) and their two normals each. */
export function stepNormals(seed: number, stream: number, step: number, count: number) {
  return gpuTest('stepNormals', async (device, track) => {
    const params = track(createBuffer(device, 'test.normalsParams', 16, GPUBufferUsage.UNIFORM, Uint32Array.of(seed, stream, step, count)));
    const bits = track(sentinelFilled(device, 'test.bits', count * 2, SENTINEL, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
    const out = track(sentinelFilled(device, 'test.normals', count * 2, 0x7fc00000 /* NaN */, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
    const pipeline = await createComputePipeline(device, { label: 'test.stepNormals', entry: 'diagnostics/step_normals.wgsl', sources: SHADER_SOURCES, constants: { WORKGROUP_SIZE: 64 } });
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: params } }, { binding: 1, resource: { buffer: bits } }, { binding: 2, resource: { buffer: out } }],
    });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline); pass.setBindGroup(0, bind);
    const [gx, gy] = dispatchSize(Math.ceil(count / 64), device.limits.maxComputeWorkgroupsPerDimension);
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
    device.queue.submit([enc.finish()]);
    return {
      bits: new Uint32Array(await readBuffer(device, bits, count * 8)),
      normals: new Float32Array(await readBuffer(device, out, count * 8)),
    };
  });
}
