// The compute pipelines of the Fokker–Planck stages: one composed WGSL entry
// file each, shared between grids with equal code and constants on one device
// (src/gpu/pipeline-cache.ts; compiling through SwiftShader costs seconds).
import type { ComposedShader } from '../../gpu/shader-compose';
import { createShaderModuleChecked } from '../../gpu/shaders';
import { sharedComputePipeline } from '../../gpu/pipeline-cache';

/** The pipeline of `shader` (layout 'auto', entry point `entryPoint`, default main) with these override constants, labelled `label`. */
export function fpPipeline(device: GPUDevice, label: string, shader: ComposedShader, constants: Record<string, number>, entryPoint = 'main'): Promise<GPUComputePipeline> {
  return sharedComputePipeline(device, { code: shader.code, entryPoint, constants, layout: 'auto' }, async () => {
    const module = await createShaderModuleChecked(device, shader);
    return device.createComputePipelineAsync({ label, layout: 'auto', compute: { module, entryPoint, constants } });
  });
}
