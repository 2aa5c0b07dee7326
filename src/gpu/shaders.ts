// Shader modules and compute pipelines from composed WGSL, with compilation
// messages reported against the original file:line.
import { composeShader, locateMessage, type ComposedShader, type ShaderSources } from './shader-compose';
import { ShaderError } from './errors';

/**
 * Compiles a composed shader. Error scopes are a device-wide stack: the scope is
 * pushed and popped with no await between, so concurrent calls (Promise.all)
 * never pop each other's scope.
 */
export async function createShaderModuleChecked(device: GPUDevice, shader: ComposedShader): Promise<GPUShaderModule> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: shader.name, code: shader.code });
  const popped = device.popErrorScope();
  const info = await module.getCompilationInfo();
  const scopeError = await popped;
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) throw new ShaderError(shader.name, errors.map((m) => locateMessage(shader, m)));
  if (scopeError) throw new ShaderError(shader.name, [scopeError.message]);
  return module;
}

export interface ComputePipelineSpec {
  label: string;
  /** entry file, e.g. 'diagnostics/philox_kat.wgsl' */
  entry: string;
  sources: ShaderSources;
  entryPoint?: string;
  /** WGSL `override` constants (tuning values, sizes) */
  constants?: Record<string, number>;
}

export async function createComputePipeline(device: GPUDevice, spec: ComputePipelineSpec): Promise<GPUComputePipeline> {
  const shader = composeShader(spec.entry, spec.sources);
  const module = await createShaderModuleChecked(device, shader);
  // pushed and popped with no await between (see createShaderModuleChecked)
  device.pushErrorScope('validation');
  const creating = device.createComputePipelineAsync({
    label: spec.label,
    layout: 'auto',
    compute: { module, entryPoint: spec.entryPoint ?? 'main', constants: spec.constants },
  });
  const popped = device.popErrorScope();
  let pipeline: GPUComputePipeline;
  try {
    pipeline = await creating;
  } catch (e) {
    await popped;
    throw new ShaderError(spec.entry, [`pipeline '${spec.label}': ${(e as Error).message}`]);
  }
  const err = await popped;
  if (err) throw new ShaderError(spec.entry, [`pipeline '${spec.label}': ${err.message}`]);
  return pipeline;
}
