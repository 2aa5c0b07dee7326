// `npm run lab -- <command>`: the headless runner's command line.
//   run SCENARIO.json|preset:NAME --out DIR [--video FILE.mp4|.webm] [--gpu swiftshader|hardware]
//       [--steps N] [--particles N]   (override the scenario's steps / particle count, e.g. for a quick look)
//   validate SCENARIO.json|preset:NAME
//   presets
//   critical SCENARIO.json|preset:NAME --out DIR [--seeds N]   (critical points, CPU)
//   path SCENARIO.json|preset:NAME --from X,Y --to X,Y --out DIR [--pivots N]   (minimum-energy path, CPU)
import { parseArgs } from 'node:util';
import { parseScenario } from '../model/scenario';
import { CliError } from './errors';
import { removePending } from './output';
import { listPresets, loadScenarioArg } from './scenario-file';
import { runCommand } from './run-command';
import type { LabSession } from './lab-session';
import { BrowserNotFoundError } from './browser';
import { CRITICAL_USAGE, criticalCommand } from './critical-command';
import { PATH_USAGE, pathCommand } from './path-command';

const USAGE = `usage:
  npm run lab -- run SCENARIO.json|preset:NAME --out DIR [--gpu swiftshader|hardware] [--steps N] [--particles N]
        [--video FILE.mp4|.webm [--size 1280x720] [--fps 30] [--seconds 10 | --steps-per-frame N] [--bitrate 4000000]]
  npm run lab -- validate SCENARIO.json|preset:NAME
  npm run lab -- presets
  ${CRITICAL_USAGE}
  ${PATH_USAGE}`;

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${flag} must be a whole number >= 0, not '${v}'`, 2);
  return n;
}

function positiveNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new CliError(`${flag} must be a number > 0, not '${v}'`, 2);
  return n;
}

function fail(message: string, code = 1): never {
  process.stderr.write(`sgd-lab: ${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'presets': {
      for (const p of listPresets()) process.stdout.write(`${p.name.padEnd(24)} ${p.title}${p.description ? ` — ${p.description}` : ''}\n`);
      return;
    }
    case 'validate': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new CliError(`validate takes one scenario\n${USAGE}`, 2);
      const r = parseScenario(loadScenarioArg(positionals[0]).json);
      if (r.ok) {
        process.stdout.write(`${positionals[0]}: valid (${r.scenario.panels.length} panel(s), ${r.scenario.particles.count} particles, ${r.scenario.steps} steps on '${r.surface.name}')\n`);
        return;
      }
      for (const p of r.problems) process.stderr.write(`${positionals[0]}: ${p}\n`);
      process.exit(1);
    }
    case 'run': {
      const { positionals, values } = parseArgs({
        args: rest, allowPositionals: true,
        options: {
          out: { type: 'string' }, video: { type: 'string' }, gpu: { type: 'string', default: 'swiftshader' },
          steps: { type: 'string' }, particles: { type: 'string' },
          size: { type: 'string', default: '1280x720' }, fps: { type: 'string', default: '30' },
          seconds: { type: 'string', default: '10' }, 'steps-per-frame': { type: 'string' }, bitrate: { type: 'string', default: '4000000' },
        },
      });
      if (positionals.length !== 1) throw new CliError(`run takes one scenario\n${USAGE}`, 2);
      if (!values.out) throw new CliError('run needs --out DIR (the folder for summary.json, metrics.csv and the dumps)', 2);
      if (values.gpu !== 'swiftshader' && values.gpu !== 'hardware') throw new CliError(`--gpu must be 'swiftshader' or 'hardware', not '${values.gpu}'`, 2);
      const size = /^(\d+)x(\d+)$/.exec(values.size);
      if (!size) throw new CliError(`--size must look like 1280x720, not '${values.size}'`, 2);
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
      await runCommand(
        {
          scenario: positionals[0], out: values.out, gpu: values.gpu,
          overrides: { steps: positiveInt('--steps', values.steps), particles: positiveInt('--particles', values.particles) },
          video: values.video ? {
            file: values.video, width: Number(size[1]), height: Number(size[2]),
            fps: positiveInt('--fps', values.fps)!, seconds: positiveNumber('--seconds', values.seconds),
            stepsPerFrame: positiveInt('--steps-per-frame', values['steps-per-frame']), bitrate: positiveInt('--bitrate', values.bitrate)!,
          } : undefined,
          log: (line) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}${line}\n`),
          status: (line, final) => {
            if (tty) process.stderr.write(`\r\x1b[2K${line}`);
            else if (final || Date.now() - lastStatus > 2000) { lastStatus = Date.now(); process.stderr.write(`${line}\n`); }
          },
        },
        (s) => { session = s; },
      );
      return;
    }
    case 'critical': {
      criticalCommand(rest, (line) => process.stderr.write(`${line}\n`));
      return;
    }
    case 'path': {
      pathCommand(rest, (line) => process.stderr.write(`${line}\n`));
      return;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      if (command === undefined) process.exit(2);
      return;
    default:
      throw new CliError(`unknown command '${command}'\n${USAGE}`, 2);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  removePending();
  if (e instanceof CliError) fail(e.message.split('\n')[0] + (e.message.includes('\n') ? `\n${e.message.split('\n').slice(1).join('\n')}` : ''), e.exitCode);
  if (e instanceof BrowserNotFoundError) fail(e.message);
  if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') fail(`${(e as Error).message}\n${USAGE}`, 2);
  fail(`unexpected error: ${(e as Error).message ?? String(e)}`);
});
