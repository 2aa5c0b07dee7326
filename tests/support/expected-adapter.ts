// The WebGPU adapter a browser test run asked for: SwiftShader (Chromium's CPU
// Vulkan driver: vendor 'google', architecture 'swiftshader') unless
// SGD_LAB_GPU=hardware, which drops the SwiftShader flags (see
// tests/browser/global-setup.ts).

export type AdapterKind = 'swiftshader' | 'hardware';

export function expectedAdapterKind(): AdapterKind {
  return process.env.SGD_LAB_GPU === 'hardware' ? 'hardware' : 'swiftshader';
}

/** What `kind` requires of the adapter the page reports; a list of what is wrong (empty when it matches). */
export function adapterMismatches(info: { vendor: string; architecture: string; isFallbackAdapter?: boolean }, kind: AdapterKind): string[] {
  const problems: string[] = [];
  if (kind === 'swiftshader') {
    if (info.vendor !== 'google') problems.push(`vendor '${info.vendor}', expected 'google' (SwiftShader)`);
    if (info.architecture !== 'swiftshader') problems.push(`architecture '${info.architecture}', expected 'swiftshader'`);
  } else {
    if (info.architecture === 'swiftshader') problems.push('SGD_LAB_GPU=hardware, but the adapter is SwiftShader');
    if (info.isFallbackAdapter) problems.push('SGD_LAB_GPU=hardware, but the adapter is a fallback (software) adapter');
  }
  return problems;
}
