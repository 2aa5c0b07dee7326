// The Newton search's and the smoothed loss's kernels (shaders/analysis_newton.wgsl,
// analysis_smoothing.wgsl, lib/smoothing/) beside the shared library: a module of
// their own, so the page loads them with those tools (the analysis worker) and
// not with its first frame (the first-load budget of scripts/first-load.ts).
// The escape kernels stay in shader-sources.ts: escape-watch runs with every panel.
import type { ShaderSources } from './shader-compose';
import { SHADER_SOURCES, byShaderPath } from './shader-sources';

const files = import.meta.glob(['/shaders/analysis_newton.wgsl', '/shaders/analysis_smoothing.wgsl', '/shaders/lib/smoothing/*.wgsl'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const ANALYSIS_SHADER_SOURCES: ShaderSources = { ...SHADER_SOURCES, ...byShaderPath(files) };

/** The analysis catalogue plus virtual modules (e.g. the surface) under their own names. */
export function analysisWithVirtual(extra: Record<string, string>): ShaderSources {
  return { ...ANALYSIS_SHADER_SOURCES, ...extra };
}
