// Page side of the RNG tests: Philox4x32-10 and Threefry-2x32-20 on the GPU,
// each through its known-answer kernel and its normals kernel.
import { createBuffer, readBuffer, sentinelFilled } from '../../../src/gpu/buffers';
import { createComputePipeline } from '../../../src/gpu/shaders';
import { SHADER_SOURCES } from '../../../src/gpu/shader-sources';
import { dispatchSize } from '../../../src/gpu/dispatch';
import { gpuTest } from './gpu';

const SENTINEL = 0xdeadbeef;
const NAN_BITS = 0x7fc00000;

type KatCase = { counter: number[]; key: number[] };

/** A counter-based generator's diagnostics kernels and their layouts. */
interface Generator {
  /** u32 per call: counter words = output words */
  words: number;
  /** u32 per known-answer input: counter at 0, key at `words`, padded to the WGSL struct's size */
  katStride: number;
  katEntry: string;
  normalsEntry: string;
}

const PHILOX: Generator = { words: 4, katStride: 8, katEntry: 'diagnostics/philox_kat.wgsl', normalsEntry: 'diagnostics/normals.wgsl' };
const THREEFRY: Generator = { words: 2, katStride: 4, katEntry: 'diagnostics/threefry_kat.wgsl', normalsEntry: 'diagnostics/step_normals.wgsl' };

/** One generator call per known-answer case on the GPU: `words` u32 out per case. */
function runKat(g: Generator, label: string, cases: KatCase[]) {
  return gpuTest(label, async (device, track) => {
    const stride = g.katStride;
    const input = new Uint32Array(cases.length * stride);
    cases.forEach((c, i) => { input.set(c.counter, stride * i); input.set(c.key, stride * i + g.words); });
    const inBuf = track(createBuffer(device, 'test.katInput', input.byteLength, GPUBufferUsage.STORAGE, input));
    const outBuf = track(sentinelFilled(device, 'test.katOutput', cases.length * g.words, SENTINEL, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
    const pipeline = await createComputePipeline(device, { label: `test.${label}`, entry: g.katEntry, sources: SHADER_SOURCES });
    const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: inBuf } }, { binding: 1, resource: { buffer: outBuf } }] });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline); pass.setBindGroup(0, bind); pass.dispatchWorkgroups(Math.ceil(cases.length / 64));
    pass.end();
    device.queue.submit([enc.finish()]);
    return new Uint32Array(await readBuffer(device, outBuf, cases.length * g.words * 4));
  });
}

/** `count` calls for (seed, stream, i, step): the raw u32 words (`words` per call) and as many normals. */
function runNormals(g: Generator, label: string, seed: number, stream: number, step: number, count: number) {
  return gpuTest(label, async (device, track) => {
    const params = track(createBuffer(device, 'test.normalsParams', 16, GPUBufferUsage.UNIFORM, Uint32Array.of(seed, stream, step, count)));
    const bits = track(sentinelFilled(device, 'test.bits', count * g.words, SENTINEL, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
    const out = track(sentinelFilled(device, 'test.normals', count * g.words, NAN_BITS, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
    const pipeline = await createComputePipeline(device, { label: `test.${label}`, entry: g.normalsEntry, sources: SHADER_SOURCES, constants: { WORKGROUP_SIZE: 64 } });
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
      bits: new Uint32Array(await readBuffer(device, bits, count * g.words * 4)),
      normals: new Float32Array(await readBuffer(device, out, count * g.words * 4)),
    };
  });
}

export const philoxKat = (cases: KatCase[]) => runKat(PHILOX, 'philoxKat', cases);

/** `count` Philox calls for (seed, stream, i, step): the raw u32 words and the four normals of each. */
export const normals = (seed: number, stream: number, step: number, count: number) => runNormals(PHILOX, 'normals', seed, stream, step, count);

export const threefryKat = (cases: KatCase[]) => runKat(THREEFRY, 'threefryKat', cases);

/** The particle steps' stream: `count` Threefry calls for (seed, stream, i, step) and their two normals each. */
export const stepNormals = (seed: number, stream: number, step: number, count: number) => runNormals(THREEFRY, 'stepNormals', seed, stream, step, count);
