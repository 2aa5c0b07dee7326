// Finite-volume coefficients of the Fokker–Planck operator, computed once in
// float64 on the CPU; the CPU reference steps with them in float64 and the GPU
// stencil (shaders/fokker_planck_step.wgsl) with their float32 copies.
//
// Unknowns: p_c, the probability in cell c (rho = p / (hx hy)). Every transfer
// is a flux between two cells computed once, so mass is conserved to rounding
// in every case; walls carry no flux.
//
// 1. Axis faces: Scharfetter–Gummel (SG). The flux -(rho f_x + d_x(a rho)) =
//    -(rho (f_x + a_x) + a rho_x) through the face between cells P and E,
//    with a frozen at the face mean a_f and the effective potential difference
//    Delta = (f_E - f_P) + (a_E - a_P) (the Ito term d_x a acts as a drift),
//    moves probability at the rate (1 / time)
//      Phi = (a_f/hx^2) [ B(Delta/a_f) p_P - B(-Delta/a_f) p_E ],  B(z) = z/(e^z - 1),
//    stored as the two rates (A, B) >= 0 per face; a_f -> 0 gives upwinding.
//    North faces likewise with b, hy. For constant a = b = T, Phi vanishes
//    exactly when p ∝ exp(-f/T): the discrete Gibbs density is an exact
//    zero-flux equilibrium, for any grid and any f.
//    a = Dxx, b = Dyy, except in the 'monotone' scheme (3).
// 2. Cross term 2 d_x d_y (Dxy rho) ('limited', 'central'): central flux form,
//    on the east face of (i, j)
//      Phi += -[q(i, j+) + q(i+1, j+) - q(i, j-) - q(i+1, j-)] / (2 (j+ - j-)),
//    q = Dxy p / (hx hy), j± = j ± 1 clamped to the grid (one-sided at walls),
//    and on the north face the same with x and y swapped. Second order, but a
//    9-point scheme with a non-dominant tensor cannot be monotone, so
//    'limited' clamps each face's total flux to
//      -(B + s_E) p_E <= Phi <= (A + s_P) p_P,
//    s_c = (1/dtLimit - out_c)/4 >= 0 the cell's spare outflow rate: every
//    cell then loses at most p_c dt / dtLimit <= p_c per substep (positivity),
//    and a pure SG flux is never clamped. The limiter is a no-op wherever the
//    cross flux is small against the density (it acts in far tails and at
//    sharp fronts, where the scheme becomes first order and nonlinear).
// 3. 'monotone': D is split per cell into lattice directions,
//      D = a ex ex^T + b ey ey^T + c e+ e+^T + d e- e-^T,
//    e+ = (hx, hy)/l, e- = (hx, -hy)/l, l = sqrt(hx^2 + hy^2), with
//    m = sign(Dxy) min(|Dxy|, Dxx hy/hx, Dyy hx/hy) after raising Dxx, Dyy to
//    make D diagonally dominant on the grid: a = Dxx - |m| hx/hy,
//    b = Dyy - |m| hy/hx; the c, d parts are pure diffusion of w rho along the
//    diagonals, an exchange P -> Q = P + (1, ±1) at the rate
//      Psi = g_P p_P - g_Q p_Q,  g+ = max(m, 0)/(hx hy), g- = max(-m, 0)/(hx hy).
//    Linear with every coefficient >= 0; first order where a or b is small
//    against the drift (SG tends to upwinding).
//
// Properties, by case:
//  - isotropic constant D = T I (all schemes): positivity for dt <= dtLimit,
//    exact discrete Gibbs equilibrium exp(-f/T)/Z with zero flux, H-theorem
//    (KL to it and the free energy never increase: the step is a stochastic
//    matrix fixing it), second order.
//  - diagonal D (constant or state-dependent): the same minus the closed-form
//    equilibrium; for constant D and separable f = g(x) + h(y) the zero-flux
//    equilibrium exp(-g/Dxx - h/Dyy) is exact.
//  - full or state-dependent D: 'limited' positive and conservative;
//    'central' linear and conservative only; 'monotone' linear, positive and
//    conservative, with the H-theorem toward its own stationary state. None has
//    a closed-form equilibrium (the PDE has none either); the stationary state
//    comes from relaxation (relax.ts relaxToStationary).
//
// Explicit Euler limit: positivity of the linear part needs 1 - dt out_c >= 0
// for every cell, out_c its total outflow rate; with a cross term we also keep
// the column Gershgorin discs inside |z| <= 1 and leave the limiter its slack:
// dtLimit = 1 / max_c(out_c + R_c/2), R_c the summed |weights| of p_c in the
// cross fluxes.
import type { Hessian3, Surface } from '../../model/surface-types';
import { cellX, cellY, gridGeometry, sampleAtCentres, type DiffusionSpec, type Domain, type GridGeometry, type OffDiagonalScheme } from './types';
import { formatNumber } from '../../model/format';

