// The sampling law of KL(histogram || p) when the histogram really is n draws
// from p: Monte Carlo with Poisson cell counts (deterministic stream).
import { philox4x32, uniformOpen } from '../../src/rng/philox';

function poisson(lambda: number, next: () => number): number {
  if (lambda > 40) {
    // normal approximation with continuity correction (error far below the KL's own spread)
    const u1 = next(), u2 = next();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
  }
  const limit = Math.exp(-lambda);
  let k = 0, p = next();
  while (p > limit) { k++; p *= next(); }
  return k;
}

/** Mean and standard deviation of KL(hist || p) over `reps` simulated histograms of about n samples from p. */
export function klSamplingLaw(p: ArrayLike<number>, n: number, reps: number, seed = 1): { mean: number; sd: number } {
  let counter = 0;
  let buf: Uint32Array = new Uint32Array(0), at = 4;
  const next = () => {
    if (at === 4) { buf = philox4x32([counter++, 0, 0, 0], [seed, 0x4b4c]); at = 0; }
    return uniformOpen(buf[at++]);
  };
  let total = 0;
  for (let i = 0; i < p.length; i++) total += Math.max(0, p[i]);
  const kls: number[] = [];
  for (let r = 0; r < reps; r++) {
    const counts = new Float64Array(p.length);
    let m = 0;
    for (let i = 0; i < p.length; i++) { counts[i] = poisson((n * Math.max(0, p[i])) / total, next); m += counts[i]; }
    let kl = 0;
    for (let i = 0; i < p.length; i++) {
      if (counts[i] > 0) kl += (counts[i] / m) * Math.log(counts[i] / m / Math.max(p[i] / total, 1e-12));
    }
    kls.push(kl);
  }
  const mean = kls.reduce((a, b) => a + b, 0) / reps;
  const sd = Math.sqrt(kls.reduce((a, b) => a + (b - mean) ** 2, 0) / (reps - 1));
  return { mean, sd };
}
