/**
 * The real app service (src/main/service) offered to the renderer's stores in-process, the
 * way the preload and the bridge offer it in the app: invoke → handle, on → its events.
 * Arguments and results are structured-cloned, as Electron's IPC does, so no object is
 * shared between the two sides by accident.
 */
import type { EventName, IpcEvents, SwimStudioApi } from '#shared/ipc';
import { AppService } from '../../../src/main/service/app-service';

export function inProcessApi(service: AppService): SwimStudioApi {
  return {
    invoke: async (name, arg) => structuredClone(await service.handle(name, structuredClone(arg))) as never,
    on: <E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void) =>
      service.events.on(event, (p) => listener(structuredClone(p))),
  };
}

export function newService(onDirty?: (dirty: boolean, title: string | undefined) => void): AppService {
  const service = new AppService({ host: 'bridge', version: 'test', ...(onDirty ? { onDirty } : {}) });
  service.start();
  return service;
}
