/**
 * Electron IPC → the app service. One `ipcMain.handle` per request of the contract; the
 * sender must be our own page (a frame that navigated elsewhere, or a foreign frame, gets
 * 'forbidden'); the service validates the argument and answers with IpcResult data.
 * Events go to every window. Only the few Electron members used are typed here, so the
 * routing is exercised under Node in test/unit/app.
 */
import type { EventName, IpcEvents, RequestName } from '#shared/ipc';
import { REQUEST_NAMES, eventChannel, requestChannel } from '#shared/ipc';
import type { AppService } from '../service/app-service';

export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

export interface MainIpc {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface EventTarget {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/** Registers every request; returns a function that removes them. */
export function registerIpcHandlers(ipc: MainIpc, service: AppService, isTrustedUrl: (url: string) => boolean): () => void {
  for (const name of REQUEST_NAMES) {
    ipc.handle(requestChannel(name), async (event, arg) => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedUrl(url)) {
        return { ok: false, error: { code: 'forbidden', message: 'This page may not use SWIM Studio’s functions.' } };
      }
      return service.handle(name as RequestName, arg);
    });
  }
  return () => {
    for (const name of REQUEST_NAMES) ipc.removeHandler(requestChannel(name));
  };
}

/** Forwards every service event to the windows `targets()` returns at that moment. */
export function forwardEvents(service: AppService, targets: () => EventTarget[]): () => void {
  return service.events.subscribe(<E extends EventName>(name: E, payload: IpcEvents[E]) => {
    for (const t of targets()) if (!t.isDestroyed()) t.send(eventChannel(name), payload);
  });
}

/**
 * Our page is the built renderer loaded from disk (file://…/renderer/index.html) or, in
 * development, the electron-vite dev server's origin.
 */
export function makeUrlTrust(rendererIndexFileUrl: string, devServerUrl: string | undefined): (url: string) => boolean {
  const devOrigin = devServerUrl ? safeOrigin(devServerUrl) : null;
  return (url) => {
    if (!url) return false;
    if (url.split(/[?#]/)[0] === rendererIndexFileUrl) return true;
    return devOrigin !== null && safeOrigin(url) === devOrigin;
  };
}

function safeOrigin(url: string): string | null {
  try {
    const o = new URL(url).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}
