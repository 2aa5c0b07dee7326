// npm run bench:kit [-- --out DIR] [-- --fast]: the GPU benchmark kit (issue 17),
// one folder that runs the engine's benchmarks on a Linux x86-64 machine with
// a GPU and its Vulkan driver, without internet, npm or Node:
//   kit.mjs        bench/kit/main.ts and everything it imports, one file (Vite
//                  SSR build, so the WGSL globs are inlined)
//   dawn.node.xz   Dawn for Node (the `webgpu` package's linux-x64 addon)
//   node.xz        this machine's node binary
//   run.sh         unpacks both into a temporary folder, runs kit.mjs, cleans up
//   README.txt
// The folder must stay under 60 MiB (checked here; exit 1 over it).
// --fast: xz level 0 instead of 6 (the tests: seconds instead of a minute; a larger kit).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';

export const KIT_SIZE_CAP = 60 * 1024 * 1024;

const RUN_SH = `#!/bin/sh
# SGD Lab GPU benchmark kit: ./run.sh [--quick] [--only particles|fokker-planck|network]
# Unpacks node and Dawn into a temporary folder, runs the benchmarks (JSON lines
# on stdout, progress and the adapter on stderr), removes the folder.
set -u
here=$(cd "$(dirname "$0")" && pwd)
command -v xz >/dev/null 2>&1 || { echo "bench kit: xz is needed to unpack node and Dawn (apt-get install xz-utils)" >&2; exit 2; }
tmp=$(mktemp -d "\${TMPDIR:-/tmp}/sgd-lab-kit.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
xz -dc "$here/node.xz" > "$tmp/node" && xz -dc "$here/dawn.node.xz" > "$tmp/dawn.node" || { echo "bench kit: could not unpack into $tmp" >&2; exit 2; }
chmod +x "$tmp/node"
# Vulkan loaders want a runtime dir; a headless server often has none
[ -n "\${XDG_RUNTIME_DIR:-}" ] || export XDG_RUNTIME_DIR="$tmp"
SGD_KIT_DAWN="$tmp/dawn.node" "$tmp/node" "$here/kit.mjs" "$@"
`;

const README = `SGD Lab GPU benchmark kit

  ./run.sh            full sizes (particles 2^20..2^24, Fokker-Planck 1024^2..4096^2, networks)
  ./run.sh --quick    CI sizes, seconds
  ./run.sh --only particles|fokker-planck|network

Needs: Linux x86-64, xz, a GPU with a Vulkan driver (NVIDIA: the driver's
Vulkan ICD, e.g. /usr/share/vulkan/icd.d/nvidia_icd.json). Without an adapter
it says so in one line and exits 3. Output: one JSON line per figure with a
same-run ceiling (normals-only kernel, copy kernel, matrix multiply) and the
ratio to it. To run it on a CPU Vulkan driver (SwiftShader), point
VK_ICD_FILENAMES at its ICD json.
`;

/** Bytes of every file under `dir`. */
export function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((a, e) => a + (e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

export async function buildKit(out: string, fast: boolean, log: (s: string) => void): Promise<number> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  log('kit: bundling bench/kit/main.ts ...');
  await build({
    configFile: false, root: resolve('.'), logLevel: 'warn', publicDir: false,
    build: {
      ssr: 'bench/kit/main.ts', outDir: out, emptyOutDir: false, target: 'node18', minify: true,
      rollupOptions: { output: { entryFileNames: 'kit.mjs', codeSplitting: false } },
    },
    ssr: { noExternal: true, target: 'node' },
  });
  const dawn = createRequire(import.meta.url).resolve('webgpu/dist/linux-x64/dawn.node');
  const level = fast ? '-0' : '-6';
  log(`kit: compressing dawn.node and ${process.execPath} (xz ${level}) ...`);
  for (const [src, name] of [[dawn, 'dawn.node'], [process.execPath, 'node']] as const) {
    copyFileSync(src, join(out, name));
    execFileSync('xz', [level, '-T0', '-f', join(out, name)]);
  }
  writeFileSync(join(out, 'run.sh'), RUN_SH);
  chmodSync(join(out, 'run.sh'), 0o755);
  writeFileSync(join(out, 'README.txt'), README);
  return folderBytes(out);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist-kit' }, fast: { type: 'boolean', default: false } } });
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const bytes = await buildKit(resolve(values.out!), values.fast!, log);
  const mib = bytes / 1024 / 1024;
  log(`kit: ${values.out} is ${mib.toFixed(1)} MiB (cap ${KIT_SIZE_CAP / 1024 / 1024} MiB)${bytes > KIT_SIZE_CAP ? ' — OVER THE CAP' : ''}`);
  if (bytes > KIT_SIZE_CAP) process.exit(1);
}
