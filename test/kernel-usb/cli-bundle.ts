/**
 * The CLI the guest runs is the project's built bundle, out/cli/swim-studio.mjs: TypeScript
 * compiled at run time costs about 26 s per start under TCG. `npm install` builds it (the
 * `prepare` script); a checkout whose sources changed since gets it rebuilt here, with the
 * same staleness rule bin/swim-studio.mjs applies (out/cli/inputs.json against the sources).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function bundleIsCurrent(root: string, bundle: string): boolean {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    const { inputs } = JSON.parse(fs.readFileSync(path.join(root, 'out', 'cli', 'inputs.json'), 'utf8')) as { inputs: string[] };
    return inputs.every((file) => fs.statSync(path.join(root, file)).mtimeMs <= built);
  } catch {
    return false;
  }
}

export function projectCliBundle(root: string): string {
  const bundle = path.join(root, 'out', 'cli', 'swim-studio.mjs');
  if (!bundleIsCurrent(root, bundle)) {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  }
  return bundle;
}
