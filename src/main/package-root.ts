/**
 * The folder holding SWIM Studio's package.json, found by walking up from this module. The
 * same code runs from src/ (tsx, tests), from the CLI bundle (out/cli/chunks/) and from the
 * app build (out/main/), each a different depth below it, so no fixed "../.." fits all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name?: unknown;
  version?: unknown;
}

let cached: { root: string | null; version: string | null } | undefined;

function find(): { root: string | null; version: string | null } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
        if (pkg.name === 'swim-studio') return { root: dir, version: typeof pkg.version === 'string' ? pkg.version : null };
      } catch {
        /* an unreadable package.json of something else: keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { root: null, version: null };
}

/** The project folder, or null in a bundle shipped without its package.json. */
export function packageRoot(): string | null {
  cached ??= find();
  return cached.root;
}

/** The version in package.json, or null when there is none to read. */
export function packageJsonVersion(): string | null {
  cached ??= find();
  return cached.version;
}
