// Page side of page-call (src/cli/page-call.ts): typed arrays become base64 so
// they cross the DevTools protocol intact.
export function encodeForNode(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { __typed: v.constructor.name, b64: btoa(s) };
  }
  if (Array.isArray(v)) return v.map(encodeForNode);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeForNode(x)]));
  return v;
}
