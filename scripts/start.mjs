#!/usr/bin/env node
/**
 * `npm start`: `swim-studio app --dev` — the desktop app in development (electron-vite dev)
 * where Electron can start; otherwise, after one sentence saying why, the same app served to
 * the browser by `swim-studio ui --open`. The reasons and the sentence live in one place,
 * src/main/cli/electron-launch.ts, shared with the installed `swim-studio app` command.
 * Arguments after `npm start --` go on (e.g. `npm start -- --port 8080`).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.argv.splice(2, 0, 'app', '--dev');
await import(pathToFileURL(join(root, 'bin', 'swim-studio.mjs')).href);
