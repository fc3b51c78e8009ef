/**
 * Finds the built renderer for the bridge, building it with Vite on the fly when it is
 * missing (a fresh clone: `npx swim-studio ui` must work without a separate build step).
 * Uses vite.renderer.config.ts, the same root electron-vite builds for the desktop app.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '#shared/errors';
import { packageRoot } from '../package-root';

/** The checkout root, from src/main/bridge or from the CLI bundle in out/cli alike. */
export const PROJECT_ROOT = packageRoot() ?? process.cwd();
export const RENDERER_OUT_DIR = join(PROJECT_ROOT, 'out', 'renderer');

export function rendererBuilt(dir = RENDERER_OUT_DIR): boolean {
  return existsSync(join(dir, 'index.html'));
}

/** Returns the folder holding index.html, building it first when needed (or when `force`). */
export async function ensureRendererBuilt(opts: { force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  if (!opts.force && rendererBuilt()) return RENDERER_OUT_DIR;
  opts.log?.('Building the user interface (out/renderer) with Vite…');
  try {
    const { build } = await import('vite');
    await build({ configFile: join(PROJECT_ROOT, 'vite.renderer.config.ts'), logLevel: 'warn' });
  } catch (e) {
    throw new AppError(
      'renderer-build-failed',
      `Could not build the user interface: ${(e as Error).message}`,
      'Run "npm run build:renderer" to see the full error.',
    );
  }
  if (!rendererBuilt()) {
    throw new AppError('renderer-build-failed', 'The build finished but out/renderer/index.html is missing.', 'Run "npm run build:renderer" and check its output.');
  }
  return RENDERER_OUT_DIR;
}
