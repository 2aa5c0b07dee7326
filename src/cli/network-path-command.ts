// `npm run lab -- path SCENARIO.json --between PANEL:I,PANEL:J --out DIR` for a
// network scenario (issue 15, item 7): trains the scenario as `run` does (its
// files land in DIR), then finds the low-loss Bézier curve between networks I
// and J (src/sim/network/bezier-path.ts, CPU) and writes DIR/path.json, the
// curve's points (path-points.f32) and its control point (path-control.f32).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNetworkScenario } from '../model/network/scenario';
import { isNetworkDocument } from '../model/network/spec';
import { panelNetworkModel } from '../model/network/model';
import { bezierPath, bezierPoint, type BezierOptions, type PathProfile } from '../sim/network/bezier-path';
import { MAX_PARTICLES, MAX_STEPS } from '../model/scenario-schema';
import { HELP_HINT, intFlag, parseFlags, quoteArg } from './args';
import { CliError } from './errors';
import { writeAtomic } from './output';
import { runCommand } from './run-command';
import { loadScenarioArg } from './scenario-file';
import type { LabSession } from './lab-session';

export interface NetworkEnd {
  /** panel index (0-based, as the runner's files: weights-PANEL.f32) */
  panel: number;
  /** network index in that panel (0-based) */
  index: number;
}

/** '0:3,1:5' → two ends; whole numbers only. */
export function parseBetween(text: string | undefined): [NetworkEnd, NetworkEnd] {
  if (text === undefined) throw new CliError(`a network scenario's path needs --between PANEL:I,PANEL:J (two networks, e.g. --between 0:0,0:1); ${HELP_HINT}`, 2);
  const m = /^(\d{1,6}):(\d{1,9}),(\d{1,6}):(\d{1,9})$/.exec(text.trim());
  if (!m) throw new CliError(`--between must be PANEL:I,PANEL:J with whole numbers counted from 0 (e.g. 0:3,1:5), not ${quoteArg(text)}`, 2);
  const ends: [NetworkEnd, NetworkEnd] = [{ panel: Number(m[1]), index: Number(m[2]) }, { panel: Number(m[3]), index: Number(m[4]) }];
  if (ends[0].panel === ends[1].panel && ends[0].index === ends[1].index) throw new CliError(`--between names network ${m[1]}:${m[2]} twice; a path needs two different networks`, 2);
  return ends;
}

const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(8)) : null);

function profileDoc(p: PathProfile) {
  return {
    t: p.points.map((q) => round(q.t)),
    train_loss: p.points.map((q) => round(q.trainLoss)),
    test_loss: p.points.map((q) => round(q.testLoss)),
    train_accuracy: p.points.map((q) => round(q.trainAccuracy)),
    test_accuracy: p.points.map((q) => round(q.testAccuracy)),
  };
}

interface Status {
  log: (line: string) => void;
  status: (line: string, final: boolean) => void;
}

