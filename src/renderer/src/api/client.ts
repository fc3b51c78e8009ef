/**
 * The renderer's one way to reach the main process. In Electron the preload puts the typed
 * contract on `window.swimStudio`; in a browser served by `swim-studio ui` the same contract
 * runs over the bridge WebSocket. Stores call `call(name, arg)`, which unwraps the result and
 * throws an ApiError (code, message, remedy) so actions can use try/catch.
 */
import { API_GLOBAL, type RequestArg, type RequestName, type RequestResult, type SwimStudioApi } from '#shared/ipc';
import type { AppErrorData } from '#shared/errors';
import { BridgeClient } from './bridge-client';

export class ApiError extends Error implements AppErrorData {
  readonly code: string;
  readonly remedy?: string;
  readonly details?: Record<string, unknown>;
  constructor(data: AppErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    if (data.remedy !== undefined) this.remedy = data.remedy;
    if (data.details !== undefined) this.details = data.details;
  }
  toData(): AppErrorData {
    return { code: this.code, message: this.message, ...(this.remedy ? { remedy: this.remedy } : {}), ...(this.details ? { details: this.details } : {}) };
  }
}

/** Any thrown thing as error data for the UI. */
export function errorData(e: unknown): AppErrorData {
  if (e instanceof ApiError) return e.toData();
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

let current: SwimStudioApi | null = null;

/** The API the page was started with: the Electron preload, else the bridge, else null. */
export function detectApi(win: Window & typeof globalThis = window): SwimStudioApi | null {
  const preload = (win as unknown as Record<string, unknown>)[API_GLOBAL] as SwimStudioApi | undefined;
  if (preload && typeof preload.invoke === 'function') return preload;
  const url = BridgeClient.urlFromLocation(win.location);
  return url ? new BridgeClient(url) : null;
}

/** Sets the API (at start-up, or a test harness giving an in-process one). */
export function useApiInstance(api: SwimStudioApi | null): void {
  current = api;
}

export function api(): SwimStudioApi {
  if (!current) {
    throw new ApiError({
      code: 'no-backend',
      message: 'This page is not connected to SWIM Studio.',
      remedy: 'Start it with "npx swim-studio ui" and open the address it prints (it carries a token).',
    });
  }
  return current;
}

/** Invoke a request; resolves with its value or throws ApiError. */
export async function call<K extends RequestName>(name: K, arg: RequestArg<K>): Promise<RequestResult<K>> {
  const result = await api().invoke(name, arg);
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}