/** Bernoulli function B(z) = z / (e^z - 1), B(0) = 1, accurate for all z. */
export function bernoulli(z: number): number {
  if (Math.abs(z) < 1e-3) {
    const z2 = z * z;
    return 1 - z / 2 + z2 / 12 - (z2 * z2) / 720;
  }
  return z / Math.expm1(z);
}

/** A diffusion tensor field resolved to per-cell values (float64) or one constant. */
export interface ResolvedDiffusion {
  /** per-cell (Dxx, Dxy, Dyy) at cell c */
  at(c: number): Hessian3;
  /** true when D is the same in every cell */
  constant: boolean;
  /** scalar temperature for the free energy and the Gibbs reference */
  temperature: number;
  /** what the spec was, for messages */
  kind: DiffusionSpec['kind'];
}

function checkTensor(where: string, dxx: number, dxy: number, dyy: number): void {
  const scale = Math.abs(dxx) + Math.abs(dyy);
  if (![dxx, dxy, dyy].every(Number.isFinite) || dxx < 0 || dyy < 0 || dxx * dyy - dxy * dxy < -1e-12 * scale * scale) {
    throw new Error(
      `FokkerPlanckGrid: diffusion ${where} (Dxx ${dxx}, Dxy ${dxy}, Dyy ${dyy}) is not symmetric positive semi-definite; ` +
        'give Dxx >= 0, Dyy >= 0 and Dxy^2 <= Dxx Dyy',
    );
  }
}

/** Resolves a DiffusionSpec on a grid (samples covariances at cell centres). */
export function resolveDiffusion(spec: DiffusionSpec, g: GridGeometry, surface?: Surface): ResolvedDiffusion {
  const cells = g.n * g.n;
  const positiveT = (T: number, what: string) => {
    if (!(T > 0) || !Number.isFinite(T)) throw new Error(`FokkerPlanckGrid: ${what} ${T} must be a positive finite number`);
  };
  switch (spec.kind) {
    case 'isotropic': {
      positiveT(spec.temperature, 'temperature');
      const t: Hessian3 = [spec.temperature, 0, spec.temperature];
      return { at: () => t, constant: true, temperature: spec.temperature, kind: spec.kind };
    }
    case 'constant': {
      positiveT(spec.temperature, 'temperature');
      const [[mxx, mxy], [myx, myy]] = spec.matrix;
      if (Math.abs(mxy - myx) > 1e-12 * (Math.abs(mxy) + Math.abs(myx) + 1e-300)) {
        throw new Error(`FokkerPlanckGrid: diffusion matrix [[${mxx}, ${mxy}], [${myx}, ${myy}]] is not symmetric; give M[0][1] = M[1][0]`);
      }
      const T = spec.temperature;
      const t: Hessian3 = [T * mxx, T * mxy, T * myy];
      checkTensor('matrix T*M', ...t);
      return { at: () => t, constant: true, temperature: T, kind: spec.kind };
    }
    case 'field':
    case 'minibatch': {
      const dxx = new Float64Array(cells), dxy = new Float64Array(cells), dyy = new Float64Array(cells);
      if (spec.kind === 'field') {
        for (const [name, arr] of [['dxx', spec.dxx], ['dxy', spec.dxy], ['dyy', spec.dyy]] as const) {
          if (arr.length !== cells) throw new Error(`FokkerPlanckGrid: diffusion field ${name} has ${arr.length} values; the grid needs ${g.n}*${g.n} = ${cells}`);
        }
        for (let c = 0; c < cells; c++) { dxx[c] = spec.dxx[c]; dxy[c] = spec.dxy[c]; dyy[c] = spec.dyy[c]; }
      } else {
        if (!(spec.lr > 0) || !(spec.batchSize >= 1)) {
          throw new Error(`FokkerPlanckGrid: minibatch diffusion needs lr > 0 and batchSize >= 1 (got lr ${spec.lr}, batchSize ${spec.batchSize})`);
        }
        const cov = spec.covariance ?? surface?.finiteSum?.gradientCovariance.bind(surface.finiteSum);
        if (!cov) {
          throw new Error("FokkerPlanckGrid: minibatch diffusion needs a finite-sum surface (with finiteSum.gradientCovariance) or a 'covariance' function");
        }
        const k = spec.lr / (2 * spec.batchSize); // D = lr/(2B) Sigma
        for (let iy = 0; iy < g.n; iy++) {
          const y = cellY(g, iy);
          for (let ix = 0; ix < g.n; ix++) {
            const c = iy * g.n + ix;
            const [sxx, sxy, syy] = cov(cellX(g, ix), y);
            dxx[c] = k * sxx; dxy[c] = k * sxy; dyy[c] = k * syy;
          }
        }
      }
      let traceSum = 0;
      for (let c = 0; c < cells; c++) {
        // clamp tiny negative rounding (covariances are PSD mathematically)
        const det = dxx[c] * dyy[c] - dxy[c] * dxy[c];
        const scale = Math.abs(dxx[c]) + Math.abs(dyy[c]);
        if (det < 0 && det >= -1e-12 * scale * scale) dxy[c] = Math.sign(dxy[c]) * Math.sqrt(Math.max(0, dxx[c] * dyy[c]));
        checkTensor(`at cell ${c} (ix ${c % g.n}, iy ${Math.floor(c / g.n)})`, dxx[c], dxy[c], dyy[c]);
        traceSum += dxx[c] + dyy[c];
      }
      const temperature = spec.temperature ?? traceSum / (2 * cells);
      positiveT(temperature, 'temperature (mean trace(D)/2 unless given)');
      return { at: (c) => [dxx[c], dxy[c], dyy[c]], constant: false, temperature, kind: spec.kind };
    }
  }
}

