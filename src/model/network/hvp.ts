// Hessian-vector products of a network's full training loss, exact in float64:
// Pearlmutter's R-operator (forward-over-reverse differentiation). The loss is
//   L(w) = (1/n) sum_s bce(logit(x_s; w), y_s) + (lambda/2) |W|^2
// over the n training samples (weights W only, not biases), and
//   H v = d/dr grad L(w + r v) at r = 0.
// The R-forward pass carries R{z}, the derivative of each pre-activation along
// v, beside z; the backward pass carries R{delta} beside delta:
//   R{a} = s R{z} with slope s = 1 - a^2 (tanh) or [a > 0] (relu),
//   R{s} = -2 a R{a} (tanh), 0 (relu);
//   logit z, p = sigmoid(z): delta = (p - y)/n, R{delta} = p (1 - p) R{z} / n;
//   a layer with inputs h: (Hv)_{W_oi} += R{delta_o} h_i + delta_o R{h_i}, (Hv)_{b_o} += R{delta_o};
//   below it: g_i = sum_o W_oi delta_o, R{g_i} = sum_o (V_oi delta_o + W_oi R{delta_o}),
//             delta_i = s_i g_i, R{delta_i} = s_i R{g_i} + R{s_i} g_i.
// The CPU reference of shaders/network_hvp.wgsl (same recurrences, any
// summation order). Optionally, beside H v, a first-order bound on the error of
// the same computation carried out in float32 with float32 parameters, inputs
// and v (the GPU's), for the tests' tolerances: each quantity q carries e(q)
// with the rules of running error analysis (u = 2^-24, gamma_m = m u / (1 - m u)):
//   a sum of m products t_k = alpha_k beta_k: gamma_m sum |t_k| + sum (|alpha_k| e(beta_k) + |beta_k| e(alpha_k));
//   tanh: s e(z) + 2^-20 (WGSL leaves tanh's accuracy to the implementation; the
//   lab's tests allow 2^-20 absolute); exp(x): (3 + 2|x|) ulp (WGSL);
//   the sum over n samples: gamma_n sum_s |term_s| + sum_s e(term_s).
// relu's kink is not covered (a unit within its error of z = 0 may flip).
import { hiddenUnits, sigmoid } from './mlp';
import type { Activation, NetworkLayout } from './spec';

/** The full-batch training loss whose Hessian is taken. */
export interface LossProblem {
  layout: NetworkLayout;
  activation: Activation;
  /** x0 y0 x1 y1 ... (input units); the first n samples are the training split */
  inputs: ArrayLike<number>;
  labels: ArrayLike<number>;
  /** training samples n */
  n: number;
  /** lambda (the loss adds lambda/2 |W|^2, weights only) */
  weightDecay: number;
}

export const F32_UNIT_ROUNDOFF = 2 ** -24;
const U = F32_UNIT_ROUNDOFF;
const TANH_ABS = 2 ** -20;
const gamma = (m: number) => (m * U) / (1 - m * U);

/** Scratch of one product: hidden values and their R-parts, deltas, and their error bounds. */
class Scratch {
  readonly a: Float64Array; readonly ra: Float64Array; readonly ea: Float64Array; readonly era: Float64Array;
  d = new Float64Array(64); rd = new Float64Array(64); ed = new Float64Array(64); erd = new Float64Array(64);
  nd = new Float64Array(64); nrd = new Float64Array(64); ned = new Float64Array(64); nerd = new Float64Array(64);
  constructor(units: number) {
    this.a = new Float64Array(units); this.ra = new Float64Array(units);
    this.ea = new Float64Array(units); this.era = new Float64Array(units);
  }
  swap(): void {
    [this.d, this.nd] = [this.nd, this.d];
    [this.rd, this.nrd] = [this.nrd, this.rd];
    [this.ed, this.ned] = [this.ned, this.ed];
    [this.erd, this.nerd] = [this.nerd, this.erd];
  }
}

/**
 * out[0..D) = H v, the Hessian of the problem's loss at params[offset..offset+D)
 * times v (weight decay included). `bound`, when given, receives per component
 * a bound on |fl32(H v) - H v| (see the file's head).
 */
