/**
 * The API object the preload exposes as `window.swimStudio`: exactly the contract's
 * requests and events (src/shared/ipc.ts), nothing else — no ipcRenderer, no Node. Names
 * outside the contract are refused here already, and main validates every argument again.
 * Listeners receive only the payload, never Electron's event object (which would leak
 * `sender` into the page).
 */
import type { EventName, IpcEvents, IpcResult, RequestName, SwimStudioApi } from '#shared/ipc';
import { EVENT_NAMES, REQUEST_NAMES, eventChannel, requestChannel } from '#shared/ipc';

/** The part of Electron's ipcRenderer the API uses (so it can be exercised without Electron). */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const requestNames = new Set<string>(REQUEST_NAMES);
const eventNames = new Set<string>(EVENT_NAMES);

export function createPreloadApi(ipc: RendererIpc): SwimStudioApi {
  const api: SwimStudioApi = {
    invoke: async (name, arg) => {
      if (!requestNames.has(name)) {
        return { ok: false, error: { code: 'unknown-request', message: `There is no request named "${String(name)}".` } };
      }
      return (await ipc.invoke(requestChannel(name as RequestName), arg)) as IpcResult<never>;
    },
    on: <E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void) => {
      if (!eventNames.has(event) || typeof listener !== 'function') return () => undefined;
      const wrapped = (_e: unknown, payload: unknown): void => listener(payload as IpcEvents[E]);
      ipc.on(eventChannel(event), wrapped);
      return () => {
        ipc.removeListener(eventChannel(event), wrapped);
      };
    },
  };
  return Object.freeze(api);
}
