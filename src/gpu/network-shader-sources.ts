// The networks' kernels (shaders/network_*.wgsl, lib/network.wgsl) beside the
// shared library: a module of their own, so the page loads them (about 40 KB of
// WGSL) with the network view and not with its first frame.
import type { ShaderSources } from './shader-compose';
import { SHADER_SOURCES, byShaderPath } from './shader-sources';

const files = import.meta.glob(['/shaders/network_*.wgsl', '/shaders/lib/network*.wgsl'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const NETWORK_SHADER_SOURCES: ShaderSources = { ...SHADER_SOURCES, ...byShaderPath(files) };

/** The network catalogue plus virtual modules under their own names. */
export function networkWithVirtual(extra: Record<string, string>): ShaderSources {
  return { ...NETWORK_SHADER_SOURCES, ...extra };
}
