// Every .wgsl file under shaders/ except the networks' (network-shader-sources.ts,
// loaded with the network view) and the current arrows' (current-arrows-kernel.ts, lazy)
// and the Newton search's and smoothing's (analysis-shader-sources.ts),
// keyed by its path relative to shaders/.
// Vite (page, vitest) inlines them; composition happens in shader-compose.ts.
import type { ShaderSources } from './shader-compose';

const files = import.meta.glob(['/shaders/**/*.wgsl', '!/shaders/network_*.wgsl', '!/shaders/lib/network.wgsl', '!/shaders/fokker_planck_arrows.wgsl', '!/shaders/analysis_newton.wgsl', '!/shaders/analysis_smoothing.wgsl', '!/shaders/lib/smoothing/*.wgsl'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** Keys a glob's files by their path relative to shaders/. */
export function byShaderPath(globbed: Record<string, string>): ShaderSources {
  return Object.fromEntries(Object.entries(globbed).map(([path, code]) => [path.replace(/^\/shaders\//, ''), code]));
}

export const SHADER_SOURCES: ShaderSources = byShaderPath(files);

/** The catalogue plus virtual modules (e.g. a generated surface) under their own names. */
export function withVirtual(extra: Record<string, string>): ShaderSources {
  return { ...SHADER_SOURCES, ...extra };
}

/**
 * `sources` with lib/surface_params_cached.wgsl composed in place of
 * lib/surface_params.wgsl: for kernels that evaluate the surface inside a long
 * step loop and call surface_params_load() once before it (see that module).
 */
export function withCachedSurfaceParams(sources: ShaderSources): ShaderSources {
  return { ...sources, 'lib/surface_params.wgsl': sources['lib/surface_params_cached.wgsl'] };
}
