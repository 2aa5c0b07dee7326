// The numbers of a scenario as the GPU will see them (float32): rules that the
// schema's types and ranges cannot say alone. Each problem names the field,
// the value and what would be allowed (see float32.ts for why each limit).
import { F32_BELOW_ONE, MAX_COORDINATE, MAX_DIFFUSION_ENTRY, MIN_DIVISOR, MIN_RELATIVE_WIDTH, roundsToOne } from './float32';
import { show } from './issue-text';
import type { ParsedScenario, PanelSpec } from './scenario-schema';
import type { Domain, Vec2 } from './surface-types';

type Matrix2 = [[number, number], [number, number]];

/**
 * Particles farther than this many domain widths outside the domain count as
 * diverged: BOUND_WIDTHS of src/sim/particles/step-config.ts (a layer above;
 * tests/unit/hostile.test.ts checks the two agree).
 */
export const DIVERGENCE_BOUND_WIDTHS = 50;

/** Problems of the numbers that do not depend on the surface (before it is resolved). */
export function float32Problems(s: ParsedScenario): string[] {
  const problems: string[] = [];
  if (s.domain) {
    for (const axis of ['x', 'y'] as const) problems.push(...domainAxisProblems(`domain.${axis}`, s.domain[axis]));
  }
  const init = s.particles.init;
  if (init.kind === 'gaussian') problems.push(...pointProblems('particles.init.mean', init.mean));
  if (init.kind === 'point') problems.push(...pointProblems('particles.init.at', init.at));
  const a = s.analysis;
  if (a?.path) problems.push(...pointProblems('analysis.path.from', a.path.from), ...pointProblems('analysis.path.to', a.path.to));
  if (a?.escape) problems.push(...pointProblems('analysis.escape.minimum', a.escape.minimum), ...pointProblems('analysis.escape.saddle', a.escape.saddle));
  s.panels.forEach((p, i) => problems.push(...panelProblems(`panels[${i}]`, p)));
  if (s.fokkerPlanck?.integrator === 'adi') {
    s.panels.forEach((p, i) => {
      if (p.optimizer.kind !== 'sgd') return;
      const n = p.noise;
      if (n.kind === 'langevin' && n.temperature > 0 && n.diffusion && (n.diffusion[0][1] !== 0 || n.diffusion[1][0] !== 0)) {
        problems.push(`fokkerPlanck.integrator: 'adi' needs a diagonal diffusion, but panels[${i}].noise.diffusion ${show(n.diffusion)} is correlated; use 'euler' or 'auto'`);
      }
      if (n.kind === 'minibatch') {
        problems.push(`fokkerPlanck.integrator: 'adi' needs a diagonal diffusion, but panels[${i}] has minibatch noise (its covariance has off-diagonal terms); use 'euler' or 'auto'`);
      }
    });
  }
  return problems;
}

function domainAxisProblems(where: string, [lo, hi]: Vec2): string[] {
  if (Math.max(Math.abs(lo), Math.abs(hi)) > MAX_COORDINATE) {
    return [`${where}: ${show([lo, hi])} is too far out for float32; both ends must be within ±${MAX_COORDINATE}`];
  }
  const minWidth = MIN_RELATIVE_WIDTH * Math.max(1, Math.abs(lo), Math.abs(hi));
  if (hi - lo < minWidth) {
    return [`${where}: ${show([lo, hi])} is too narrow for float32; its width must be >= ${minWidth.toPrecision(3)} (1e-6 of max(1, |min|, |max|))`];
  }
  return [];
}

function pointProblems(where: string, p: Vec2): string[] {
  return Math.max(Math.abs(p[0]), Math.abs(p[1])) > MAX_COORDINATE
    ? [`${where}: ${show(p)} is too far out for float32; each coordinate must be within ±${MAX_COORDINATE}`]
    : [];
}

function belowOne(where: string, v: number): string[] {
  return roundsToOne(v) ? [`${where}: ${v} rounds to 1 in float32; it must be <= ${F32_BELOW_ONE}`] : [];
}