export type FloatArray = Float32Array | Float64Array;

export interface FokkerPlanckCoefficients {
  geometry: GridGeometry;
  /** per cell [A_east, B_east, A_north, B_north] (1/time): Phi = A p_P - B p_E; 0 on wall faces */
  axis: FloatArray;
  /** per cell [g+, g-] (1/time) for diagonal exchanges, or null when D has no dominant off-diagonal part */
  diag: FloatArray | null;
  /** per cell [Dxy / (hx hy), limiter slack s_c] (1/time) for the cross flux, or null without one ('monotone', or Dxy = 0) */
  cross: FloatArray | null;
  /** largest stable explicit Euler substep (PDE time) */
  dtLimit: number;
  /** scalar temperature T for the free energy and the Gibbs reference */
  temperature: number;
  /** positivity is guaranteed for dt <= dtLimit (false only for 'central' with a cross term) */
  positive: boolean;
  /** the cross flux is clamped per face ('limited' with a cross term): the step is nonlinear where it acts */
  limited: boolean;
  /** D = T I with constant T: exp(-f/T)/Z is an exact zero-flux equilibrium */
  exactGibbs: boolean;
  /** largest increase of Dxx or Dyy made by the 'monotone' scheme (0 otherwise) */
  addedDiffusion: number;
  scheme: OffDiagonalScheme;
}

/**
 * Builds the coefficients for f sampled at cell centres (float64 math; the
 * arrays are stored as `precision`).
 */
