// deep-linear: the scalar two-layer linear network. Weights (w1, w2) = (x, y),
// per-sample loss f_i = (w1 w2 u_i - t_i)^2 with inputs u_i ~ N(0, 1) and
// teacher targets t_i = teacher u_i + noise n_i (dataset sample i holds the
// standard normals (u_i, n_i, -, -)). Only the product w1 w2 matters, so the
// minima are the hyperbola w1 w2 = <u t> / <u^2> (<.> the dataset mean), a
// connected manifold; the origin, where both layers are zero, is a saddle.
import { classifyHessian } from './critical';
import { defineFiniteSumSurface } from './finite-sum';

export const deepLinear = defineFiniteSumSurface({
  name: 'deep-linear',
  title: 'Deep linear network',
  blurb: 'Minima on a hyperbola w1·w2 = const: a connected valley of solutions, and a saddle where both layers vanish.',
  params: [
    { name: 'teacher', default: 1, min: -3, max: 3, description: 'slope of the teacher t = teacher·u + noise (target units per input unit)' },
    { name: 'noise', default: 0.1, min: 0, max: 2, description: 'standard deviation of the label noise (target units)' },
  ],
  defaultDomain: { x: [-2, 2], y: [-2, 2] },
  formula: 'mean_i (x·y·u_i − t_i)²,  t_i = teacher·u_i + noise·n_i',
  bindSamples({ teacher, noise }, data) {
    const input = (s: number) => data[4 * s];
    const target = (s: number) => teacher * data[4 * s] + noise * data[4 * s + 1];
    // residual of sample s at (w1, w2)
    const residual = (x: number, y: number, s: number) => x * y * input(s) - target(s);
    return {
      value: (x, y, s) => residual(x, y, s) ** 2,
      gradient(x, y, s) {
        const k = 2 * residual(x, y, s) * input(s);
        return [k * y, k * x];
      },
      hessian(x, y, s) {
        const u = input(s);
        return [2 * u * u * y * y, 2 * u * (u * x * y + residual(x, y, s)), 2 * u * u * x * x];
      },
    };
  },
  criticalPoints(loss) {
    // at the origin the Hessian is [[0, -2<u t>], [-2<u t>, 0]]: a saddle unless <u t> = 0
    const kind = classifyHessian(loss.hessian(0, 0));
    return kind ? [{
      kind,
      at: [0, 0],
      value: loss.value(0, 0),
      source: 'analytic: grad = 2 (w1 w2 <u²> − <u t>) (w2, w1); the minima are the whole hyperbola w1 w2 = <u t>/<u²>, a connected manifold, so no isolated minimum is listed',
    }] : [];
  },
});
