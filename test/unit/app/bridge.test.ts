import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startUiServer } from '../../../src/main/bridge/start-ui';
import { AppProbes } from '../../../src/main/service/app-probes';
import { VirtualClock } from '../../../src/main/clock';
import type { UiServer } from '../../../src/main/bridge/start-ui';
import { decodeFrame, encodeFrame } from '#shared/ipc-wire';
import type { ServerFrame } from '#shared/ipc-wire';
import type { IpcResult, RequestName } from '#shared/ipc';

let ui: UiServer;
let dir: string;

beforeAll(async () => {
  // A stand-in page: these tests are about the bridge, not the renderer build.
  dir = mkdtempSync(join(tmpdir(), 'swim-bridge-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>SWIM Studio</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'swim-bridge-secret.txt'), 'secret');
  ui = await startUiServer({ rendererDir: dir, port: 0 });
});
afterAll(async () => {
  await ui?.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: ui.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function wsUrl(token: string | null): string {
  return `ws://127.0.0.1:${ui.port}/ipc${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
}

/** Opens a socket; resolves with it, or rejects with the HTTP status of a refused upgrade. */
function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

class Client {
  private next = 1;
  readonly events: { name: string; payload: unknown }[] = [];
  private readonly waiting = new Map<number, (r: IpcResult<unknown>) => void>();
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = decodeFrame(data.toString()) as ServerFrame;
      if (f.t === 'evt') this.events.push({ name: f.name, payload: f.payload });
      else this.waiting.get(f.id)?.(f.result);
    });
  }
  call(name: RequestName | string, arg: unknown): Promise<IpcResult<unknown>> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(encodeFrame({ t: 'req', id, name: name as RequestName, arg }));
    });
  }
}

describe('browser bridge', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(ui.url).toBe(`http://127.0.0.1:${ui.port}/?token=${ui.token}`);
    expect(ui.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the page only with the token, with the CSP header', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    const ok = await get(`/?token=${ui.token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('SWIM Studio');
    expect(String(ok.headers['content-security-policy'])).toMatch(/script-src 'self'/);
    expect((await get('/assets/app.js')).status).toBe(200);
  });

  it('asks for the token however the path to the page is spelt', async () => {
    for (const path of ['/%69ndex.html', '/index%2Ehtml', '//index.html', '/assets/../index.html', '/./index.html', '/assets/%2e%2e/index.html']) {
      const r = await get(path);
      expect(r.status, path).toBe(401);
      expect(r.body).not.toContain('SWIM Studio');
      expect((await get(`${path}?token=${ui.token}`)).status, path).toBe(200);
    }
  });

  it('refuses paths that leave the renderer folder, and foreign Host headers', async () => {
    expect((await get('/../swim-bridge-secret.txt')).status).not.toBe(200);
    expect((await get('/%2e%2e/swim-bridge-secret.txt')).status).not.toBe(200);
    expect((await get('/assets/..%2f..%2fswim-bridge-secret.txt')).status).not.toBe(200);
    expect((await get(`/?token=${ui.token}`, { host: 'evil.example:80' })).status).toBe(403);
  });

  it('refuses a WebSocket without the right token, or from a foreign origin', async () => {
    await expect(connect(wsUrl(null))).rejects.toThrow(/HTTP 401/);
    await expect(connect(wsUrl('nope'))).rejects.toThrow(/HTTP 401/);
    await expect(connect(wsUrl(ui.token), 'https://evil.example')).rejects.toThrow(/HTTP 403/);
    expect(ui.clients()).toBe(0);
  });

  it('answers requests with the token, from its own origin, as IpcResult data', async () => {
    const c = new Client(await connect(wsUrl(ui.token), `http://127.0.0.1:${ui.port}`));
    try {
      const info = await c.call('appInfo', {});
      expect(info).toMatchObject({ ok: true, value: { host: 'bridge', contractVersion: 1 } });
      const parts = (await c.call('listParts', {})) as IpcResult<{ name: string }[]>;
      expect(parts.ok && parts.value.length).toBeGreaterThan(50);
      // A chip name resolves through its stm8flash pattern (the catalogue lists "stm8s208?b").
      expect(await c.call('partInfo', { name: 'STM8S208RB' })).toMatchObject({ ok: true, value: { flash: { start: 0x8000, size: 128 * 1024 } } });
      expect(await c.call('partInfo', { name: 'stm8x999' })).toMatchObject({ ok: false, error: { code: 'unknown-part' } });
    } finally {
      c.ws.close();
    }
  });

  it('turns bad arguments, unknown requests and garbage frames into error data', async () => {
    const c = new Client(await connect(wsUrl(ui.token)));
    try {
      expect(await c.call('erase', { region: 'everything' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
      expect(await c.call('rm -rf', {})).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
      expect(await c.call('readRegion', { region: 'flash' })).toMatchObject({ ok: false, error: { code: 'not-connected' } });
      const reply = new Promise<ServerFrame>((resolve) => c.ws.once('message', (d) => resolve(decodeFrame(d.toString()) as ServerFrame)));
      c.ws.send('{"t":"req"');
      expect(await reply).toMatchObject({ t: 'res', id: -1, result: { ok: false, error: { code: 'invalid-frame' } } });
    } finally {
      c.ws.close();
    }
  });

  it('carries bytes both ways and pushes events to every client', async () => {
    const a = new Client(await connect(wsUrl(ui.token)));
    const b = new Client(await connect(wsUrl(ui.token)));
    try {
      const hex = ':0400000001020304F2\n:00000001FF\n';
      const loaded = (await a.call('loadFileBytes', { name: 'fw.hex', bytes: new TextEncoder().encode(hex), part: 'stm8s103f3' })) as IpcResult<{ segments: { region: string; address: number; data: Uint8Array }[]; outside: unknown[] }>;
      expect(loaded.ok).toBe(true);
      if (!loaded.ok) return;
      // 0x0000 is RAM on an STM8: the file's 4 bytes land in the RAM tab.
      expect(loaded.value.segments).toEqual([{ region: 'ram', address: 0, data: new Uint8Array([1, 2, 3, 4]) }]);
      const saved = (await a.call('saveFile', { segments: loaded.value.segments, format: 'bin' })) as IpcResult<{ bytes: Uint8Array; name: string }>;
      expect(saved).toMatchObject({ ok: true, value: { name: 'image.bin', bytes: new Uint8Array([1, 2, 3, 4]) } });
      await a.call('setSettings', { theme: 'dark' });
      await new Promise((r) => setTimeout(r, 50));
      for (const c of [a, b]) {
        expect(c.events.some((e) => e.name === 'settingsChanged' && (e.payload as { theme: string }).theme === 'dark')).toBe(true);
        expect(c.events.some((e) => e.name === 'log' && /fw\.hex/.test((e.payload as { message: string }).message))).toBe(true);
      }
    } finally {
      a.ws.close();
      b.ws.close();
    }
  });
});

describe('jobs over the bridge', () => {
  it('streams job progress to the page and answers a second job with busy', async () => {
    // Its own server on a virtual-clock engine, so the 128 KB program runs at model speed.
    const own = await startUiServer({ rendererDir: dir, port: 0, probes: new AppProbes({ virtualClock: () => new VirtualClock() }) });
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const w = new WebSocket(`ws://127.0.0.1:${own.port}/ipc?token=${own.token}`);
      w.once('open', () => resolve(w));
      w.once('error', reject);
    });
    const c = new Client(ws);
    try {
      expect(await c.call('connect', { probe: { kind: 'virtual', variant: 'stlinkv3' }, part: 'stm8s208rb' })).toMatchObject({ ok: true });
      const data = Uint8Array.from({ length: 128 * 1024 }, (_, i) => (i * 7 + 1) & 255);
      const program = c.call('program', { segments: [{ region: 'flash', address: 0x8000, data }] });
      const busy = await c.call('readRegion', { region: 'eeprom' });
      expect(busy).toMatchObject({ ok: false, error: { code: 'busy' } });
      const done = (await program) as IpcResult<{ report: { jobId: string; bytes: number; verified: boolean } }>;
      expect(done).toMatchObject({ ok: true, value: { report: { bytes: 128 * 1024, verified: true } } });
      if (!done.ok) return;
      const progress = c.events.filter((e) => e.name === 'jobProgress').map((e) => e.payload as { jobId: string; phase: string; done: number; total: number });
      const mine = progress.filter((p) => p.jobId === done.value.report.jobId);
      expect(mine.length).toBeGreaterThan(2);
      expect(mine.some((p) => /writing flash/.test(p.phase))).toBe(true);
      // done never goes backwards within a phase
      for (let i = 1; i < mine.length; i++) if (mine[i].phase === mine[i - 1].phase) expect(mine[i].done).toBeGreaterThanOrEqual(mine[i - 1].done);
      const states = c.events.filter((e) => e.name === 'jobState').map((e) => e.payload as { jobId: string; state: string });
      expect(states.filter((s) => s.jobId === done.value.report.jobId).map((s) => s.state)).toEqual(['running', 'done']);
    } finally {
      ws.close();
      await own.close();
    }
  });
});

describe('swim-studio ui (the command)', () => {
  it('prints the URL as JSON, serves with the token only, and stops cleanly on SIGTERM', async () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const child = spawn(process.execPath, [join(root, 'bin', 'swim-studio.mjs'), '--json', 'ui', '--port', '0'], {
      cwd: root,
      env: { ...process.env, SWIM_STUDIO_UI_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      void exited.then(() => reject(new Error(`ui exited early: ${stderr}`)));
    });
    const { url, port, token } = JSON.parse(line) as { url: string; port: number; token: string };
    expect(url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('SWIM Studio');
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);

  it('refuses a bad port as a usage error', async () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const child = spawn(process.execPath, [join(root, 'bin', 'swim-studio.mjs'), 'ui', '--port', 'eighty'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--port needs a number/);
  }, 30_000);
});