export function buildCoefficients(
  g: GridGeometry,
  f: ArrayLike<number>,
  diffusion: ResolvedDiffusion,
  scheme: OffDiagonalScheme = 'limited',
  precision: 'f64' | 'f32' = 'f64',
): FokkerPlanckCoefficients {
  const { n, hx, hy } = g;
  const cells = n * n;
  if (f.length !== cells) throw new Error(`FokkerPlanckGrid: potential has ${f.length} values; the grid needs ${n}*${n} = ${cells}`);
  for (let c = 0; c < cells; c++) {
    if (!Number.isFinite(f[c])) {
      throw new Error(`FokkerPlanckGrid: loss f is ${f[c]} at cell ix ${c % n}, iy ${Math.floor(c / n)}; shrink the domain to where the loss is finite`);
    }
  }
  const Arr = precision === 'f64' ? Float64Array : Float32Array;
  const s = hx / hy;
  const ihxy = 1 / (hx * hy);

  // Per-cell split of D into axis weights a, b, the diagonal-exchange part m and the cross part r.
  const a = new Float64Array(cells), b = new Float64Array(cells), m = new Float64Array(cells), r = new Float64Array(cells);
  let addedDiffusion = 0;
  let anyDiag = false, anyCross = false;
  for (let c = 0; c < cells; c++) {
    let [dxx, dxy, dyy] = diffusion.at(c);
    if (scheme === 'monotone') {
      const nxx = Math.max(dxx, Math.abs(dxy) * s), nyy = Math.max(dyy, Math.abs(dxy) / s);
      addedDiffusion = Math.max(addedDiffusion, nxx - dxx, nyy - dyy);
      dxx = nxx; dyy = nyy;
      const mm = Math.sign(dxy) * Math.min(Math.abs(dxy), dxx / s, dyy * s);
      m[c] = mm;
      a[c] = Math.max(0, dxx - Math.abs(mm) * s);
      b[c] = Math.max(0, dyy - Math.abs(mm) / s);
      if (mm !== 0) anyDiag = true;
    } else {
      a[c] = dxx;
      b[c] = dyy;
      r[c] = dxy;
      if (dxy !== 0) anyCross = true;
    }
  }

  const axis = new Arr(4 * cells);
  const sg = (delta: number, dFace: number, h: number, out: FloatArray, k: number) => {
    const ih2 = 1 / (h * h);
    if (dFace > 0) {
      const z = delta / dFace;
      out[k] = dFace * ih2 * bernoulli(z);
      out[k + 1] = dFace * ih2 * bernoulli(-z);
    } else {
      // no diffusion across this face: first-order upwinding of the drift
      out[k] = Math.max(-delta, 0) * ih2;
      out[k + 1] = Math.max(delta, 0) * ih2;
    }
  };
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) {
      const c = iy * n + ix;
      if (ix + 1 < n) sg(f[c + 1] - f[c] + (a[c + 1] - a[c]), 0.5 * (a[c] + a[c + 1]), hx, axis, 4 * c);
      if (iy + 1 < n) sg(f[c + n] - f[c] + (b[c + n] - b[c]), 0.5 * (b[c] + b[c + n]), hy, axis, 4 * c + 2);
    }
  }

  let diag: FloatArray | null = null;
  if (anyDiag) {
    diag = new Arr(2 * cells);
    for (let c = 0; c < cells; c++) {
      diag[2 * c] = Math.max(m[c], 0) * ihxy;
      diag[2 * c + 1] = Math.max(-m[c], 0) * ihxy;
    }
  }
  let cross: FloatArray | null = null;
  if (anyCross) {
    cross = new Arr(2 * cells); // [Dxy/(hx hy), limiter slack s_c] per cell; slack filled below
    for (let c = 0; c < cells; c++) cross[2 * c] = r[c] * ihxy;
  }

  // Stable substep: outflow rate of each cell (+ half its cross-flux Gershgorin radius).
  const rate = new Float64Array(cells);
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) {
      const c = iy * n + ix;
      let out = axis[4 * c] + axis[4 * c + 2];
      if (ix > 0) out += axis[4 * (c - 1) + 1];
      if (iy > 0) out += axis[4 * (c - n) + 3];
      if (diag) {
        const nPlus = (ix + 1 < n && iy + 1 < n ? 1 : 0) + (ix > 0 && iy > 0 ? 1 : 0);
        const nMinus = (ix + 1 < n && iy > 0 ? 1 : 0) + (ix > 0 && iy + 1 < n ? 1 : 0);
        out += diag[2 * c] * nPlus + diag[2 * c + 1] * nMinus;
      }
      rate[c] += out;
    }
  }
  const radius = new Float64Array(cross ? cells : 0);
  if (cross) {
    // each face's cross flux moves |w q| out of one cell into the other: half its column radius 2|w rr| is |w rr|
    for (let iy = 0; iy < n; iy++) {
      for (let ix = 0; ix < n; ix++) {
        if (ix + 1 < n) {
          const jm = Math.max(iy - 1, 0), jp = Math.min(iy + 1, n - 1);
          const w = 1 / (2 * (jp - jm));
          for (const cc of [jp * n + ix, jp * n + ix + 1, jm * n + ix, jm * n + ix + 1]) radius[cc] += w * Math.abs(cross[2 * cc]);
        }
        if (iy + 1 < n) {
          const im = Math.max(ix - 1, 0), ip = Math.min(ix + 1, n - 1);
          const w = 1 / (2 * (ip - im));
          for (const cc of [iy * n + ip, (iy + 1) * n + ip, iy * n + im, (iy + 1) * n + im]) radius[cc] += w * Math.abs(cross[2 * cc]);
        }
      }
    }
  }
  let maxRate = 0;
  for (let c = 0; c < cells; c++) maxRate = Math.max(maxRate, rate[c] + (cross ? radius[c] : 0));
  const dtLimit = maxRate > 0 ? 1 / maxRate : Infinity;
  if (cross) for (let c = 0; c < cells; c++) cross[2 * c + 1] = Math.max(0, (maxRate - rate[c]) / 4);

  const t0 = diffusion.at(0);
  // D = T I exactly, with T the temperature of the Gibbs reference
  const exactGibbs = diffusion.constant && t0[1] === 0 && t0[0] === t0[2] && t0[0] === diffusion.temperature;
  return {
    geometry: g,
    axis,
    diag,
    cross,
    dtLimit,
    temperature: diffusion.temperature,
    positive: !anyCross || scheme === 'limited',
    limited: anyCross && scheme === 'limited',
    exactGibbs,
    addedDiffusion,
    scheme,
  };
}

