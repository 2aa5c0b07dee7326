// Compute pipelines for the network view stages (evaluation, spread, plane
// points, projection, PCA): one WGSL file with several entry points sharing
// one explicit bind group layout (group 0), compiled once per device and
// shared between users (src/gpu/pipeline-cache.ts).
import { composeShader, type ShaderSources } from '../../gpu/shader-compose';
import { createShaderModuleChecked } from '../../gpu/shaders';
import { layoutKey, sharedComputePipeline } from '../../gpu/pipeline-cache';
import { NETWORK_SHADER_SOURCES } from '../../gpu/network-shader-sources';
import { dispatchSize } from '../../gpu/dispatch';
import { structView } from '../../gpu/uniforms';
import type { StructuredView } from 'webgpu-utils';

/** Binding i of group 0: a uniform, a read-only or a read-write storage buffer. */
export type BindingKind = 'uniform' | 'read' | 'storage';

export interface ViewKernels<E extends string> {
  pipelines: Record<E, GPUComputePipeline>;
  layout: GPUBindGroupLayout;
  /** the packer of the shader's uniform `cfg` */
  cfg: StructuredView;
}

const BUFFER_TYPE: Record<BindingKind, GPUBufferBindingType> = { uniform: 'uniform', read: 'read-only-storage', storage: 'storage' };

export async function viewKernels<E extends string>(
  device: GPUDevice, label: string, file: string, entryPoints: readonly E[], bindings: readonly BindingKind[], constants: Record<string, number>,
  /** the WGSL catalogue to compose from (default the networks'; networkSources(layout) adds the private array sizes) */
  sources: ShaderSources = NETWORK_SHADER_SOURCES,
): Promise<ViewKernels<E>> {
  const shader = composeShader(file, sources);
  const desc: GPUBindGroupLayoutDescriptor = {
    label: `${label}.layout`,
    entries: bindings.map((kind, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: BUFFER_TYPE[kind] } })),
  };
  const layout = device.createBindGroupLayout(desc);
  const pipelineLayout = device.createPipelineLayout({ label: `${label}.pipelineLayout`, bindGroupLayouts: [layout] });
  let module: Promise<GPUShaderModule> | undefined;
  const pipelines = {} as Record<E, GPUComputePipeline>;
  // compiled in turn: Chromium's GPU process compiles one pipeline at a time anyway
  for (const entryPoint of entryPoints) {
    pipelines[entryPoint] = await sharedComputePipeline(device, { code: shader.code, entryPoint, constants, layout: layoutKey(desc) }, async () =>
      device.createComputePipelineAsync({
        label: `${label}.${entryPoint}`,
        layout: pipelineLayout,
        compute: { module: await (module ??= createShaderModuleChecked(device, shader)), entryPoint, constants },
      }));
  }
  return { pipelines, layout, cfg: structView(shader.code, 'cfg') };
}

/** A bind group of `buffers` in binding order on `layout`. */
export function bindBuffers(device: GPUDevice, label: string, layout: GPUBindGroupLayout, buffers: readonly (GPUBuffer | { buffer: GPUBuffer; size: number })[]): GPUBindGroup {
  return device.createBindGroup({
    label, layout,
    entries: buffers.map((b, binding) => ({ binding, resource: 'buffer' in b ? { buffer: b.buffer, size: b.size } : { buffer: b } })),
  });
}

/** Dispatches `threads` invocations of a kernel with workgroup size `wg` (indexing t = gid.x + gid.y * groups.x * wg). */
export function dispatchThreads(pass: GPUComputePassEncoder, device: GPUDevice, threads: number, wg: number): void {
  if (threads <= 0) return;
  pass.dispatchWorkgroups(...dispatchSize(Math.ceil(threads / wg), device.limits.maxComputeWorkgroupsPerDimension));
}

/** Writes a `cfg` uniform's values into `buffer`. */
export function writeConfig(device: GPUDevice, view: StructuredView, buffer: GPUBuffer, values: Record<string, unknown>): void {
  view.set(values);
  device.queue.writeBuffer(buffer, 0, view.arrayBuffer);
}

/** The bits of a quiet NaN, for shaders that write NaN (a NaN constant is not allowed in WGSL). */
export const NAN_BITS = 0x7fc00000;
