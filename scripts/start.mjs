#!/usr/bin/env node
/**
 * `npm start`: the desktop app in development (electron-vite dev) where Electron can start;
 * otherwise, after one sentence saying why, the same app served to the browser by
 * `swim-studio ui --open` (built first if needed; the URL with its access token is printed,
 * and opened where the system has a default browser).
 *
 * Electron cannot start when its binary was never downloaded (npm install on a closed
 * network, behind a proxy, on a CI box: node_modules/electron has no dist/) and fetching it
 * now fails, or on Linux when there is no display to open a window on. The fetch is
 * electron's own install script, bounded in time so a black-holed network cannot hang us.
 * Arguments after `npm start --` go to `swim-studio ui` (e.g. `npm start -- --port 8080`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const FETCH_TIMEOUT_MS = 60_000;

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Why Electron cannot start here, or null when it can. */
function whyNoElectron() {
  if (!existsSync(join(electronDir, 'package.json'))) return 'Electron is not installed';
  if (!electronBinary()) {
    const fetch = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: FETCH_TIMEOUT_MS });
    if (fetch.status !== 0 || !electronBinary()) return "Electron's binary is not installed and could not be downloaded";
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'there is no display for an Electron window';
  return null;
}

const reason = whyNoElectron();
if (reason === null) {
  const dev = spawn(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'dev', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
  dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  console.log(`${reason}, so SWIM Studio opens in your browser instead (the same app, served by "npx swim-studio ui").`);
  process.argv.splice(2, Infinity, 'ui', '--open', ...process.argv.slice(2));
  await import(pathToFileURL(join(root, 'bin', 'swim-studio.mjs')).href);
}