/** The explicit substep used when none is asked for: 0.9 of the stable limit. */
export const DEFAULT_DT_FRACTION = 0.9;

/** Checks a requested substep against the limit; returns the substep to use. */
export function chooseDt(dtLimit: number, requested?: number): number {
  if (requested === undefined) return DEFAULT_DT_FRACTION * dtLimit;
  if (!(requested > 0) || !Number.isFinite(requested)) {
    throw new Error(`FokkerPlanckGrid: dt ${requested} is not a positive number; omit it to use ${formatNumber(DEFAULT_DT_FRACTION * dtLimit)} (0.9 of the stable limit)`);
  }
  if (requested > dtLimit) {
    throw new Error(`FokkerPlanckGrid: dt ${formatNumber(requested)} exceeds the stable limit ${formatNumber(dtLimit)} for this grid; lower dt or coarsen the grid`);
  }
  return requested;
}

/** Loss sampled at the cell centres (float64) from values or a Surface. */
export function potentialOnGrid(g: GridGeometry, potential: ArrayLike<number> | Surface): Float64Array {
  if (isSurface(potential)) return sampleAtCentres(g, (x, y) => potential.value(x, y));
  const cells = g.n * g.n;
  if (potential.length !== cells) {
    throw new Error(`FokkerPlanckGrid: potential has ${potential.length} values; the grid needs ${g.n}*${g.n} = ${cells} (cell (ix, iy) at iy*n + ix)`);
  }
  return Float64Array.from(potential);
}

export function isSurface(x: unknown): x is Surface {
  return typeof x === 'object' && x !== null && typeof (x as Surface).value === 'function';
}

/** log of the discrete Gibbs probabilities exp(-f/T)/Z at cell centres (sum of exp = 1). */
export function gibbsLog(f: ArrayLike<number>, temperature: number): Float64Array {
  let fmin = Infinity;
  for (let c = 0; c < f.length; c++) fmin = Math.min(fmin, f[c]);
  const out = new Float64Array(f.length);
  let z = 0;
  for (let c = 0; c < f.length; c++) {
    out[c] = -(f[c] - fmin) / temperature;
    z += Math.exp(out[c]);
  }
  const logZ = Math.log(z);
  for (let c = 0; c < f.length; c++) out[c] -= logZ;
  return out;
}

/** The discrete Gibbs probabilities exp(-f/T)/Z (float64, sums to 1). */
export function gibbs(f: ArrayLike<number>, temperature: number): Float64Array {
  return gibbsLog(f, temperature).map(Math.exp);
}

/** Everything the solvers need from the options, in one call. */
export function prepare(
  n: number,
  domain: Domain,
  potential: ArrayLike<number> | Surface,
  diffusion: DiffusionSpec,
  scheme: OffDiagonalScheme = 'limited',
  precision: 'f64' | 'f32' = 'f64',
): { geometry: GridGeometry; f: Float64Array; coefficients: FokkerPlanckCoefficients } {
  const geometry = gridGeometry(n, domain);
  const f = potentialOnGrid(geometry, potential);
  const resolved = resolveDiffusion(diffusion, geometry, isSurface(potential) ? potential : undefined);
  return { geometry, f, coefficients: buildCoefficients(geometry, f, resolved, scheme, precision) };
}
