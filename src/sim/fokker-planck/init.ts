// Initial densities for the Fokker–Planck grid from a scenario's particle init.
import { gridGeometry, type Domain, type InitSpec } from './types';

const SQRT_PI = Math.sqrt(Math.PI);

/** erf(x), |error| < 1e-14 (series below 2.5, continued fraction for erfc above). */
export function erf(x: number): number {
  const z = Math.abs(x);
  if (z >= 2.5) return Math.sign(x) * (1 - erfcLarge(z));
  const x2 = x * x;
  let term = x, sum = x;
  for (let k = 1; k < 80; k++) {
    term *= -x2 / k;
    const add = term / (2 * k + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * sum;
}

/** erfc(x) without cancellation for large positive x. */
export function erfc(x: number): number {
  if (x >= 2.5) return erfcLarge(x);
  if (x <= -2.5) return 2 - erfcLarge(-x);
  return 1 - erf(x);
}

/** erfc for z >= 2.5: exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))) evaluated bottom-up. */
function erfcLarge(z: number): number {
  let frac = z;
  for (let k = 60; k >= 1; k--) frac = z + k / 2 / frac;
  return Math.exp(-z * z) / SQRT_PI / frac;
}

/** P(a < X < b) for X ~ N(mu, sigma^2), accurate in both tails. */
export function normalMass(a: number, b: number, mu: number, sigma: number): number {
  const za = (a - mu) / (sigma * Math.SQRT2), zb = (b - mu) / (sigma * Math.SQRT2);
  if (za >= 0) return 0.5 * (erfc(za) - erfc(zb));
  if (zb <= 0) return 0.5 * (erfc(-zb) - erfc(-za));
  return 0.5 * (erf(zb) - erf(za));
}

/**
 * Initial probabilities per cell (float64, sums to 1, density layout
 * iy*n + ix) for a particle init:
 *  - uniform: 1/n^2 in every cell;
 *  - gaussian(mean, std): the isotropic Gaussian integrated over each cell,
 *    truncated to the domain and renormalised (its variance on the grid is
 *    std^2 + h^2/12 per axis for std >> h, Sheppard's correction);
 *  - point(at): cloud-in-cell, the unit mass shared bilinearly by the four
 *    cells whose centres surround the point, so the grid mean equals the
 *    point exactly (a point within half a cell of a wall goes to the wall cells).
 */
export function initialDensity(init: InitSpec, domain: Domain, grid: number): Float64Array {
  const g = gridGeometry(grid, domain);
  const { n, hx, hy } = g;
  const [x0, x1] = domain.x;
  const [y0, y1] = domain.y;
  const p = new Float64Array(n * n);
  switch (init.kind) {
    case 'uniform':
      p.fill(1 / (n * n));
      return p;
    case 'gaussian': {
      const { mean, std } = init;
      if (!(std > 0) || !Number.isFinite(std) || !mean.every(Number.isFinite)) {
        throw new Error(`initialDensity: gaussian init needs a finite mean and std > 0 (got mean [${mean}], std ${std})`);
      }
      const px = new Float64Array(n), py = new Float64Array(n);
      let sx = 0, sy = 0;
      for (let i = 0; i < n; i++) {
        px[i] = normalMass(x0 + i * hx, x0 + (i + 1) * hx, mean[0], std);
        py[i] = normalMass(y0 + i * hy, y0 + (i + 1) * hy, mean[1], std);
        sx += px[i]; sy += py[i];
      }
      if (!(sx > 0) || !(sy > 0)) {
        throw new Error(`initialDensity: gaussian init at [${mean}] with std ${std} has no mass inside the domain x [${x0}, ${x1}] y [${y0}, ${y1}]; move the mean inside or widen std`);
      }
      for (let iy = 0; iy < n; iy++) for (let ix = 0; ix < n; ix++) p[iy * n + ix] = (px[ix] / sx) * (py[iy] / sy);
      return p;
    }
    case 'point': {
      const [x, y] = init.at;
      if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) {
        throw new Error(`initialDensity: point init [${x}, ${y}] lies outside the domain x [${x0}, ${x1}] y [${y0}, ${y1}]; move it inside`);
      }
      const share = (u: number): [number, number, number] => {
        // u in cell-centre units: centre i at u = i
        const i0 = Math.floor(u);
        if (i0 < 0) return [0, 0, 1];
        if (i0 >= n - 1) return [n - 1, n - 1, 1];
        return [i0, i0 + 1, 1 - (u - i0)];
      };
      const [ia, ib, wx] = share((x - x0) / hx - 0.5);
      const [ja, jb, wy] = share((y - y0) / hy - 0.5);
      p[ja * n + ia] += wx * wy;
      p[ja * n + ib] += (1 - wx) * wy;
      p[jb * n + ia] += wx * (1 - wy);
      p[jb * n + ib] += (1 - wx) * (1 - wy);
      return p;
    }
    default:
      throw new Error(`initialDensity: unknown init kind '${(init as { kind: string }).kind}'; use 'gaussian', 'uniform' or 'point'`);
  }
}
