// Every .wgsl file under shaders/ except the networks' (network-shader-sources.ts,
// loaded with the network view), keyed by its path relative to shaders/.
// Vite (page, vitest) inlines them; composition happens in shader-compose.ts.
import type { ShaderSources } from './shader-compose';

const files = import.meta.glob(['/shaders/**/*.wgsl', '!/shaders/network_*.wgsl', '!/shaders/lib/network.wgsl'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** Keys a glob's files by their path relative to shaders/. */
export function byShaderPath(globbed: Record<string, string>): ShaderSources {
  return Object.fromEntries(Object.entries(globbed).map(([path, code]) => [path.replace(/^\/shaders\//, ''), code]));
}

export const SHADER_SOURCES: ShaderSources = byShaderPath(files);

/** The catalogue plus virtual modules (e.g. a generated surface) under their own names. */
export function withVirtual(extra: Record<string, string>): ShaderSources {
  return { ...SHADER_SOURCES, ...extra };
}
