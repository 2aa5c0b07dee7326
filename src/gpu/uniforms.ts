// Uniform structs packed through reflection of the composed WGSL
// (webgpu-utils), so the TypeScript side never restates a layout.
import { makeShaderDataDefinitions, makeStructuredView, type ArrayDefinition, type StructuredView, type TypeDefinition } from 'webgpu-utils';

/** A packer/parser for the uniform or storage variable `name` declared in `code`. */
export function structView(code: string, name: string): StructuredView {
  const defs = makeShaderDataDefinitions(code);
  const def = defs.uniforms[name] ?? defs.storages[name];
  if (!def) throw new Error(`structView: no uniform or storage variable '${name}' in the shader; declared: ${[...Object.keys(defs.uniforms), ...Object.keys(defs.storages)].join(', ')}`);
  return makeStructuredView(def);
}

/** Bytes per element of the runtime-sized storage array `name` declared in `code` (its stride). */
export function arrayElementBytes(code: string, name: string): number {
  const type: TypeDefinition | undefined = makeShaderDataDefinitions(code).storages[name]?.typeDefinition;
  const element = type && 'elementType' in type ? (type as ArrayDefinition).elementType : undefined;
  if (!element) throw new Error(`arrayElementBytes: no storage array '${name}' in the shader`);
  return element.size;
}

/** Dynamic uniform offsets must be multiples of this (the WebGPU default limit). */
export const UNIFORM_SLOT_BYTES = 256;