function divisor(where: string, v: number, zeroAllowed: boolean): string[] {
  if (v === 0 && zeroAllowed) return [];
  return v < MIN_DIVISOR ? [`${where}: ${v} is too small for float32 (the GPU divides by it); it must be >= ${MIN_DIVISOR}${zeroAllowed ? ' or 0' : ''}`] : [];
}

function panelProblems(where: string, p: PanelSpec): string[] {
  const problems: string[] = [];
  const o = p.optimizer;
  problems.push(...divisor(`${where}.optimizer.lr`, o.lr, false));
  if (o.kind === 'sgd') {
    problems.push(...belowOne(`${where}.optimizer.momentum`, o.momentum));
  } else {
    problems.push(...belowOne(`${where}.optimizer.beta1`, o.beta1), ...belowOne(`${where}.optimizer.beta2`, o.beta2));
    problems.push(...divisor(`${where}.optimizer.eps`, o.eps, false));
  }
  const n = p.noise;
  if (n.kind === 'langevin') {
    problems.push(...divisor(`${where}.noise.temperature`, n.temperature, true));
    if (n.diffusion) problems.push(...diffusionProblems(`${where}.noise.diffusion`, n.diffusion));
  }
  if (n.kind === 'gaussian' && o.kind === 'sgd' && n.gradientStd > 0 && problems.length === 0) {
    // T = lr s^2 / (2B) (1 - beta): the PDE divides by it
    const T = (o.lr * n.gradientStd ** 2) / (2 * n.batchSize * (1 - o.momentum));
    if (T < MIN_DIVISOR) problems.push(`${where}.noise.gradientStd: ${n.gradientStd} gives the temperature T = lr s²/(2B) = ${T.toPrecision(3)}, too small for float32 (the PDE divides by T); it must give T >= ${MIN_DIVISOR} or use gradientStd 0`);
  }
  return problems;
}

function diffusionProblems(where: string, m: Matrix2): string[] {
  const entries = [m[0][0], m[0][1], m[1][0], m[1][1]];
  if (entries.some((v) => Math.abs(v) > MAX_DIFFUSION_ENTRY)) return [`${where}: ${show(m)} has an entry beyond ±${MAX_DIFFUSION_ENTRY}; scale the temperature instead`];
  if (m[0][0] < MIN_DIVISOR || m[1][1] < MIN_DIVISOR) return [`${where}: ${show(m)} has a diagonal entry below ${MIN_DIVISOR} (its Cholesky factor divides by it in float32)`];
  // float32 Cholesky: l11^2 = det / d00 must stay well above rounding (24 bits) of d11
  if (m[0][0] * m[1][1] - m[0][1] * m[1][0] < 1e-5 * m[0][0] * m[1][1]) {
    return [`${where}: ${show(m)} is too close to singular for float32; it needs det >= 1e-5 · d00 · d11`];
  }
  return [];
}

/** Problems of start points once the domain is known: a start beyond the divergence bound is diverged at step 0. */
export function startProblems(s: ParsedScenario, domain: Domain): string[] {
  const init = s.particles.init;
  const at = init.kind === 'gaussian' ? init.mean : init.kind === 'point' ? init.at : null;
  if (!at) return [];
  const where = init.kind === 'gaussian' ? 'particles.init.mean' : 'particles.init.at';
  const wx = domain.x[1] - domain.x[0], wy = domain.y[1] - domain.y[0];
  const k = DIVERGENCE_BOUND_WIDTHS;
  const lo = [domain.x[0] - k * wx, domain.y[0] - k * wy], hi = [domain.x[1] + k * wx, domain.y[1] + k * wy];
  if (at[0] < lo[0] || at[0] > hi[0] || at[1] < lo[1] || at[1] > hi[1]) {
    return [`${where}: ${show(at)} is outside the region where particles count as alive (the domain ± ${k} widths: x in [${lo[0]}, ${hi[0]}], y in [${lo[1]}, ${hi[1]}]); every particle would be diverged at once`];
  }
  return [];
}
