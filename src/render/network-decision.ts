// The decision function of networks over their 2-D input space, painted on a
// 2-D canvas: the probability sigmoid(logit) of class 1 on a grid over the
// dataset's bounding box (one network, or the mean over several), a diverging
// colour ramp (class 0 warm, class 1 cool, 0.5 dark), the 0.5 contour, and the
// dataset as dots coloured by label (test samples hollow). CPU forward pass
// (model/network/mlp.ts, float64) on parameters read back from the GPU.
import { forward, hiddenUnits, sigmoid } from '../model/network/mlp';
import type { Dataset } from '../model/network/datasets';
import type { Activation, NetworkLayout } from '../model/network/spec';

/** A square box of input space (input units) holding every sample with a margin. */
export interface InputBox {
  x: [number, number];
  y: [number, number];
}

/** The square box around the dataset's inputs, `margin` of its side added on each side. */
export function inputBox(dataset: Dataset, margin = 0.08): InputBox {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  const inp = dataset.inputs;
  for (let i = 0; i < inp.length; i += 2) {
    x0 = Math.min(x0, inp[i]); x1 = Math.max(x1, inp[i]);
    y0 = Math.min(y0, inp[i + 1]); y1 = Math.max(y1, inp[i + 1]);
  }
  if (!Number.isFinite(x0)) return { x: [-1, 1], y: [-1, 1] };
  const half = (Math.max(x1 - x0, y1 - y0, 1e-6) / 2) * (1 + 2 * margin);
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  return { x: [cx - half, cx + half], y: [cy - half, cy + half] };
}

/** Class colours: label 0 warm, label 1 cool (RGB 0..255); the ramp passes through a dark neutral at p = 0.5. */
export const CLASS_COLORS: [number, number, number][] = [[240, 128, 60], [70, 150, 245]];
const MID: [number, number, number] = [24, 27, 36];

/** RGB of probability p of class 1 on the diverging ramp. */
export function probabilityColor(p: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, Number.isFinite(p) ? p : 0.5));
  const [c, s] = t < 0.5 ? [CLASS_COLORS[0], 1 - 2 * t] : [CLASS_COLORS[1], 2 * t - 1];
  // a softened ramp: the regions stay readable under the dots
  const k = 0.75 * Math.sqrt(s);
  return [MID[0] + (c[0] - MID[0]) * k, MID[1] + (c[1] - MID[1]) * k, MID[2] + (c[2] - MID[2]) * k];
}

/**
 * Computes the mean of sigmoid(logit) over `networks` (offsets into `params`,
 * D floats each) on a grid x grid lattice of cell centres over `box`, row 0 at
 * the box's y maximum; in slices: each call of the returned step function does
 * about `budgetMs` of work and returns true when the grid is done.
 */
export function decisionJob(
  layout: NetworkLayout, activation: Activation, params: ArrayLike<number>, networks: readonly number[],
  box: InputBox, grid: number, out: Float32Array,
): (budgetMs: number) => boolean {
  const hidden = new Float64Array(hiddenUnits(layout));
  let row = 0;
  const n = Math.max(1, networks.length);
  return (budgetMs) => {
    const t0 = performance.now();
    while (row < grid) {
      const y = box.y[1] - ((row + 0.5) / grid) * (box.y[1] - box.y[0]);
      for (let col = 0; col < grid; col++) {
        const x = box.x[0] + ((col + 0.5) / grid) * (box.x[1] - box.x[0]);
        let s = 0;
        for (const off of networks) s += sigmoid(forward(layout, activation, params, off, x, y, hidden));
        out[row * grid + col] = networks.length ? s / n : NaN;
      }
      row++;
      if (performance.now() - t0 > budgetMs) break;
    }
    return row >= grid;
  };
}

/** Paints probabilities (grid x grid, row 0 at the top), the 0.5 contour and the dataset into a size x size square of `ctx`. */
export function paintDecision(ctx: CanvasRenderingContext2D, probs: Float32Array, grid: number, dataset: Dataset, box: InputBox, size: number): void {
  const img = ctx.createImageData(grid, grid);
  for (let k = 0; k < grid * grid; k++) {
    const [r, g, b] = probabilityColor(probs[k]);
    img.data[4 * k] = r; img.data[4 * k + 1] = g; img.data[4 * k + 2] = b; img.data[4 * k + 3] = 255;
  }
  const tile = new OffscreenCanvas(grid, grid);
  tile.getContext('2d')!.putImageData(img, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(tile, 0, 0, size, size);
  // the decision boundary p = 0.5 (marching squares on the cell centres)
  const cell = size / grid;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let j = 0; j + 1 < grid; j++) {
    for (let i = 0; i + 1 < grid; i++) {
      const a = probs[j * grid + i] - 0.5, b = probs[j * grid + i + 1] - 0.5;
      const c = probs[(j + 1) * grid + i + 1] - 0.5, d = probs[(j + 1) * grid + i] - 0.5;
      if (![a, b, c, d].every(Number.isFinite)) continue;
      const px = (u: number) => (u + 0.5) * cell;
      const pts: [number, number][] = [];
      if (a < 0 !== b < 0) pts.push([px(i + a / (a - b)), px(j)]);
      if (b < 0 !== c < 0) pts.push([px(i + 1), px(j + b / (b - c))]);
      if (d < 0 !== c < 0) pts.push([px(i + d / (d - c)), px(j + 1)]);
      if (a < 0 !== d < 0) pts.push([px(i), px(j + a / (a - d))]);
      for (let k = 0; k + 1 < pts.length; k += 2) {
        ctx.moveTo(pts[k][0], pts[k][1]);
        ctx.lineTo(pts[k + 1][0], pts[k + 1][1]);
      }
    }
  }
  ctx.stroke();
  paintSamples(ctx, dataset, box, size);
  ctx.restore();
}

/** The dataset as dots: training samples filled, test samples hollow, coloured by label. */
export function paintSamples(ctx: CanvasRenderingContext2D, dataset: Dataset, box: InputBox, size: number): void {
  const n = dataset.labels.length;
  const r = Math.max(1.4, Math.min(3, size / (6 * Math.sqrt(n))));
  const sx = size / (box.x[1] - box.x[0]), sy = size / (box.y[1] - box.y[0]);
  const color = (label: number) => {
    const c = CLASS_COLORS[label > 0.5 ? 1 : 0];
    return `rgb(${Math.min(255, c[0] + 30)}, ${Math.min(255, c[1] + 30)}, ${Math.min(255, c[2] + 30)})`;
  };
  ctx.lineWidth = 1;
  for (let i = 0; i < n; i++) {
    const x = (dataset.inputs[2 * i] - box.x[0]) * sx, y = (box.y[1] - dataset.inputs[2 * i + 1]) * sy;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    if (i < dataset.nTrain) {
      ctx.fillStyle = color(dataset.labels[i]);
      ctx.strokeStyle = 'rgba(10, 12, 18, 0.8)';
      ctx.fill();
      ctx.stroke();
    } else {
      ctx.strokeStyle = color(dataset.labels[i]);
      ctx.lineWidth = 1.3;
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }
}
