// tanh-neuron: one tanh unit with weight w = x and bias b = y, fitted to a
// teacher unit. Inputs u_i ~ N(0, 1), targets t_i = tanh(teacherWeight u_i +
// teacherBias) + noise n_i (dataset sample i holds the standard normals
// (u_i, n_i, -, -)); per-sample loss (tanh(w u_i + b) - t_i)^2 / 2. Non-convex:
// saturation flattens the loss far from the teacher into plateaus.
import { gridSeeds, searchCriticalPoints } from './critical';
import { defineFiniteSumSurface } from './finite-sum';

export const tanhNeuron = defineFiniteSumSurface({
  name: 'tanh-neuron',
  title: 'Single tanh neuron',
  blurb: 'A saturating neuron: plateaus where the gradient all but vanishes, and minibatch noise that vanishes with it.',
  params: [
    { name: 'teacherWeight', default: 1.5, min: -4, max: 4, description: "teacher unit's weight (per input unit)" },
    { name: 'teacherBias', default: -0.5, min: -3, max: 3, description: "teacher unit's bias (pre-activation units)" },
    { name: 'noise', default: 0.1, min: 0, max: 1, description: 'standard deviation of the target noise (target units)' },
  ],
  defaultDomain: { x: [-4, 4], y: [-3, 3] },
  formula: 'mean_i (tanh(x·u_i + y) − t_i)²/2,  t_i = tanh(teacherWeight·u_i + teacherBias) + noise·n_i',
  bindSamples({ teacherWeight, teacherBias, noise }, data, count) {
    const input = (s: number) => data[4 * s];
    const targets = Float64Array.from({ length: count }, (_, s) => Math.tanh(teacherWeight * data[4 * s] + teacherBias) + noise * data[4 * s + 1]);
    /** Output o = tanh(w u + b), residual r = o - t and slope do/da = 1 - o^2 of sample s. */
    const unit = (x: number, y: number, s: number) => {
      const o = Math.tanh(x * input(s) + y);
      return { o, r: o - targets[s], slope: 1 - o * o };
    };
    return {
      value: (x, y, s) => unit(x, y, s).r ** 2 / 2,
      gradient(x, y, s) {
        const { r, slope } = unit(x, y, s);
        return [r * slope * input(s), r * slope];
      },
      hessian(x, y, s) {
        // d^2/da^2 of r^2/2 = slope^2 + r d(slope)/da = slope^2 - 2 r o slope; times (u, 1)(u, 1)^T
        const { o, r, slope } = unit(x, y, s);
        const k = slope * slope - 2 * r * o * slope;
        const u = input(s);
        return [k * u * u, k * u, k];
      },
    };
  },
  criticalPoints: (loss, domain) => searchCriticalPoints(loss, gridSeeds(domain, 8), domain, 'Newton on the exact gradient from an 8 x 8 grid over the domain'),
});
