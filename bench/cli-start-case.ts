/**
 * `cli-start`: how long `swim-studio parts` takes to start, print and exit, against a bare
 * `node -e 0` measured in the same run (alternating, so both see the same machine load).
 * The CLI is run as users run it, through bin/swim-studio.mjs, after `npm run build:cli`
 * (what `npm install` leaves), so the built bundle is what is measured.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'swim-studio.mjs');

export interface CliStartResult {
  cliMs: number;
  nodeMs: number;
  runs: number;
}

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function runCliStartCase(runs = 11): CliStartResult {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { stdio: 'ignore', timeout: 120_000 });
  if (build.status !== 0) throw new Error('npm run build:cli failed');
  // One untimed run of each warms the file cache, as any second start has it warm.
  wallMs([BIN, 'parts']);
  wallMs(['-e', '0']);
  const cli: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    cli.push(wallMs([BIN, 'parts']));
    bare.push(wallMs(['-e', '0']));
  }
  return { cliMs: median(cli), nodeMs: median(bare), runs };
}
