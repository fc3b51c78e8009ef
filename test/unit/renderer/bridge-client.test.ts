/**
 * The renderer's bridge client against the real bridge server and app service (in process,
 * over a real WebSocket on loopback). Node has no browser WebSocket here, so the `ws`
 * package's client — same event API — stands in for the browser's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeClient } from '../../../src/renderer/src/api/bridge-client';
import { startBridge, type Bridge } from '../../../src/main/bridge/server';
import type { AppService } from '../../../src/main/service/app-service';
import type { LogEntry } from '#shared/ipc';
import { newService } from './in-process-api';

let service: AppService;
let bridge: Bridge;
let dir: string;
const g = globalThis as unknown as { WebSocket?: unknown };
const hadWebSocket = 'WebSocket' in g;
const original = g.WebSocket;

beforeEach(async () => {
  g.WebSocket = NodeWebSocket;
  dir = await mkdtemp(join(tmpdir(), 'swim-bridge-client-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  service = newService();
  bridge = await startBridge({ service, rendererDir: dir, port: 0 });
});
afterEach(async () => {
  await bridge.close();
  await service.dispose();
  await rm(dir, { recursive: true, force: true });
  if (hadWebSocket) g.WebSocket = original;
  else delete g.WebSocket;
});

function clientFor(url: string): BridgeClient {
  const u = new URL(url);
  const wsUrl = BridgeClient.urlFromLocation({ protocol: u.protocol, host: u.host, search: u.search });
  expect(wsUrl).not.toBeNull();
  return new BridgeClient(wsUrl!);
}

describe('the bridge client', () => {
  it('builds the WebSocket address from the page address and its token, or refuses without one', () => {
    expect(BridgeClient.urlFromLocation({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=a%2Bb' })).toBe('ws://127.0.0.1:5000/ipc?token=a%2Bb');
    expect(BridgeClient.urlFromLocation({ protocol: 'http:', host: '127.0.0.1:5000', search: '' })).toBeNull();
  });

  it('makes requests, carries bytes both ways, and receives events', async () => {
    const client = clientFor(bridge.url);
    const info = await client.invoke('appInfo', {});
    expect(info.ok && info.value.host).toBe('bridge');
    const logged: LogEntry[] = [];
    client.on('log', (e) => logged.push(e));
    const hex = new TextEncoder().encode(':0480000082008080FA\n:00000001FF\n');
    const file = await client.invoke('loadFileBytes', { name: 'v.hex', bytes: hex, part: 'stm8s103f3' });
    expect(file.ok).toBe(true);
    if (file.ok) {
      expect(file.value.segments[0].data).toBeInstanceOf(Uint8Array);
      expect(Array.from(file.value.segments[0].data)).toEqual([0x82, 0x00, 0x80, 0x80]);
    }
    await expect.poll(() => logged.some((l) => l.message.includes('v.hex'))).toBe(true);
    const bad = await client.invoke('partInfo', { name: 'stm8zz' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('unknown-part');
    client.close();
  });

  it('answers with an error, not a hang, when the token is wrong', async () => {
    const client = clientFor(bridge.url.replace(/token=[^&]+/, 'token=wrong'));
    const r = await client.invoke('appInfo', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bridge-closed');
  });

  it('fails pending requests and says the bridge is gone when the server stops', async () => {
    const client = clientFor(bridge.url);
    expect((await client.invoke('status', {})).ok).toBe(true);
    let lost: string | null = null;
    client.onLost = (e) => (lost = e.code);
    await bridge.close();
    await expect.poll(() => lost).toBe('bridge-closed');
    const after = await client.invoke('status', {});
    expect(after.ok).toBe(false);
  });
});
