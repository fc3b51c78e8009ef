/**
 * The browser bridge's wire format: the IPC contract (./ipc.ts) as JSON text frames over a
 * WebSocket. Pure TypeScript so both ends (src/main/bridge and the renderer's client) share it.
 *
 * Frames:
 *   client → server  { t: 'req', id: number, name: RequestName, arg: unknown }
 *   server → client  { t: 'res', id: number, result: IpcResult<unknown> }
 *                    { t: 'evt', name: EventName, payload: unknown }
 * Uint8Array values anywhere inside are encoded as { $bytes: "<base64>" } (JSON has no bytes).
 * The token travels in the WebSocket URL's query (?token=...); the server refuses the upgrade
 * without it, so no frame is ever accepted from an unauthenticated page.
 */
import type { EventName, IpcResult, RequestName } from './ipc';

export type ClientFrame = { t: 'req'; id: number; name: RequestName; arg: unknown };
export type ServerFrame = { t: 'res'; id: number; result: IpcResult<unknown> } | { t: 'evt'; name: EventName; payload: unknown };

/** Path of the WebSocket endpoint on the bridge's HTTP server. */
export const BRIDGE_WS_PATH = '/ipc';
/** Query parameter carrying the token, in the page URL and in the WebSocket URL. */
export const BRIDGE_TOKEN_PARAM = 'token';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

export function bytesToBase64(bytes: Uint8Array): string {
  // Write ASCII codes into a buffer, then turn it into text in bounded pieces: fast for
  // 128 KB images and safe for String.fromCharCode's argument limit.
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = B64_CODES[(n >> 18) & 63];
    out[o++] = B64_CODES[(n >> 12) & 63];
    out[o++] = B64_CODES[(n >> 6) & 63];
    out[o++] = B64_CODES[n & 63];
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest > 1 ? bytes[i + 1] << 8 : 0);
    out[o++] = B64_CODES[(n >> 18) & 63];
    out[o++] = B64_CODES[(n >> 12) & 63];
    out[o++] = rest > 1 ? B64_CODES[(n >> 6) & 63] : 61;
    out[o] = 61; // '='
  }
  const parts: string[] = [];
  for (let k = 0; k < out.length; k += 8192) parts.push(String.fromCharCode(...out.subarray(k, k + 8192)));
  return parts.join('');
}

export function base64ToBytes(text: string): Uint8Array {
  let len = text.length;
  while (len > 0 && text.charCodeAt(len - 1) === 61 /* '=' */) len--;
  if (len % 4 === 1) throw new Error('invalid base64 length');
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) throw new Error('invalid base64 character');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

/** JSON.stringify with Uint8Array → { $bytes }. */
export function encodeFrame(frame: ClientFrame | ServerFrame): string {
  return JSON.stringify(frame, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return { $bytes: bytesToBase64(value) };
    return value;
  });
}

/** JSON.parse with { $bytes } → Uint8Array. Throws on text that is not JSON. */
export function decodeFrame(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === '$bytes' && typeof o.$bytes === 'string') return base64ToBytes(o.$bytes);
    }
    return value;
  });
}
