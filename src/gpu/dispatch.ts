// Workgroup-count arithmetic that respects maxComputeWorkgroupsPerDimension.

/** Splits `groups` workgroups into a 2-D grid (x, y) with x <= maxPerDim. Kernels index i = gid.x + gid.y * x * size. */
export function dispatchSize(groups: number, maxPerDim = 65535): [number, number] {
  if (groups <= maxPerDim) return [Math.max(1, groups), 1];
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y];
}
