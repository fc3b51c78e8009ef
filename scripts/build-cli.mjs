#!/usr/bin/env node
/**
 * `npm run build:cli` (and `prepare`, so `npm install` leaves it built): bundles the command
 * line with esbuild into out/cli/swim-studio.mjs, an ES module for Node 20.
 *
 * - Every npm package stays external (imported from node_modules at run time): `usb` is a
 *   native addon, vite is only for building the user interface, and the others load as they
 *   are. The bundle therefore needs the project's node_modules beside it, as `npm install`
 *   leaves them.
 * - Code splitting: each command module is a dynamic import in src/main/cli/registry.ts, so
 *   each lands in its own chunk with what only it needs; `parts` loads neither the engine,
 *   the simulator nor `usb`.
 * - out/cli/inputs.json lists the source files that went into the bundle. bin/swim-studio.mjs
 *   compares their modification times with the bundle's to notice a bundle older than the
 *   sources in a checkout (then it runs the sources through tsx instead).
 *
 * `--if-possible` (the `prepare` script): without esbuild (an install that left out the
 * development packages) say so and succeed; bin/swim-studio.mjs then runs the sources.
 *
 * The build goes to a fresh folder that then replaces out/cli, so a command running from the
 * old bundle never sees a half-written one.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'cli');
const fresh = `${outDir}.new-${process.pid}`;
const old = `${outDir}.old-${process.pid}`;

let build;
try {
  ({ build } = await import('esbuild'));
} catch (e) {
  if (!process.argv.includes('--if-possible')) throw e;
  console.log(`out/cli not built (esbuild is not installed: ${e.message.split('\n')[0]}); swim-studio will run its sources through tsx.`);
  process.exit(0);
}

const result = await build({
  absWorkingDir: root,
  entryPoints: { 'swim-studio': 'src/main/cli/swim-studio.ts' },
  outdir: fresh,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  banner: { js: '// Built by scripts/build-cli.mjs from src/ (npm run build:cli). Do not edit.' },
});

const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
inputs.push('scripts/build-cli.mjs');
writeFileSync(join(fresh, 'inputs.json'), JSON.stringify({ inputs }, null, 1) + '\n');

if (existsSync(outDir)) renameSync(outDir, old);
renameSync(fresh, outDir);
rmSync(old, { recursive: true, force: true });
console.log(`built out/cli/swim-studio.mjs from ${inputs.length} source files`);
