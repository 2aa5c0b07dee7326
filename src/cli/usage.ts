// What `npm run lab -- --help` prints (kept apart from the commands, so printing it loads nothing).
export const CRITICAL_USAGE = 'npm run lab -- critical SCENARIO.json|preset:NAME --out DIR [--seeds N]';
export const PATH_USAGE = 'npm run lab -- path SCENARIO.json|preset:NAME --from X,Y --to X,Y --out DIR [--pivots N]';
export const NETWORK_PATH_USAGE = 'npm run lab -- path NETWORK_SCENARIO.json|preset:NAME --between PANEL:I,PANEL:J --out DIR [--steps N] [--particles N] [--curve-steps N] [--points N] [--gpu swiftshader|hardware] [--force]';

export const USAGE = `usage:
  npm run lab -- run SCENARIO.json|preset:NAME --out DIR [--gpu swiftshader|hardware] [--steps N] [--particles N]
        [--force (replace an earlier run's files in DIR)] [--strict (exit 3 when a panel's particles all diverged)]
        [--video FILE.mp4|.webm [--size 1280x720] [--fps 30] [--seconds 10 | --steps-per-frame N] [--quantizer Q | --bitrate 4000000]]
  npm run lab -- validate SCENARIO.json|preset:NAME
  npm run lab -- presets
  ${CRITICAL_USAGE}
  ${PATH_USAGE}
  ${NETWORK_PATH_USAGE}`;
