/**
 * Why Electron cannot start: decided from the machine (is Electron installed, is its binary
 * there or can it be fetched, is there a display), the same for `npm start` and `swim-studio app`.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browserFallbackLine, checkElectron } from '../../../src/main/cli/electron-launch';

let root: string;
const saved = { DISPLAY: process.env.DISPLAY, WAYLAND_DISPLAY: process.env.WAYLAND_DISPLAY, ELECTRON_OVERRIDE_DIST_PATH: process.env.ELECTRON_OVERRIDE_DIST_PATH };

function fakeElectron(opts: { binary: boolean; installExit: number }): string {
  const dir = join(root, 'node_modules', 'electron');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"electron"}');
  // Electron's install script: here it "downloads" nothing and exits with the given code.
  writeFileSync(join(dir, 'install.js'), `process.exit(${opts.installExit});`);
  if (opts.binary) {
    writeFileSync(join(dir, 'path.txt'), 'electron');
    writeFileSync(join(dir, 'dist', 'electron'), '#!/bin/sh\n');
    chmodSync(join(dir, 'dist', 'electron'), 0o755);
  }
  return join(dir, 'dist', 'electron');
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'swim-electron-check-'));
  delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('checkElectron', () => {
  it('not installed (SWIM Studio installed as a package: Electron is a development dependency)', () => {
    expect(checkElectron(root)).toEqual({ why: 'Electron is not installed' });
  });

  it('installed without its binary, and the download fails', () => {
    fakeElectron({ binary: false, installExit: 1 });
    expect(checkElectron(root)).toEqual({ why: "Electron's binary is not installed and could not be downloaded" });
  });

  it.runIf(process.platform === 'linux')('a binary but no display (Linux)', () => {
    fakeElectron({ binary: true, installExit: 0 });
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
    expect(checkElectron(root)).toEqual({ why: 'there is no display for an Electron window' });
  });

  it('a binary and a display: start it', () => {
    const binary = fakeElectron({ binary: true, installExit: 1 });
    process.env.DISPLAY = ':0';
    expect(checkElectron(root)).toEqual({ binary });
  });

  it('says it in one sentence that names the browser command', () => {
    expect(browserFallbackLine('Electron is not installed')).toBe('Electron is not installed, so SWIM Studio opens in your browser instead (the same app, served by "npx swim-studio ui").');
  });
});
