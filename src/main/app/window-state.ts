/**
 * The main window's size and position, remembered between runs (userData/window-state.json).
 * A saved position on a monitor that is no longer attached is pulled back onto a visible
 * display, so the window never opens off-screen. Pure logic here; index.ts feeds Electron's
 * screen and window facts in.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState extends Partial<Rect> {
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WINDOW = { width: 900, height: 600 };

export function loadWindowState(file: string): WindowState {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined);
    const s: WindowState = {
      width: Math.max(MIN_WINDOW.width, num(raw.width) ?? DEFAULT_WINDOW.width),
      height: Math.max(MIN_WINDOW.height, num(raw.height) ?? DEFAULT_WINDOW.height),
      maximized: raw.maximized === true,
    };
    const x = num(raw.x);
    const y = num(raw.y);
    if (x !== undefined && y !== undefined) {
      s.x = x;
      s.y = y;
    }
    return s;
  } catch {
    return { ...DEFAULT_WINDOW };
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state) + '\n');
  renameSync(tmp, file);
}

/**
 * Keeps the saved bounds when at least a 100×50 px piece of the title bar area lies on
 * some display's work area; otherwise drops the position (the OS centres the window) and
 * shrinks the size to fit the primary display.
 */
export function fitOnScreen(state: WindowState, workAreas: Rect[]): WindowState {
  const primary = workAreas[0];
  const out: WindowState = { ...state };
  if (primary) {
    out.width = Math.min(out.width, primary.width);
    out.height = Math.min(out.height, primary.height);
  }
  if (out.x === undefined || out.y === undefined) return out;
  const titleBar: Rect = { x: out.x, y: out.y, width: out.width, height: 50 };
  const visible = workAreas.some((a) => overlap(titleBar, a).width >= 100 && overlap(titleBar, a).height >= 20);
  if (!visible) {
    delete out.x;
    delete out.y;
  }
  return out;
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}
