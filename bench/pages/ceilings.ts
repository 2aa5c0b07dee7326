// Same-run ceilings for the benchmarks (issue 17): what this adapter can do at
// all, so a kernel's figure reads as a fraction of it.
//  - normals-only: per particle, the same Threefry normals the step kernel draws
//    (two per step, lib/threefry.wgsl step_normals2), summed, one word written:
//    the random-number ceiling of a Langevin step, in particle-steps/s;
//  - copy: a vec4 copy of `bytes`, in bytes/s (the bandwidth ceiling);
//  - matmul: C = A·B, N x N float32, 16 x 16 tiles in workgroup memory, in FLOP/s.
// DOM-free: runs in the page (npm run bench) and in Node under Dawn (the kit).
import { composeShader } from '../../src/gpu/shader-compose';
import { createShaderModuleChecked } from '../../src/gpu/shaders';
import { withVirtual } from '../../src/gpu/shader-sources';

const NORMALS = `// @import lib/threefry.wgsl
struct P { count: u32, start: u32, steps: u32, seed: u32, stream: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 64u;
  if (i >= p.count) { return; }
  var acc = vec2f(0.0);
  for (var s = 0u; s < p.steps; s++) { acc += step_normals2(p.seed, p.stream, i, p.start + s); }
  out[i] = acc.x + acc.y;
}`;

const COPY = `@group(0) @binding(0) var<storage, read> src: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4f>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * 256u;
  if (i < arrayLength(&src)) { dst[i] = src[i]; }
}`;

const MATMUL = `override N: u32 = 1024u;
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
var<workgroup> ta: array<array<f32, 16>, 16>;
var<workgroup> tb: array<array<f32, 16>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  var acc = 0.0;
  for (var t = 0u; t < N; t += 16u) {
    ta[lid.y][lid.x] = a[gid.y * N + t + lid.x];
    tb[lid.y][lid.x] = b[(t + lid.y) * N + gid.x];
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) { acc += ta[lid.y][k] * tb[k][lid.x]; }
    workgroupBarrier();
  }
  c[gid.y * N + gid.x] = acc;
}`;

async function pipeline(device: GPUDevice, name: string, code: string, constants?: Record<string, number>): Promise<GPUComputePipeline> {
  const module = await createShaderModuleChecked(device, composeShader(name, withVirtual({ [name]: code })));
  return device.createComputePipelineAsync({ label: `ceiling.${name}`, layout: 'auto', compute: { module, entryPoint: 'main', constants } });
}

/** Workgroups for `n` invocations of `size`, folded into y beyond the 65,535 limit. */
function grid(n: number, size: number): [number, number] {
  const groups = Math.ceil(n / size);
  return groups <= 65535 ? [groups, 1] : [65535, Math.ceil(groups / 65535)];
}

/** Runs `encode` in whole submissions until `minSeconds` are timed (one warm-up first); returns submissions and seconds. */
export async function timeSubmissions(device: GPUDevice, encode: (enc: GPUCommandEncoder) => void, minSeconds: number): Promise<{ runs: number; seconds: number }> {
  const run = () => {
    const enc = device.createCommandEncoder();
    encode(enc);
    device.queue.submit([enc.finish()]);
    return device.queue.onSubmittedWorkDone();
  };
  await run();
  let runs = 0;
  const t0 = performance.now();
  while ((performance.now() - t0) / 1000 < minSeconds) {
    await run();
    runs++;
  }
  return { runs, seconds: (performance.now() - t0) / 1000 };
}

/** The random-number ceiling: normals-only particle-steps/s for `count` particles, `steps` per dispatch. */
export async function normalsCeiling(device: GPUDevice, count: number, steps: number, minSeconds: number): Promise<number> {
  const pipe = await pipeline(device, 'ceiling_normals.wgsl', NORMALS);
  const params = device.createBuffer({ size: 32, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const out = device.createBuffer({ size: 4 * count, usage: GPUBufferUsage.STORAGE });
  try {
    device.queue.writeBuffer(params, 0, new Uint32Array([count, 0, steps, 7, 3, 0, 0, 0]));
    const bind = device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: params } }, { binding: 1, resource: { buffer: out } }] });
    const [gx, gy] = grid(count, 64);
    const t = await timeSubmissions(device, (enc) => {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipe);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(gx, gy);
      pass.end();
    }, minSeconds);
    return (t.runs * steps * count) / t.seconds;
  } finally {
    params.destroy();
    out.destroy();
  }
}

/** The bandwidth ceiling: bytes/s of a vec4 copy of `bytes` (rounded up to 16), `repeats` copies per submission. */
export async function copyCeiling(device: GPUDevice, bytes: number, repeats: number, minSeconds: number): Promise<number> {
  const size = Math.ceil(bytes / 16) * 16;
  const pipe = await pipeline(device, 'ceiling_copy.wgsl', COPY);
  const src = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE });
  const dst = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE });
  try {
    const bind = device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: src } }, { binding: 1, resource: { buffer: dst } }] });
    const [gx, gy] = grid(size / 16, 256);
    const t = await timeSubmissions(device, (enc) => {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipe);
      pass.setBindGroup(0, bind);
      for (let r = 0; r < repeats; r++) pass.dispatchWorkgroups(gx, gy);
      pass.end();
    }, minSeconds);
    // each copy reads and writes `size` bytes
    return (t.runs * repeats * 2 * size) / t.seconds;
  } finally {
    src.destroy();
    dst.destroy();
  }
}

/** The arithmetic ceiling: FLOP/s (2 N³ per product) of a tiled N x N matrix multiply (N a multiple of 16). */
export async function matmulCeiling(device: GPUDevice, n: number, minSeconds: number): Promise<number> {
  const pipe = await pipeline(device, 'ceiling_matmul.wgsl', MATMUL, { N: n });
  const bufs = [0, 1, 2].map(() => device.createBuffer({ size: 4 * n * n, usage: GPUBufferUsage.STORAGE }));
  try {
    const bind = device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: bufs.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const t = await timeSubmissions(device, (enc) => {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipe);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(n / 16, n / 16);
      pass.end();
    }, minSeconds);
    return (t.runs * 2 * n ** 3) / t.seconds;
  } finally {
    for (const b of bufs) b.destroy();
  }
}
