// A finite-sum loss f = (1/N) sum_s f_s from its per-sample loss: value,
// gradient and Hessian as means, and the covariance of the per-sample gradients
// (the minibatch noise). WGSL counterpart: shaders/lib/surfaces/finite-sum-mean.wgsl.
// defineFiniteSumSurface is defineSurface for such a loss over a seeded dataset.
import { defineSurface, type SurfaceSpec } from '../define-surface';
import type { Domain, FiniteSum, Hessian3, KnownCriticalPoint, SurfaceDefinition, Vec2 } from '../surface-types';
import type { Derivatives } from './critical';
import { SAMPLES_PARAM, normalDataset, sampleCount } from './dataset';

export interface SampleLoss {
  /** one vec4f per sample */
  dataset: FiniteSum['dataset'];
  count: number;
  value(x: number, y: number, s: number): number;
  gradient(x: number, y: number, s: number): Vec2;
  hessian(x: number, y: number, s: number): Hessian3;
}

export function finiteSumLoss(loss: SampleLoss): Derivatives & { finiteSum: FiniteSum } {
  const n = loss.count;
  const gradient = (x: number, y: number): Vec2 => {
    let gx = 0, gy = 0;
    for (let s = 0; s < n; s++) {
      const [a, b] = loss.gradient(x, y, s);
      gx += a;
      gy += b;
    }
    return [gx / n, gy / n];
  };
  return {
    value(x, y) {
      let sum = 0;
      for (let s = 0; s < n; s++) sum += loss.value(x, y, s);
      return sum / n;
    },
    gradient,
    hessian(x, y) {
      let xx = 0, xy = 0, yy = 0;
      for (let s = 0; s < n; s++) {
        const h = loss.hessian(x, y, s);
        xx += h[0];
        xy += h[1];
        yy += h[2];
      }
      return [xx / n, xy / n, yy / n];
    },
    finiteSum: {
      dataset: loss.dataset,
      sampleCount: n,
      sampleValue: loss.value,
      sampleGradient: loss.gradient,
      gradientCovariance(x, y) {
        // two passes (mean, then centred products): no cancellation when the mean is large
        const [mx, my] = gradient(x, y);
        let cxx = 0, cxy = 0, cyy = 0;
        for (let s = 0; s < n; s++) {
          const [a, b] = loss.gradient(x, y, s);
          cxx += (a - mx) * (a - mx);
          cxy += (a - mx) * (b - my);
          cyy += (b - my) * (b - my);
        }
        return [cxx / n, cxy / n, cyy / n];
      },
    },
  };
}

/** A sample's loss and its derivatives (sample index s), for bound parameters over one dataset. */
export type SampleMath = Pick<SampleLoss, 'value' | 'gradient' | 'hessian'>;

export interface FiniteSumSpec extends Omit<SurfaceSpec, 'bind' | 'finiteSum'> {
  /**
   * Per-sample math for the bound parameter `values` over `data` (one vec4f of
   * standard normals per sample, `count` samples). `params` excludes `samples`:
   * it is appended as the last parameter (WGSL slot params.length).
   */
  bindSamples(values: Record<string, number>, data: Float32Array<ArrayBuffer>, count: number): SampleMath;
  /** the mean loss's known critical points inside the default domain */
  criticalPoints(loss: Derivatives, domain: Domain): KnownCriticalPoint[];
}

/** A catalogue surface that is the mean of a per-sample loss over a dataset drawn from the scenario seed. */
export function defineFiniteSumSurface(spec: FiniteSumSpec): SurfaceDefinition {
  return defineSurface({
    name: spec.name,
    title: spec.title,
    blurb: spec.blurb,
    params: [...spec.params, SAMPLES_PARAM],
    defaultDomain: spec.defaultDomain,
    formula: spec.formula,
    finiteSum: true,
    bind({ values, seed, domain }) {
      const count = sampleCount(values.samples);
      const data = normalDataset(seed, count);
      const loss = finiteSumLoss({ dataset: data, count, ...spec.bindSamples(values, data, count) });
      return {
        value: loss.value,
        gradient: loss.gradient,
        hessian: loss.hessian,
        criticalPoints: spec.criticalPoints(loss, domain),
        finiteSum: loss.finiteSum,
      };
    },
  });
}
