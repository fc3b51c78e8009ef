/**
 * The CLI the guest runs must be a built bundle: TypeScript compiled at run time costs about
 * 26 s per start under TCG. Until `npm run build:cli` (out/cli/swim-studio.mjs) is part of
 * the project, the suite bundles the CLI itself with esbuild the same way: one ES module
 * with per-command chunks, every npm package external (so `usb` loads from node_modules).
 * The output lives under node_modules/.cache so those externals resolve from it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function buildCliBundle(root: string, cacheDir: string): string {
  const dir = path.join(cacheDir, 'cli');
  const entry = path.join(cacheDir, 'cli-entry.ts');
  fs.mkdirSync(cacheDir, { recursive: true });
  const main = path.relative(cacheDir, path.join(root, 'src', 'main', 'cli', 'main')).split(path.sep).join('/');
  fs.writeFileSync(entry, `import { runCli } from '${main}';\nprocess.exitCode = await runCli(process.argv.slice(2));\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  execFileSync(
    path.join(root, 'node_modules', '.bin', 'esbuild'),
    [entry, '--bundle', '--splitting', '--platform=node', '--format=esm', '--target=node20', '--packages=external',
      `--outdir=${dir}`, '--entry-names=swim-studio', '--out-extension:.js=.mjs', '--log-level=warning'],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return path.join(dir, 'swim-studio.mjs');
}
