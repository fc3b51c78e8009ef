/**
 * The browser bridge: serves the built renderer over HTTP and the IPC contract over a
 * WebSocket, both on loopback only, so the real UI runs in any Chromium against the real
 * main-process code (the app service) — for `swim-studio ui` and the end-to-end tests.
 *
 * Security, since any web page the user visits can try to reach a port on 127.0.0.1:
 *  - bound to 127.0.0.1 only;
 *  - a random token in the printed URL; the page and the WebSocket upgrade without it are
 *    refused (401), so no request is ever accepted from a page that was not given the URL
 *    (the page is recognised by the file its decoded path resolves to, not by its spelling);
 *  - the Host header must name the loopback address (defeats DNS rebinding) and a WebSocket
 *    Origin, when sent, must be this server's own origin;
 *  - the strict CSP of the renderer is sent as a header as well.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { ClientFrame, ServerFrame } from '#shared/ipc-wire';
import { BRIDGE_TOKEN_PARAM, BRIDGE_WS_PATH, decodeFrame, encodeFrame } from '#shared/ipc-wire';
import type { AppService } from '../service/app-service';
import { resolveUnder, sendFile, sendText } from './static-files';
import { newToken, tokenMatches } from './token';

export interface BridgeOptions {
  service: AppService;
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string;
  /** 0 = any free port. */
  port?: number;
  /** Fixed token (tests); random when absent. */
  token?: string;
}

export interface Bridge {
  /** The URL to open, token included: http://127.0.0.1:PORT/?token=... */
  url: string;
  port: number;
  token: string;
  /** Number of WebSocket clients connected now. */
  clients(): number;
  close(): Promise<void>;
}

/** Frames bigger than this are refused (a 128 KB image is ~180 KB of base64). */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost'];

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = opts.token ?? newToken();
  const pagePath = resolveUnder(opts.rendererDir, '/');
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const server: Server = createServer((req, res) => {
    const url = parseUrl(req);
    if (!url || !hostAllowed(req, port())) return sendText(res, 403, 'Forbidden: the bridge answers on 127.0.0.1 only.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
    // The token guards the page itself, so the check runs on the file the path resolves to,
    // after percent-decoding and normalising: "/%69ndex.html", "//index.html" and
    // "/assets/../index.html" all name the page and all need the token.
    const file = resolveUnder(opts.rendererDir, url.pathname);
    if (!file) return sendText(res, 400, 'Bad path.');
    if (file === pagePath && !tokenMatches(token, url.searchParams.get(BRIDGE_TOKEN_PARAM))) {
      return sendText(res, 401, 'Open the exact URL that "swim-studio ui" printed: it carries the access token.');
    }
    void sendFile(res, file);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = parseUrl(req);
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (!url || url.pathname !== BRIDGE_WS_PATH) return refuse(404, 'Not Found');
    if (!hostAllowed(req, port()) || !originAllowed(req, port())) return refuse(403, 'Forbidden');
    if (!tokenMatches(token, url.searchParams.get(BRIDGE_TOKEN_PARAM))) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws, opts.service));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (): number => (server.address() as AddressInfo).port;
  const p = port();
  return {
    url: `http://127.0.0.1:${p}/?${BRIDGE_TOKEN_PARAM}=${token}`,
    port: p,
    token,
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One browser tab: every event of the service goes to it; each request frame gets one answer. */
function serveClient(ws: WebSocket, service: AppService): void {
  const send = (frame: ServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(frame));
  };
  const unsubscribe = service.events.subscribe((name, payload) => send({ t: 'evt', name, payload }));
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);
  ws.on('message', (data, isBinary) => {
    const frame = isBinary ? null : parseClientFrame(data.toString());
    if (!frame) {
      send({ t: 'res', id: -1, result: { ok: false, error: { code: 'invalid-frame', message: 'The bridge could not read that message.', remedy: 'Send JSON frames { t: "req", id, name, arg }.' } } });
      return;
    }
    void service.handle(frame.name, frame.arg).then((result) => send({ t: 'res', id: frame.id, result }));
  });
}

function parseClientFrame(text: string): ClientFrame | null {
  let v: unknown;
  try {
    v = decodeFrame(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const f = v as Record<string, unknown>;
  if (f.t !== 'req' || typeof f.id !== 'number' || !Number.isSafeInteger(f.id) || typeof f.name !== 'string') return null;
  // The name itself is checked by the service (unknown → 'unknown-request'), the argument by its schema.
  return { t: 'req', id: f.id, name: f.name as ClientFrame['name'], arg: f.arg };
}

function parseUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  if (!host) return false;
  return LOOPBACK_HOSTS.some((h) => host === `${h}:${port}`);
}

function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser (tests, tools): the token alone guards
  return LOOPBACK_HOSTS.some((h) => origin === `http://${h}:${port}`);
}