export function hessianVector(problem: LossProblem, params: ArrayLike<number>, offset: number, v: ArrayLike<number>, out: Float64Array, bound?: Float64Array): void {
  const { layout, activation, inputs, labels, n, weightDecay } = problem;
  const D = layout.params;
  const relu = activation === 'relu';
  const layers = layout.layers;
  const last = layers.length - 1;
  const s = new Scratch(hiddenUnits(layout));
  // start of layer l's inputs in the packed hidden arrays (l >= 1)
  const inputAt = new Int32Array(layers.length);
  for (let l = 2; l < layers.length; l++) inputAt[l] = inputAt[l - 1] + layers[l - 1].fanIn;
  out.fill(0, 0, D);
  const magnitude = bound ? new Float64Array(D) : null;
  bound?.fill(0, 0, D);
  const w = 1 / n;
  const P = (d: number) => params[offset + d];
  for (let smp = 0; smp < n; smp++) {
    const x = inputs[2 * smp], y = inputs[2 * smp + 1], label = labels[smp];
    // inputs of layer l: (x, y) for l = 0 (exact, R-part 0), else the hidden units at inputAt[l]
    const h = (l: number, i: number) => (l === 0 ? (i === 0 ? x : y) : s.a[inputAt[l] + i]);
    const rh = (l: number, i: number) => (l === 0 ? 0 : s.ra[inputAt[l] + i]);
    const eh = (l: number, i: number) => (l === 0 ? 0 : s.ea[inputAt[l] + i]);
    const erh = (l: number, i: number) => (l === 0 ? 0 : s.era[inputAt[l] + i]);
    let z = 0, rz = 0, ez = 0, erz = 0;
    for (let l = 0; l <= last; l++) {
      const { fanIn, fanOut, weightOffset, biasOffset } = layers[l];
      const dst = l === 0 ? 0 : inputAt[l] + fanIn;
      for (let o = 0; o < fanOut; o++) {
        const b = P(biasOffset + o), vb = v[biasOffset + o];
        let zo = b, rzo = vb, zMag = Math.abs(b), rzMag = Math.abs(vb), zCarry = 0, rzCarry = 0;
        for (let i = 0; i < fanIn; i++) {
          const at = weightOffset + o * fanIn + i;
          const W = P(at), V = v[at], hi = h(l, i), rhi = rh(l, i);
          zo += W * hi;
          rzo += V * hi + W * rhi;
          if (bound) {
            zMag += Math.abs(W * hi);
            rzMag += Math.abs(V * hi) + Math.abs(W * rhi);
            zCarry += Math.abs(W) * eh(l, i);
            rzCarry += Math.abs(V) * eh(l, i) + Math.abs(W) * erh(l, i);
          }
        }
        const ezo = gamma(fanIn + 1) * zMag + zCarry, erzo = gamma(2 * fanIn + 1) * rzMag + rzCarry;
        if (l === last) {
          z = zo; rz = rzo; ez = ezo; erz = erzo;
          continue;
        }
        const a = relu ? Math.max(zo, 0) : Math.tanh(zo);
        const slope = relu ? (a > 0 ? 1 : 0) : 1 - a * a;
        s.a[dst + o] = a;
        s.ra[dst + o] = slope * rzo;
        if (bound) {
          const ea = relu ? ezo : slope * ezo + TANH_ABS;
          const es = relu ? 0 : 2 * Math.abs(a) * ea + 2 * U;
          s.ea[dst + o] = ea;
          s.era[dst + o] = slope * erzo + Math.abs(rzo) * es + U * Math.abs(slope * rzo);
        }
      }
    }
    // the logit's delta and its R-part, each sample weighted by w = 1/n
    const p = sigmoid(z), q = p * (1 - p);
    s.d[0] = w * (p - label);
    s.rd[0] = w * q * rz;
    if (bound) {
      const ep = q * (ez + (3 + 2 * Math.abs(z)) * U) + 2 * U * p;
      s.ed[0] = w * (ep + U * Math.abs(p - label)) + 2 * U * Math.abs(s.d[0]);
      s.erd[0] = w * (Math.abs(rz) * (ep + 3 * U * q) + q * erz) + 3 * U * Math.abs(s.rd[0]);
    }
    for (let l = last; l >= 0; l--) {
      const { fanIn, fanOut, weightOffset, biasOffset } = layers[l];
      for (let o = 0; o < fanOut; o++) {
        const dl = s.d[o], rdl = s.rd[o];
        out[biasOffset + o] += rdl;
        if (bound) {
          magnitude![biasOffset + o] += Math.abs(rdl);
          bound[biasOffset + o] += s.erd[o];
        }
        for (let i = 0; i < fanIn; i++) {
          const at = weightOffset + o * fanIn + i;
          const hi = h(l, i), rhi = rh(l, i);
          out[at] += rdl * hi + dl * rhi;
          if (bound) {
            const m = Math.abs(rdl * hi) + Math.abs(dl * rhi);
            magnitude![at] += m;
            bound[at] += Math.abs(rdl) * eh(l, i) + Math.abs(hi) * s.erd[o] + Math.abs(dl) * erh(l, i) + Math.abs(rhi) * s.ed[o] + gamma(2) * m;
          }
        }
      }
      if (l === 0) break;
      // deltas of this layer's inputs (the hidden units of layer l - 1)
      const src = inputAt[l];
      for (let i = 0; i < fanIn; i++) {
        let g = 0, rg = 0, gMag = 0, rgMag = 0, gCarry = 0, rgCarry = 0;
        for (let o = 0; o < fanOut; o++) {
          const at = weightOffset + o * fanIn + i;
          const W = P(at), V = v[at];
          g += W * s.d[o];
          rg += V * s.d[o] + W * s.rd[o];
          if (bound) {
            gMag += Math.abs(W * s.d[o]);
            rgMag += Math.abs(V * s.d[o]) + Math.abs(W * s.rd[o]);
            gCarry += Math.abs(W) * s.ed[o];
            rgCarry += Math.abs(V) * s.ed[o] + Math.abs(W) * s.erd[o];
          }
        }
        const a = s.a[src + i], ra = s.ra[src + i];
        const slope = relu ? (a > 0 ? 1 : 0) : 1 - a * a;
        const rslope = relu ? 0 : -2 * a * ra;
        s.nd[i] = slope * g;
        s.nrd[i] = slope * rg + rslope * g;
        if (bound) {
          const eg = gamma(fanOut) * gMag + gCarry, erg = gamma(2 * fanOut) * rgMag + rgCarry;
          const ea = s.ea[src + i], era = s.era[src + i];
          const es = relu ? 0 : 2 * Math.abs(a) * ea + 2 * U;
          const ers = relu ? 0 : 2 * (Math.abs(ra) * ea + Math.abs(a) * era) + 4 * U * Math.abs(a * ra);
          s.ned[i] = Math.abs(slope) * eg + Math.abs(g) * es + U * Math.abs(slope * g);
          s.nerd[i] = Math.abs(slope) * erg + Math.abs(rg) * es + Math.abs(rslope) * eg + Math.abs(g) * ers + gamma(2) * (Math.abs(slope * rg) + Math.abs(rslope * g));
        }
      }
      s.swap();
    }
  }
  // weight decay: + lambda v on the weights
  for (const { fanIn, fanOut, weightOffset } of layers) {
    for (let d = weightOffset; d < weightOffset + fanIn * fanOut; d++) out[d] += weightDecay * v[d];
  }
  if (bound) {
    const isWeight = new Uint8Array(D);
    for (const { fanIn, fanOut, weightOffset } of layers) isWeight.fill(1, weightOffset, weightOffset + fanIn * fanOut);
    for (let d = 0; d < D; d++) {
      // the sum over n samples, then lambda (a float32 uniform) times v and the add
      bound[d] += gamma(n) * magnitude![d] + (isWeight[d] ? 2 * U * Math.abs(weightDecay * v[d]) : 0) + U * Math.abs(out[d]);
    }
  }
}
