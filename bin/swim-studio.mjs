#!/usr/bin/env node
// The `swim-studio` command. Runs the built CLI, out/cli/swim-studio.mjs (`npm install` builds
// it through the `prepare` script; `npm run build:cli` rebuilds it), which starts in about the
// time of a bare `node`. In a checkout whose sources are newer than that bundle, or before it
// is built, it runs the TypeScript sources through tsx instead (slower to start, never stale).
//
// Staleness check, cheap enough for every start: out/cli/inputs.json lists the ~160 source
// files the bundle was built from; the bundle is stale when one of them is missing or was
// modified after the bundle was written (one stat per file: 1 to 4 ms). Files that
// no bundled file imports cannot change the bundle, so they are not looked at. An installed
// copy without src/ always runs the bundle.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'cli', 'swim-studio.mjs');

function bundleIsCurrent() {
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  if (!existsSync(join(root, 'src'))) return true;
  try {
    const { inputs } = JSON.parse(readFileSync(join(root, 'out', 'cli', 'inputs.json'), 'utf8'));
    return inputs.every((file) => statSync(join(root, file)).mtimeMs <= built);
  } catch {
    return false; // no input list, or a source file gone: rebuild
  }
}

if (bundleIsCurrent()) {
  await import(pathToFileURL(bundle).href);
} else {
  if (process.env.SWIM_STUDIO_STALE_NOTE !== '0' && process.stderr.isTTY) {
    process.stderr.write('swim-studio: running the sources through tsx (out/cli is missing or older than src/; "npm run build:cli" makes starts fast).\n');
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'main', 'cli', 'swim-studio.ts')).href);
}
