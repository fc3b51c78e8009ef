/**
 * The IPC contract over the browser bridge's WebSocket (src/shared/ipc-wire.ts): the same
 * `SwimStudioApi` the Electron preload exposes, so nothing above this file knows which one
 * it has. Requests are matched to replies by id; a dropped socket fails every pending
 * request with a clear error instead of leaving it hanging.
 */
import type { EventName, IpcEvents, IpcResult, RequestArg, RequestName, RequestResult, SwimStudioApi } from '#shared/ipc';
import { BRIDGE_TOKEN_PARAM, BRIDGE_WS_PATH, decodeFrame, encodeFrame, type ServerFrame } from '#shared/ipc-wire';
import type { AppErrorData } from '#shared/errors';

type Pending = (result: IpcResult<unknown>) => void;
type Listener = (payload: unknown) => void;

const LOST: AppErrorData = {
  code: 'bridge-closed',
  message: 'The connection to SWIM Studio was lost.',
  remedy: 'Check that "swim-studio ui" is still running, then reload the page.',
};

export class BridgeClient implements SwimStudioApi {
  private socket: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<Listener>>();
  /** Called when the socket closes unexpectedly (the app shows a banner). */
  onLost: ((error: AppErrorData) => void) | null = null;

  constructor(private readonly url: string) {}

  /** The WebSocket URL for a page served by the bridge, or null when the page has no token. */
  static urlFromLocation(location: { protocol: string; host: string; search: string }): string | null {
    const token = new URLSearchParams(location.search).get(BRIDGE_TOKEN_PARAM);
    if (!token) return null;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}${BRIDGE_WS_PATH}?${BRIDGE_TOKEN_PARAM}=${encodeURIComponent(token)}`;
  }

  async invoke<K extends RequestName>(name: K, arg: RequestArg<K>): Promise<IpcResult<RequestResult<K>>> {
    let socket: WebSocket;
    try {
      socket = await this.open();
    } catch {
      return { ok: false, error: { ...LOST, message: 'Could not reach SWIM Studio over the bridge.' } };
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as Pending);
      try {
        socket.send(encodeFrame({ t: 'req', id, name, arg }));
      } catch {
        this.pending.delete(id);
        resolve({ ok: false, error: LOST });
      }
    });
  }

  on<E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    // Open early so events flow even before the first request.
    void this.open().catch(() => undefined);
    return () => set.delete(listener as Listener);
  }

  close(): void {
    this.socket?.close();
  }

  private open(): Promise<WebSocket> {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) return Promise.resolve(this.socket);
    if (this.opening) return this.opening;
    this.opening = new Promise<WebSocket>((resolve, reject) => {
      performance.mark?.('swim:bridge-connecting');
      const ws = new WebSocket(this.url);
      ws.addEventListener('open', () => {
        // Start-up timing, read by the end-to-end speed measurement.
        performance.mark?.('swim:bridge-open');
        this.socket = ws;
        this.opening = null;
        resolve(ws);
      });
      ws.addEventListener('message', (e: MessageEvent) => this.receive(String(e.data)));
      // A refused or broken connection reports 'error' and then 'close'; 'close' settles
      // everything, so the error needs no handling of its own (only a listener).
      ws.addEventListener('error', () => undefined);
      ws.addEventListener('close', () => {
        const wasOpen = this.socket === ws;
        if (wasOpen) this.socket = null;
        this.opening = null;
        this.failPending();
        if (wasOpen) this.onLost?.(LOST);
        else reject(new Error('bridge refused the connection'));
      });
    });
    return this.opening;
  }

  private receive(text: string): void {
    let frame: ServerFrame;
    try {
      frame = decodeFrame(text) as ServerFrame;
    } catch {
      return; // Not JSON: nothing we can match it to; the request it belonged to will fail on close.
    }
    if (frame.t === 'res') {
      const done = this.pending.get(frame.id);
      if (done) {
        this.pending.delete(frame.id);
        done(frame.result);
      }
    } else if (frame.t === 'evt') {
      for (const l of this.listeners.get(frame.name) ?? []) l(frame.payload);
    }
  }

  private failPending(): void {
    for (const done of this.pending.values()) done({ ok: false, error: LOST });
    this.pending.clear();
  }
}
