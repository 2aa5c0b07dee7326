// `npm run lab -- <command>`: the headless runner's command line.
//   run SCENARIO.json|preset:NAME --out DIR [--video FILE.mp4|.webm] [--gpu swiftshader|hardware]
//       [--steps N] [--particles N]   (override the scenario's steps / particle count, e.g. for a quick look)
//   validate SCENARIO.json|preset:NAME
//   presets
//   critical SCENARIO.json|preset:NAME --out DIR [--seeds N]   (critical points, CPU)
//   path SCENARIO.json|preset:NAME --from X,Y --to X,Y --out DIR [--pivots N]   (minimum-energy path, CPU)
//   path NETWORK_SCENARIO.json|preset:NAME --between PANEL:I,PANEL:J --out DIR [...]   (trains, then a Bézier curve between two networks)
// Only what every command needs is imported here; Vite, puppeteer and the
// formula reader (mathjs) load with the commands that use them, so `validate`
// of a catalogue scenario and argument errors answer in well under a second.
import { CliError } from './errors';
import { HELP_HINT, intFlag, parseFlags, positiveFlag, quoteArg } from './args';
import { oneLine } from '../model/issue-text';
import { MAX_PARTICLES, MAX_STEPS } from '../model/scenario-schema';
import type { LabSession } from './lab-session';
import { USAGE } from './usage';

function fail(message: string, code = 1): never {
  process.stderr.write(`sgd-lab: ${oneLine(message, 1000)}\n`);
  process.exit(code);
}

/** The removal of temporary files, when output.ts was loaded (it is only by commands that write). */
let removePending: () => void = () => {};

/**
 * Status lines for a command that drives the lab page: log lines on stderr, a
 * progress line that rewrites itself on a terminal (every 2 s otherwise), and
 * Ctrl-C / SIGTERM closing the page's browser and removing partial files.
 */
