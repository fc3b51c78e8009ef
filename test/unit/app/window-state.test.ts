import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW, fitOnScreen, loadWindowState, saveWindowState } from '../../../src/main/app/window-state';

const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];

describe('window size and position', () => {
  it('round-trips through the state file', () => {
    const d = mkdtempSync(join(tmpdir(), 'swim-win-'));
    try {
      const f = join(d, 'window-state.json');
      saveWindowState(f, { x: 100, y: 50, width: 1000, height: 700, maximized: true });
      expect(loadWindowState(f)).toEqual({ x: 100, y: 50, width: 1000, height: 700, maximized: true });
      writeFileSync(f, 'garbage');
      expect(loadWindowState(f)).toEqual(DEFAULT_WINDOW);
      writeFileSync(f, JSON.stringify({ width: 10, height: 'x' }));
      expect(loadWindowState(f)).toMatchObject({ width: 900, height: DEFAULT_WINDOW.height });
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('keeps a position that is on screen', () => {
    expect(fitOnScreen({ x: 100, y: 100, width: 1000, height: 700, maximized: false }, screen)).toMatchObject({ x: 100, y: 100 });
  });

  it('drops a position left on a monitor that is gone, and shrinks to the screen', () => {
    const s = fitOnScreen({ x: 2500, y: 100, width: 2400, height: 1400, maximized: false }, screen);
    expect(s.x).toBeUndefined();
    expect(s.y).toBeUndefined();
    expect(s.width).toBe(1920);
    expect(s.height).toBe(1040);
  });

  it('keeps a position on a second monitor left of the primary', () => {
    const two = [...screen, { x: -1280, y: 0, width: 1280, height: 1000 }];
    expect(fitOnScreen({ x: -1200, y: 10, width: 1000, height: 700, maximized: false }, two)).toMatchObject({ x: -1200, y: 10 });
  });
});
