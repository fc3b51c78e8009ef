import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnGroup } from './spawned';

/**
 * `npm start` where Electron cannot open a window (this machine: no Electron binary, no
 * display; the display is taken away here so the test means the same everywhere): one
 * sentence saying so, then the same app served to the browser, its URL printed with the
 * token. Before, electron-vite ended in "Electron uninstall" with no hint of the browser.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const page = mkdtempSync(join(tmpdir(), 'swim-npm-start-'));
afterAll(() => rmSync(page, { recursive: true, force: true }));

/** Starts `args` without a display and checks the one sentence, the served page and its token. */
async function fallsBackToTheBrowser(command: string, args: string[]): Promise<void> {
  // A stand-in build of the interface, so this does not race other tests building out/renderer.
  writeFileSync(join(page, 'index.html'), '<!doctype html><title>SWIM Studio</title>');
  const env: NodeJS.ProcessEnv = { ...process.env, SWIM_STUDIO_UI_DIR: page, SWIM_STUDIO_VIRTUAL: '', SWIM_STUDIO_SIM_SOCKET: '' };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const child = spawnGroup(command, args, { cwd: ROOT, env });
  try {
    const [, url, port] = await child.waitFor(/^\s*(http:\/\/127\.0\.0\.1:(\d+)\/\?token=[\w-]+)\s*$/m, 120_000);
    const about = child.stdout().split('\n').filter((l) => /electron/i.test(l) && !l.startsWith('>'));
    expect(about, child.stdout()).toHaveLength(1);
    expect(about[0]).toMatch(/^[^.]+ so SWIM Studio opens in your browser instead .*\.$/);
    expect(child.stdout() + child.stderr()).not.toMatch(/Electron uninstall|Error:/);

    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('SWIM Studio');
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
  } finally {
    await child.stop();
  }
}

describe('npm start without Electron', () => {
  it('says why in one sentence and serves the app in the browser instead', () => fallsBackToTheBrowser('npm', ['start']), 180_000);
});

describe('swim-studio app (the installed command) without Electron', () => {
  it('says why in one sentence and serves the app in the browser instead', () => fallsBackToTheBrowser(process.execPath, ['bin/swim-studio.mjs', 'app']), 180_000);
});
