// Statistics helpers for tests: reference laws and sample moments.

/** Standard normal CDF via erfc (Numerical Recipes erfc approximation, |error| < 1.2e-7). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Kolmogorov–Smirnov distance of a sample to a CDF (sorts a copy). */
export function ksDistance(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = Float64Array.from(sample).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(s[i]);
    d = Math.max(d, Math.abs(F - i / n), Math.abs(F - (i + 1) / n));
  }
  return d;
}

/** sqrt(n) * D exceeds this with probability ~alpha (Kolmogorov asymptotic tail 2 exp(-2 t^2)). */
export function ksCritical(alpha: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2);
}

export function meanVar(xs: ArrayLike<number>, stride = 1, offset = 0): { mean: number; variance: number; n: number } {
  let s = 0, s2 = 0, n = 0;
  for (let i = offset; i < xs.length; i += stride) { s += xs[i]; n++; }
  const mean = s / n;
  for (let i = offset; i < xs.length; i += stride) { const d = xs[i] - mean; s2 += d * d; }
  return { mean, variance: s2 / n, n };
}

/** Two-sample Kolmogorov–Smirnov distance sup_x |F_a(x) − F_b(x)| of the empirical CDFs (sorts copies). */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(a).sort(), y = Float64Array.from(b).sort();
  let i = 0, j = 0, d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}
