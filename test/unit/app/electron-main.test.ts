/**
 * The Electron main process boots (src/main/app/index.ts) — with a stand-in for the
 * `electron` module, because the Electron binary cannot run here. The stand-in only records
 * what main asks of Electron; everything behind it (service, settings, IPC handlers, menu,
 * window state) is the real code. Checked: single-instance lock, secure webPreferences, the
 * page it loads, every request of the contract handled, the menu set, settings and window
 * state in the user data folder, and the unsaved-edits prompt on close.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES, requestChannel } from '#shared/ipc';

type Listener = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  const state = {
    userData: '',
    handlers: new Map<string, Listener>(),
    appEvents: new Map<string, Listener[]>(),
    windows: [] as FakeWindow[],
    menus: [] as unknown[],
    dialogs: [] as unknown[],
    dialogAnswer: 1,
    quit: 0,
  };
  class FakeWebContents {
    sent: [string, unknown][] = [];
    private listeners = new Map<string, Listener[]>();
    send(ch: string, payload: unknown) {
      this.sent.push([ch, payload]);
    }
    isDestroyed() {
      return false;
    }
    once(ev: string, fn: Listener) {
      this.listeners.set(ev, [...(this.listeners.get(ev) ?? []), fn]);
    }
    on(ev: string, fn: Listener) {
      this.once(ev, fn);
    }
    emit(ev: string, ...args: unknown[]) {
      for (const fn of this.listeners.get(ev) ?? []) fn(...args);
    }
    setWindowOpenHandler() {}
  }
  class FakeWindow {
    webContents = new FakeWebContents();
    loaded: string | null = null;
    destroyed = false;
    title = '';
    private listeners = new Map<string, Listener[]>();
    constructor(readonly options: Record<string, unknown>) {
      state.windows.push(this);
    }
    on(ev: string, fn: Listener) {
      this.listeners.set(ev, [...(this.listeners.get(ev) ?? []), fn]);
    }
    once(ev: string, fn: Listener) {
      this.on(ev, fn);
    }
    emit(ev: string, ...args: unknown[]) {
      for (const fn of this.listeners.get(ev) ?? []) fn(...args);
    }
    async loadFile(p: string) {
      this.loaded = p;
    }
    async loadURL(u: string) {
      this.loaded = u;
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: 1111, height: 777 };
    }
    isMaximized() {
      return false;
    }
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return this.destroyed;
    }
    maximize() {}
    show() {}
    focus() {}
    restore() {}
    setTitle(t: string) {
      this.title = t;
    }
    setDocumentEdited() {}
    close() {
      const e = { defaultPrevented: false, preventDefault: () => (e.defaultPrevented = true) };
      this.emit('close', e);
      if (!e.defaultPrevented) this.destroyed = true;
    }
  }
  return { state, FakeWindow };
});

vi.mock('electron', async () => {
  const { join } = await import('node:path');
  const { state, FakeWindow } = h;
  const on = (ev: string, fn: Listener) => state.appEvents.set(ev, [...(state.appEvents.get(ev) ?? []), fn]);
  return {
    app: {
      requestSingleInstanceLock: () => true,
      on,
      whenReady: () => Promise.resolve(),
      getPath: () => state.userData,
      getVersion: () => '0.1.0-test',
      getName: () => 'SWIM Studio',
      isPackaged: false,
      quit: () => void state.quit++,
    },
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (ch: string, fn: Listener) => state.handlers.set(ch, fn), removeHandler: (ch: string) => state.handlers.delete(ch) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => state.menus.push(m) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, webRequest: { onHeadersReceived() {} } },
    },
    shell: { openPath: async () => '', openExternal: async () => undefined },
    dialog: {
      showMessageBox: async (...args: unknown[]) => {
        state.dialogs.push(args);
        return { response: state.dialogAnswer };
      },
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: false, filePath: join(state.userData, 'fw.hex') }),
    },
  };
});

const { state } = h;

beforeAll(async () => {
  state.userData = mkdtempSync(join(tmpdir(), 'swim-electron-'));
  await import('../../../src/main/app/index');
  // start() runs after whenReady(): let its promise chain settle.
  await vi.waitFor(() => expect(state.windows.length).toBe(1));
});
afterAll(() => {
  rmSync(state.userData, { recursive: true, force: true });
});

describe('Electron main process', () => {
  it('opens one window with context isolation, sandbox and no Node in the page', () => {
    const w = state.windows[0];
    const prefs = w.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/[/\\]preload[/\\]index\.cjs$/);
    expect(w.loaded).toMatch(/[/\\]renderer[/\\]index\.html$/);
    expect(w.options).toMatchObject({ minWidth: 900, minHeight: 600 });
  });

  it('handles every request of the contract, and refuses frames that are not its page', async () => {
    expect([...state.handlers.keys()].sort()).toEqual(REQUEST_NAMES.map(requestChannel).sort());
    const page = { senderFrame: { url: new URL(`file://${state.windows[0].loaded}`).href } };
    const info = (await state.handlers.get(requestChannel('appInfo'))!(page, {})) as { ok: boolean; value: { host: string; userDataPath: string } };
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', userDataPath: state.userData } });
    const evil = await state.handlers.get(requestChannel('getSettings'))!({ senderFrame: { url: 'https://evil.example/' } }, {});
    expect(evil).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('persists settings in the user data folder and rebuilds the menu with recent files', async () => {
    const page = { senderFrame: { url: new URL(`file://${state.windows[0].loaded}`).href } };
    const before = state.menus.length;
    await state.handlers.get(requestChannel('setSettings'))!(page, { verifyAfterWrite: false });
    // Save as… (the dialog answers userData/fw.hex): the file joins the recent files.
    const saved = (await state.handlers.get(requestChannel('saveFile'))!(page, {
      segments: [{ region: 'flash', address: 0x8000, data: new Uint8Array([1, 2]) }],
      format: 'ihex',
    })) as { ok: boolean; value: { path: string } };
    const fw = join(state.userData, 'fw.hex');
    expect(saved).toMatchObject({ ok: true, value: { path: fw } });
    expect(readFileSync(fw, 'utf8')).toMatch(/^:02800000/);
    const settings = JSON.parse(readFileSync(join(state.userData, 'settings.json'), 'utf8'));
    expect(settings).toMatchObject({ recentFiles: [fw], verifyAfterWrite: false });
    expect(state.menus.length).toBeGreaterThanOrEqual(before + 2);
    expect(JSON.stringify(state.menus.at(-1))).toContain(fw);
    expect(existsSync(join(state.userData, 'logs', 'swim-studio.log'))).toBe(true);
  });

  it('forwards service events to the window', async () => {
    const w = state.windows[0];
    const page = { senderFrame: { url: new URL(`file://${w.loaded}`).href } };
    await state.handlers.get(requestChannel('setSettings'))!(page, { theme: 'dark' });
    expect(w.webContents.sent.some(([ch, p]) => ch === 'swim:evt:settingsChanged' && (p as { theme: string }).theme === 'dark')).toBe(true);
  });

  it('asks before closing with unsaved edits, and remembers the window bounds', async () => {
    const w = state.windows[0];
    const page = { senderFrame: { url: new URL(`file://${w.loaded}`).href } };
    await state.handlers.get(requestChannel('setDirty'))!(page, { dirty: true, title: 'fw.hex • SWIM Studio' });
    expect(w.title).toBe('fw.hex • SWIM Studio');
    state.dialogAnswer = 1; // Cancel
    w.close();
    await vi.waitFor(() => expect(state.dialogs.length).toBe(1));
    expect(w.destroyed).toBe(false);
    expect(JSON.parse(readFileSync(join(state.userData, 'window-state.json'), 'utf8'))).toMatchObject({ width: 1111, height: 777, x: 10, y: 20 });
    state.dialogAnswer = 0; // Discard and close
    w.close();
    await vi.waitFor(() => expect(w.destroyed).toBe(true));
  });

  it('on quit, first lets the service stop (job cancelled, target released), then quits', async () => {
    const willQuit = state.appEvents.get('will-quit')?.[0];
    expect(willQuit).toBeTypeOf('function');
    let prevented = 0;
    const quitsBefore = state.quit;
    willQuit!({ preventDefault: () => void prevented++ });
    expect(prevented).toBe(1);
    await vi.waitFor(() => expect(state.quit).toBe(quitsBefore + 1));
    // The second will-quit (from that app.quit()) goes through.
    willQuit!({ preventDefault: () => void prevented++ });
    expect(prevented).toBe(1);
  });

  it('took the single-instance lock and routes a second launch with a file to the page', () => {
    const second = state.appEvents.get('second-instance')?.[0];
    expect(second).toBeTypeOf('function');
    state.windows[0].destroyed = false;
    second!({}, ['swim-studio', '/home/u/fw.s19']);
    expect(state.windows[0].webContents.sent.at(-1)).toEqual(['swim:evt:menuCommand', { command: 'openRecent', path: '/home/u/fw.s19' }]);
  });
});