export async function networkPathCommand(args: string[], io: Status, onSession?: (s: LabSession) => void): Promise<void> {
  const { positionals, values } = parseFlags('path', args, {
    between: { type: 'string' }, out: { type: 'string' }, gpu: { type: 'string', default: 'swiftshader' },
    steps: { type: 'string' }, particles: { type: 'string' }, 'curve-steps': { type: 'string' }, points: { type: 'string' },
    force: { type: 'boolean', default: false },
  });
  if (positionals.length !== 1) throw new CliError(`path takes one scenario, not ${positionals.length}; ${HELP_HINT}`, 2);
  if (!values.out) throw new CliError('path needs --out DIR (the folder for the run\'s files and path.json)', 2);
  if (values.gpu !== 'swiftshader' && values.gpu !== 'hardware') throw new CliError(`--gpu must be 'swiftshader' or 'hardware', not ${quoteArg(values.gpu)}`, 2);
  const ends = parseBetween(values.between);
  const overrides = {
    steps: intFlag('--steps', values.steps, 0, MAX_STEPS, 'optimizer steps'),
    particles: intFlag('--particles', values.particles, 1, MAX_PARTICLES, 'networks per panel'),
  };
  const curve: BezierOptions = {
    steps: intFlag('--curve-steps', values['curve-steps'], 0, 1_000_000, 'training steps of the curve') ?? 3000,
    points: intFlag('--points', values.points, 2, 10_001, 'points of the loss profiles') ?? 41,
  };
  // the ends are checked against the scenario before anything is trained
  const json = loadScenarioArg(positionals[0]).json;
  if (!isNetworkDocument(json)) throw new CliError(`--between joins two networks of a network scenario; ${quoteArg(positionals[0])} is a 2-D surface: its path takes --from X,Y --to X,Y`, 2);
  const parsed = parseNetworkScenario(json);
  if (!parsed.ok) throw new CliError(`invalid scenario: ${parsed.problems[0]}`);
  const { scenario, network } = parsed;
  const count = overrides.particles ?? scenario.particles.count;
  for (const e of ends) {
    if (e.panel >= scenario.panels.length) throw new CliError(`--between: panel ${e.panel} does not exist (the scenario has ${scenario.panels.length}, counted from 0)`, 2);
    if (e.index >= count) throw new CliError(`--between: network ${e.index} does not exist (${count} per panel, counted from 0)`, 2);
  }
  const models = ends.map((e) => panelNetworkModel(network, scenario.panels[e.panel].hidden));
  if (models[0].layout.params !== models[1].layout.params || models[0].layout.sizes.join() !== models[1].layout.sizes.join()) {
    throw new CliError(`--between: panel ${ends[0].panel} (${models[0].layout.sizes.join('-')}) and panel ${ends[1].panel} (${models[1].layout.sizes.join('-')}) have different architectures; a path joins two networks of the same architecture`, 2);
  }
  await runCommand({ scenario: positionals[0], out: values.out, gpu: values.gpu, overrides, force: values.force, log: io.log, status: io.status }, onSession);

  const { layout } = models[0];
  const D = layout.params;
  const weights = ends.map((e) => {
    const status = new Uint32Array(new Uint8Array(readFileSync(join(values.out!, `status-${e.panel}.u32`))).buffer);
    if (status[e.index] !== 0) throw new CliError(`network ${e.panel}:${e.index} diverged at step ${status[e.index] - 1}; choose a network that trained (status-${e.panel}.u32 is 0 for those)`);
    const all = new Float32Array(new Uint8Array(readFileSync(join(values.out!, `weights-${e.panel}.f32`))).buffer);
    return Float64Array.from(all.subarray(e.index * D, (e.index + 1) * D));
  });
  const { dataset } = network;
  const problem = { layout, activation: network.activation, inputs: dataset.inputs, labels: dataset.labels, nTrain: dataset.nTrain, nTest: dataset.nTest, weightDecay: network.spec.weightDecay };
  const t0 = performance.now();
  let last = -1;
  const r = bezierPath(problem, weights[0], weights[1], {
    ...curve,
    onProgress: (f) => {
      const pct = Math.floor(100 * f);
      if (pct !== last) { last = pct; io.status(`path: curve training ${pct}% of ${curve.steps} steps`, f >= 1); }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const K = r.curve.points.length;
  const points = new Float32Array(K * D);
  const x = new Float64Array(D);
  r.curve.points.forEach((p, k) => points.set(bezierPoint(weights[0], r.control, weights[1], p.t, x), k * D));
  writeAtomic(join(values.out, 'path-points.f32'), new Uint8Array(points.buffer));
  writeAtomic(join(values.out, 'path-control.f32'), new Uint8Array(Float32Array.from(r.control).buffer));
  const doc = {
    between: ends,
    method: 'quadratic Bézier curve phi(t) = (1-t)^2 a + 2t(1-t) c + t^2 b (Garipov et al. 2018); the control point c starts at (a+b)/2 (the straight line) and is trained by Adam on the train loss (with the scenario\'s weight decay) at t ~ U(0,1), one t and one minibatch per step, step size cosine-decayed; float64 on the CPU',
    curve: { steps: r.steps, batch: r.batch, lr: r.lr, seed: r.seed, finalObjective: round(r.finalObjective) },
    units: 'loss: mean binary cross-entropy over the split in nats without weight decay; accuracy: fraction 0..1; lengths: Euclidean in parameter space',
    barrier: round(r.curve.barrier),
    straight_line_barrier: round(r.straight.barrier),
    barrier_definition: 'the highest train loss on the profile (its points at evenly spaced t) minus the higher of the two ends\' train loss',
    peak_t: round(r.curve.peakT),
    straight_line_peak_t: round(r.straight.peakT),
    distance: round(r.distance),
    curve_length: round(r.curveLength),
    along_curve: profileDoc(r.curve),
    along_straight_line: profileDoc(r.straight),
    files: {
      points: { file: 'path-points.f32', shape: [K, D], dtype: 'float32', byteOrder: 'little-endian', layout: 'row k: the network at t = along_curve.t[k], D parameters in the order of summary.json\'s layout.blocks' },
      control: { file: 'path-control.f32', shape: [D], dtype: 'float32', byteOrder: 'little-endian', layout: 'the control point c' },
    },
    wallSeconds: round(seconds),
  };
  writeAtomic(join(values.out, 'path.json'), JSON.stringify(doc, null, 2) + '\n');
  const acc = (p: PathProfile) => (Number.isFinite(p.worstTestAccuracy) ? `, worst test accuracy ${(100 * p.worstTestAccuracy).toFixed(1)}%` : '');
  io.log(`path ${ends[0].panel}:${ends[0].index} → ${ends[1].panel}:${ends[1].index}: barrier ${r.curve.barrier.toPrecision(3)} nats along the Bézier curve${acc(r.curve)} vs ${r.straight.barrier.toPrecision(3)} on the straight line${acc(r.straight)} (distance ${r.distance.toPrecision(4)}, curve ${r.curveLength.toPrecision(4)}; ${seconds.toFixed(1)} s); wrote ${join(values.out, 'path.json')}`);
}
