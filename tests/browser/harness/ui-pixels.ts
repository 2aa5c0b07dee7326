// Pixel statistics of page screenshots, computed in the page (the browser
// decodes the PNG): how much of a rectangle is drawn, and how many pixels two
// screenshots disagree on.

export interface Rect { x: number; y: number; w: number; h: number }

async function decode(b64: string): Promise<ImageData> {
  const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** Per rectangle: the fraction of pixels that differ from `background` (sum of |channel difference| > 24) and the number of distinct coarse colours. */
export async function rectStats(b64: string, rects: Rect[], background: [number, number, number], scale = 1) {
  const img = await decode(b64);
  return rects.map((r) => {
    let drawn = 0, total = 0;
    const colours = new Set<number>();
    for (let y = Math.floor(r.y * scale); y < Math.floor((r.y + r.h) * scale) && y < img.height; y++) {
      for (let x = Math.floor(r.x * scale); x < Math.floor((r.x + r.w) * scale) && x < img.width; x++) {
        const o = 4 * (y * img.width + x);
        const [cr, cg, cb] = [img.data[o], img.data[o + 1], img.data[o + 2]];
        total++;
        if (Math.abs(cr - background[0]) + Math.abs(cg - background[1]) + Math.abs(cb - background[2]) > 24) drawn++;
        colours.add(((cr >> 4) << 8) | ((cg >> 4) << 4) | (cb >> 4));
      }
    }
    return { drawn: drawn / Math.max(1, total), colours: colours.size };
  });
}

/** Per rectangle: how many pixels differ between two screenshots by more than `threshold` (sum over RGB). */
export async function diffCounts(a64: string, b64: string, rects: Rect[], threshold = 60, scale = 1): Promise<number[]> {
  const [a, b] = await Promise.all([decode(a64), decode(b64)]);
  return rects.map((r) => {
    let n = 0;
    for (let y = Math.floor(r.y * scale); y < Math.floor((r.y + r.h) * scale) && y < a.height; y++) {
      for (let x = Math.floor(r.x * scale); x < Math.floor((r.x + r.w) * scale) && x < a.width; x++) {
        const o = 4 * (y * a.width + x);
        if (Math.abs(a.data[o] - b.data[o]) + Math.abs(a.data[o + 1] - b.data[o + 1]) + Math.abs(a.data[o + 2] - b.data[o + 2]) > threshold) n++;
      }
    }
    return n;
  });
}
