/** Where the report was made: OS, app and runtime versions (for forum posts and issues). */
import { existsSync, readFileSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvironmentFacts } from './types';

let cachedVersion: string | null = null;

/** The version in SWIM Studio's package.json, found by walking up from this file. */
export function packageVersion(): string {
  if (cachedVersion !== null) return cachedVersion;
  cachedVersion = 'unknown';
  try {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 6; i++) {
      const f = join(dir, 'package.json');
      if (existsSync(f)) {
        const pkg = JSON.parse(readFileSync(f, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'swim-studio' && typeof pkg.version === 'string') {
          cachedVersion = pkg.version;
          break;
        }
      }
      dir = dirname(dir);
    }
  } catch {
    /* a bundled build without package.json: the app passes its version instead */
  }
  return cachedVersion;
}

export function environmentFacts(appVersion?: string): EnvironmentFacts {
  return {
    os: `${platform()} ${release()} ${arch()}`,
    appVersion: appVersion ?? packageVersion(),
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    createdAt: new Date().toISOString(),
  };
}
