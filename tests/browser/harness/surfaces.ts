// Page side of the surface tests: value, gradient and Hessian of a catalogue
// surface on the GPU (shaders/diagnostics/surface_eval.wgsl), through a
// SurfaceBinding, with group 1 both from the pipeline's 'auto' layout and from
// the binding's explicit layout.
import { findSurface } from '../../../src/model/surfaces';
import { SurfaceBinding } from '../../../src/sim/surface-binding';
import { createBuffer, readBuffer, sentinelFilled } from '../../../src/gpu/buffers';
import { createShaderModuleChecked } from '../../../src/gpu/shaders';
import { composeShader } from '../../../src/gpu/shader-compose';
import { withVirtual } from '../../../src/gpu/shader-sources';
import { gpuTest } from './gpu';

const NAN_BITS = 0x7fc00000; // results never written stay NaN
const WORKGROUP_SIZE = 64;

/**
 * Evaluates surface `name` (params, seed) at the points (x0, y0, x1, y1, ...):
 * results hold two vec4f per point, (f, f_x, f_y, 0) and (f_xx, f_xy, f_yy, 0),
 * once with an 'auto' pipeline layout and once with SurfaceBinding.layout.
 * Also returns the parameters and dataset the page uploaded.
 */
export function evaluate(name: string, params: Record<string, number>, seed: number, points: number[]) {
  return gpuTest(`surfaces.evaluate(${name})`, async (device, track) => {
    const def = findSurface(name);
    if (!def) throw new Error(`no catalogue surface '${name}'`);
    const surface = def.create(params, seed);
    const binding = track(new SurfaceBinding(device, surface));
    const xy = new Float32Array(points);
    const n = xy.length / 2;
    const pointsBuf = track(createBuffer(device, 'test.points', xy.byteLength, GPUBufferUsage.STORAGE, xy));
    const sources = withVirtual({ ...surface.wgslSources, surface: `// @import ${surface.wgslModule}` });
    const module = await createShaderModuleChecked(device, composeShader('diagnostics/surface_eval.wgsl', sources));
    const ownLayout = device.createBindGroupLayout({
      label: 'test.surfaceEvalLayout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    const run = async (explicit: boolean) => {
      const results = track(sentinelFilled(device, 'test.results', n * 8, NAN_BITS, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
      const pipeline = await device.createComputePipelineAsync({
        label: `test.surfaceEval.${name}`,
        layout: explicit ? device.createPipelineLayout({ bindGroupLayouts: [ownLayout, binding.layout] }) : 'auto',
        compute: { module, entryPoint: 'main', constants: { WORKGROUP_SIZE } },
      });
      const group0 = device.createBindGroup({
        layout: explicit ? ownLayout : pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: pointsBuf, size: xy.byteLength } },
          { binding: 1, resource: { buffer: results } },
        ],
      });
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group0);
      pass.setBindGroup(1, binding.bindGroup(explicit ? binding.layout : pipeline));
      pass.dispatchWorkgroups(Math.ceil(n / WORKGROUP_SIZE));
      pass.end();
      device.queue.submit([enc.finish()]);
      return new Float32Array(await readBuffer(device, results));
    };
    return {
      auto: await run(false),
      explicit: await run(true),
      packedParams: surface.packedParams,
      dataset: surface.finiteSum?.dataset ?? new Float32Array(0),
    };
  });
}
