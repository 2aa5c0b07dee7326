// Page side of the formula tests: a formula surface made in the page (as the
// app makes it) and evaluated on the GPU by shaders/diagnostics/surface_eval.wgsl.
import { createFormulaSurface } from '../../../src/model/expression';
import type { Domain } from '../../../src/model/surface-types';
import { createBuffer, readBuffer, sentinelFilled } from '../../../src/gpu/buffers';
import { createComputePipeline } from '../../../src/gpu/shaders';
import { withVirtual } from '../../../src/gpu/shader-sources';
import { gpuTest } from './gpu';

// written to every result word first: a word still holding it was never written
const SENTINEL = 0xdeadbeef; // tests/browser/expression.test.ts checks for it
const WORKGROUP_SIZE = 64;

/**
 * f at the points (x0, y0, x1, y1, ...): two vec4f per point, (f, f_x, f_y, 0)
 * and (f_xx, f_xy, f_yy, 0), and the generated module the page compiled.
 */
export function evaluateFormula(formula: string, domain: Domain, points: number[]) {
  return gpuTest(`expression.evaluateFormula(${formula})`, async (device, track) => {
    const surface = createFormulaSurface(formula, domain);
    const xy = new Float32Array(points);
    const n = xy.length / 2;
    const pointsBuf = track(createBuffer(device, 'test.formulaPoints', xy.byteLength, GPUBufferUsage.STORAGE, xy));
    const results = track(sentinelFilled(device, 'test.formulaResults', n * 8, SENTINEL, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC));
    const pipeline = await createComputePipeline(device, {
      label: 'test.formulaEval',
      entry: 'diagnostics/surface_eval.wgsl',
      // the kernel imports the virtual module 'surface', which imports the formula's module
      sources: withVirtual({ ...surface.wgslSources, surface: `// @import ${surface.wgslModule}` }),
      constants: { WORKGROUP_SIZE },
    });
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      // exactly the points: the kernel counts them with arrayLength
      entries: [{ binding: 0, resource: { buffer: pointsBuf, size: xy.byteLength } }, { binding: 1, resource: { buffer: results } }],
    });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(Math.ceil(n / WORKGROUP_SIZE));
    pass.end();
    device.queue.submit([enc.finish()]);
    return {
      results: new Float32Array(await readBuffer(device, results)),
      wgsl: surface.wgslSources[surface.wgslModule],
    };
  });
}
