/**
 * The Electron path without Electron (its binary is not available here): the real preload
 * API object talks through a minimal in-memory stand-in for ipcRenderer/ipcMain to the real
 * IPC handlers and the real app service. What is checked is ours: exact names, sender
 * trust, payload-only events, errors as data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPreloadApi } from '../../../src/preload/api';
import { forwardEvents, makeUrlTrust, registerIpcHandlers } from '../../../src/main/app/ipc-handlers';
import type { InvokeEventLike } from '../../../src/main/app/ipc-handlers';
import { AppService } from '../../../src/main/service/app-service';
import { EVENT_NAMES, REQUEST_NAMES, requestChannel } from '#shared/ipc';

const PAGE = 'file:///opt/SWIM%20Studio/resources/app.asar/out/renderer/index.html';

/** In-memory ipcMain + ipcRenderer pair, with the page URL the "renderer" reports. */
function wire(pageUrl: string) {
  const handlers = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => Promise<unknown>>();
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const main = {
    handle: (ch: string, fn: (e: InvokeEventLike, ...a: unknown[]) => Promise<unknown>) => void handlers.set(ch, fn),
    removeHandler: (ch: string) => void handlers.delete(ch),
  };
  const renderer = {
    invoke: async (ch: string, ...args: unknown[]) => {
      const h = handlers.get(ch);
      if (!h) throw new Error(`No handler registered for '${ch}'`);
      // Electron structured-clones arguments and results; so do we.
      return structuredClone(await h({ senderFrame: { url: pageUrl } }, ...structuredClone(args)));
    },
    on: (ch: string, fn: (e: unknown, ...a: unknown[]) => void) => {
      if (!listeners.has(ch)) listeners.set(ch, new Set());
      listeners.get(ch)!.add(fn);
    },
    removeListener: (ch: string, fn: (e: unknown, ...a: unknown[]) => void) => void listeners.get(ch)?.delete(fn),
  };
  const webContents = {
    send: (ch: string, payload: unknown) => {
      for (const fn of listeners.get(ch) ?? []) fn({ sender: 'electron-internal' }, structuredClone(payload));
    },
    isDestroyed: () => false,
  };
  return { main, renderer, webContents, handlers, listeners };
}

const services: AppService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose();
});

function setup(pageUrl = PAGE) {
  const service = new AppService({ host: 'electron', version: '9.9.9' });
  services.push(service);
  const w = wire(pageUrl);
  const unregister = registerIpcHandlers(w.main, service, makeUrlTrust(PAGE, undefined));
  forwardEvents(service, () => [w.webContents]);
  return { service, api: createPreloadApi(w.renderer), ...w, unregister };
}

describe('preload + IPC handlers', () => {
  it('registers one handler per request of the contract, and removes them all', () => {
    const { handlers, unregister } = setup();
    expect([...handlers.keys()].sort()).toEqual(REQUEST_NAMES.map(requestChannel).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('exposes exactly invoke and on, frozen', () => {
    const { api } = setup();
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('round-trips a request to the service', async () => {
    const { api } = setup();
    expect(await api.invoke('appInfo', {})).toMatchObject({ ok: true, value: { host: 'electron', version: '9.9.9' } });
    expect(await api.invoke('erase', { region: 'nowhere' } as never)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('refuses names outside the contract before they reach IPC', async () => {
    const { api } = setup();
    expect(await api.invoke('shell.openExternal' as never, {} as never)).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
    const off = api.on('secretEvent' as never, () => undefined);
    expect(typeof off).toBe('function');
  });

  it('answers "forbidden" to a frame that is not our page', async () => {
    const { api } = setup('https://evil.example/');
    expect(await api.invoke('getSettings', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('trusts the dev server origin only in development', () => {
    const dev = makeUrlTrust(PAGE, 'http://localhost:5173/');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(makeUrlTrust(PAGE, undefined)('http://localhost:5173/')).toBe(false);
    expect(dev(PAGE + '?x=1')).toBe(true);
    expect(dev('file:///tmp/other.html')).toBe(false);
  });

  it('delivers events as payload only (no Electron event object), and unsubscribes', async () => {
    const { api } = setup();
    const got: unknown[][] = [];
    const off = api.on('settingsChanged', (...args: unknown[]) => got.push(args));
    await api.invoke('setSettings', { highSpeed: false });
    expect(got).toHaveLength(1);
    expect(got[0]).toHaveLength(1);
    expect(got[0][0]).toMatchObject({ highSpeed: false });
    off();
    await api.invoke('setSettings', { highSpeed: true });
    expect(got).toHaveLength(1);
  });

  it('every event name of the contract can be listened to', () => {
    const { api, listeners } = setup();
    for (const e of EVENT_NAMES) api.on(e, () => undefined);
    expect(listeners.size).toBe(EVENT_NAMES.length);
  });
});