function interruptibleIo() {
  let session: LabSession | undefined;
  const tty = process.stderr.isTTY;
  let lastStatus = 0;
  const onSigint = () => {
    removePending();
    if (tty) process.stderr.write('\n');
    process.stderr.write('sgd-lab: interrupted; no partial files were left\n');
    void session?.close().finally(() => process.exit(130));
    setTimeout(() => process.exit(130), 3000).unref();
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  return {
    onSession: (s: LabSession) => { session = s; },
    log: (line: string) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}${line}\n`),
    status: (line: string, final: boolean) => {
      if (tty) process.stderr.write(`\r\x1b[2K${line}`);
      else if (final || Date.now() - lastStatus > 2000) { lastStatus = Date.now(); process.stderr.write(`${line}\n`); }
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'presets': {
      parseFlags('presets', rest, {});
      const { listPresets } = await import('./scenario-file');
      for (const p of listPresets()) process.stdout.write(`${oneLine(`${p.name.padEnd(24)} ${p.title}${p.description ? ` — ${p.description}` : ''}`, 2000)}\n`);
      return;
    }
    case 'validate': {
      const { positionals } = parseFlags('validate', rest, {});
      if (positionals.length !== 1) throw new CliError(`validate takes one scenario, not ${positionals.length}; ${HELP_HINT}`, 2);
      const { loadScenarioArg } = await import('./scenario-file');
      const json = loadScenarioArg(positionals[0]).json;
      const name = quoteArg(positionals[0]).slice(1, -1);
      const { isNetworkDocument } = await import('../model/network/spec');
      if (isNetworkDocument(json)) {
        const { parseNetworkScenario } = await import('../model/network/scenario');
        const { panelNetworkModel } = await import('../model/network/model');
        const r = parseNetworkScenario(json);
        if (r.ok) {
          const { scenario: s, network: n } = r;
          const params = [...new Set(s.panels.map((p) => panelNetworkModel(n, p.hidden).layout.params))].join(' / ');
          process.stdout.write(`${name}: valid (${s.panels.length} panel(s), ${s.particles.count} networks of ${params} parameters, ${s.steps} steps on '${n.spec.dataset.kind}', ${n.dataset.nTrain} training + ${n.dataset.nTest} test samples)\n`);
          return;
        }
        for (const p of r.problems) process.stderr.write(`${name}: ${p}\n`);
        process.exit(1);
      }
      const { parseScenarioLazily } = await import('../model/parse-scenario-lazily');
      const r = await parseScenarioLazily(json);
      if (r.ok) {
        process.stdout.write(`${name}: valid (${r.scenario.panels.length} panel(s), ${r.scenario.particles.count} particles, ${r.scenario.steps} steps on '${r.surface.name}')\n`);
        return;
      }
      for (const p of r.problems) process.stderr.write(`${name}: ${p}\n`);
      process.exit(1);
    }
    case 'run': {
      const { positionals, values } = parseFlags('run', rest, {
          out: { type: 'string' }, video: { type: 'string' }, gpu: { type: 'string', default: 'swiftshader' },
          steps: { type: 'string' }, particles: { type: 'string' },
          size: { type: 'string', default: '1280x720' }, fps: { type: 'string', default: '30' },
          seconds: { type: 'string', default: '10' }, 'steps-per-frame': { type: 'string' },
          bitrate: { type: 'string' }, quantizer: { type: 'string' },
          force: { type: 'boolean', default: false }, strict: { type: 'boolean', default: false },
      });
      if (positionals.length !== 1) throw new CliError(`run takes one scenario, not ${positionals.length}; ${HELP_HINT}`, 2);
      if (!values.out) throw new CliError('run needs --out DIR (the folder for summary.json, metrics.csv and the dumps)', 2);
      if (values.gpu !== 'swiftshader' && values.gpu !== 'hardware') throw new CliError(`--gpu must be 'swiftshader' or 'hardware', not ${quoteArg(values.gpu)}`, 2);
      const size = /^(\d{1,5})x(\d{1,5})$/.exec(values.size);
      if (!size) throw new CliError(`--size must look like 1280x720, not ${quoteArg(values.size)}`, 2);
      // flags checked before anything is loaded or written
      const overrides = {
        steps: intFlag('--steps', values.steps, 0, MAX_STEPS, 'optimizer steps'),
        particles: intFlag('--particles', values.particles, 1, MAX_PARTICLES, 'particles per panel'),
      };
      const video = values.video ? {
        file: values.video,
        width: intFlag('--size width', size[1], 16, 7680)!, height: intFlag('--size height', size[2], 16, 4320)!,
        fps: intFlag('--fps', values.fps, 1, 240, 'frames per second')!,
        seconds: positiveFlag('--seconds', values.seconds, 86_400, 'video length'),
        stepsPerFrame: intFlag('--steps-per-frame', values['steps-per-frame'], 1, MAX_STEPS),
        // the recorder's range (record/video-recorder.ts); without --bitrate, a constant quantizer (reproducible)
        bitrate: intFlag('--bitrate', values.bitrate, 10_000, 200_000_000, 'bits per second'),
        quantizer: intFlag('--quantizer', values.quantizer, 0, 63, 'constant quantizer: H.264 0-51, VP9 0-63'),
      } : undefined;
      if (video && video.bitrate !== undefined && video.quantizer !== undefined) {
        throw new CliError('--bitrate and --quantizer exclude each other: a target bitrate (rate control) or a constant quantizer (reproducible frames)', 2);
      }
      const { runCommand } = await import('./run-command');
      ({ removePending } = await import('./output'));
      const io = interruptibleIo();
      await runCommand({ scenario: positionals[0], out: values.out, gpu: values.gpu, overrides, video, force: values.force, strict: values.strict, log: io.log, status: io.status }, io.onSession);
      return;
    }
    case 'critical': {
      const { criticalCommand } = await import('./critical-command');
      ({ removePending } = await import('./output'));
      criticalCommand(rest, (line) => process.stderr.write(`${line}\n`));
      return;
    }
    case 'path': {
      ({ removePending } = await import('./output'));
      if (rest.some((a) => a === '--between' || a.startsWith('--between='))) {
        // two trained networks: train the scenario in the page, then the curve on the CPU
        const { networkPathCommand } = await import('./network-path-command');
        const io = interruptibleIo();
        await networkPathCommand(rest, io, io.onSession);
        return;
      }
      const { pathCommand } = await import('./path-command');
      pathCommand(rest, (line) => process.stderr.write(`${line}\n`));
      return;
    }
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return;
    case undefined:
      process.stdout.write(`${USAGE}\n`);
      throw new CliError(`no command given; ${HELP_HINT}`, 2);
    default:
      throw new CliError(`unknown command ${quoteArg(command)}; ${HELP_HINT}`, 2);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  removePending();
  if (e instanceof CliError) fail(e.message, e.exitCode);
  fail(`unexpected error: ${e instanceof Error ? e.message : String(e)}`);
});
