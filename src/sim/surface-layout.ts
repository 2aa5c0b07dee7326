// The group(1) bind group layout every surface-evaluating kernel shares:
// binding 0 the surface's parameter uniform, binding 1 its dataset (finite-sum only).

export function createSurfaceLayout(device: GPUDevice, finiteSum: boolean): GPUBindGroupLayout {
  const entries: GPUBindGroupLayoutEntry[] = [{ binding: 0, visibility: GPUShaderStage.COMPUTE | GPUShaderStage.VERTEX | GPUShaderStage.FRAGMENT, buffer: { type: 'uniform' } }];
  if (finiteSum) entries.push({ binding: 1, visibility: GPUShaderStage.COMPUTE | GPUShaderStage.VERTEX | GPUShaderStage.FRAGMENT, buffer: { type: 'read-only-storage' } });
  return device.createBindGroupLayout({ label: `surfaceLayout${finiteSum ? '.finiteSum' : ''}`, entries });
}
