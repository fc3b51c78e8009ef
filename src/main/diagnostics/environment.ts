/** Where the report was made: OS, app and runtime versions (for forum posts and issues). */
import { arch, platform, release } from 'node:os';
import { packageJsonVersion } from '../package-root';
import type { EnvironmentFacts } from './types';

/** The version in SWIM Studio's package.json ("unknown" in a build shipped without it). */
export function packageVersion(): string {
  return packageJsonVersion() ?? 'unknown';
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
