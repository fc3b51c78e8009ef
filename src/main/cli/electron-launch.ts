/**
 * Whether the desktop app's Electron can start on this machine, and starting it. One place for
 * `npm start` (development: electron-vite dev) and `swim-studio app` (the built app), so both
 * fall back to the browser for the same reasons and say so with the same sentence.
 *
 * Electron cannot start when it is not installed (an npm install of SWIM Studio as a package:
 * Electron is a development dependency), when its binary was never downloaded (npm install on
 * a closed network, behind a proxy, on a CI box: node_modules/electron has no dist/) and
 * fetching it now fails, or on Linux when there is no display to open a window on. The fetch
 * is Electron's own install script, bounded in time so a black-holed network cannot hang us.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FETCH_TIMEOUT_MS = 60_000;

function electronBinary(electronDir: string): string | null {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

export type ElectronCheck = { binary: string } | { why: string };

/** The Electron binary to start, or why there is none (a clause: "…, so … browser"). */
export function checkElectron(root: string): ElectronCheck {
  const electronDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(electronDir, 'package.json'))) return { why: 'Electron is not installed' };
  let binary = electronBinary(electronDir);
  if (!binary) {
    const fetch = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: FETCH_TIMEOUT_MS });
    binary = fetch.status === 0 ? electronBinary(electronDir) : null;
    if (!binary) return { why: "Electron's binary is not installed and could not be downloaded" };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { why: 'there is no display for an Electron window' };
  return { binary };
}

/** The one sentence printed before the browser takes over. */
export function browserFallbackLine(why: string): string {
  return `${why}, so SWIM Studio opens in your browser instead (the same app, served by "npx swim-studio ui").`;
}

/** Runs a child to its end with this terminal, passing Ctrl+C and SIGTERM on; resolves its exit code. */
export function runAttached(command: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, forward);
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => {
      for (const s of ['SIGINT', 'SIGTERM'] as const) process.off(s, forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
