// Every .wgsl file under shaders/, keyed by its path relative to shaders/.
// Vite (page, vitest) inlines them; composition happens in shader-compose.ts.
import type { ShaderSources } from './shader-compose';

const files = import.meta.glob('/shaders/**/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const SHADER_SOURCES: ShaderSources = Object.fromEntries(
  Object.entries(files).map(([path, code]) => [path.replace(/^\/shaders\//, ''), code]),
);

/** The catalogue plus virtual modules (e.g. a generated surface) under their own names. */
export function withVirtual(extra: Record<string, string>): ShaderSources {
  return { ...SHADER_SOURCES, ...extra };
}
