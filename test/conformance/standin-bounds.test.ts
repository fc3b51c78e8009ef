// The stand-in must turn every broken or missing server into a clean, prompt failure of the
// client — never a hang. The real virtual probe cannot play these (a server that never says
// hello, or says it wrongly), so tiny raw socket servers do; OpenOCD is the client.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceTools, runOpenOcd } from './harness';
import { explain, SCENARIO_TIMEOUT_MS } from './served';

const tools = await conformanceTools();
const skip = tools.missing.length > 0 && !process.env.CI;
if (skip) console.warn(`[conformance] stand-in bound tests skipped: missing ${tools.missing.join(', ')}`);

/** Bound the stand-in's waits so the silent-server cases end quickly. */
const FAST = { SWIM_STUDIO_STANDIN_MAX_WAIT_MS: '400' };
const RUN_TIMEOUT_MS = 30_000;

let work: string;
const servers: Server[] = [];
const sockets: Socket[] = [];
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'swim-standin-'));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  if (work) await rm(work, { recursive: true, force: true });
});

/** A raw Unix-socket server that runs `onClient` for each connection. */
async function rawServer(name: string, onClient: (s: Socket) => void): Promise<string> {
  const path = join(work, name);
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => s.destroy());
    onClient(s);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

/** docs/spec/simulator.md §7 hello: version, VID, PID (LE), serial, product. */
function hello(version: number, pid: number): Buffer {
  const serial = Buffer.from('BOUNDS');
  const product = Buffer.from('STM32 STLink');
  return Buffer.concat([Buffer.from([version, 0x83, 0x04, pid & 0xff, pid >> 8, serial.length]), serial, Buffer.from([product.length]), product]);
}

describe.skipIf(skip)('stand-in libusb: a missing or broken server fails cleanly', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it.concurrent('no socket configured: the bus is empty and OpenOCD says so', async ({ expect }) => {
    const r = await runOpenOcd({ socketPath: '', commands: ['init'], env: { SWIM_STUDIO_SIM_SOCKET: undefined }, timeoutMs: RUN_TIMEOUT_MS });
    expect(r.timedOut, explain(r)).toBe(false);
    expect(r.exitCode, explain(r)).not.toBe(0);
    expect(r.output, explain(r)).toContain('SWIM_STUDIO_SIM_SOCKET is not set');
    expect(r.output, explain(r)).toMatch(/open failed/);
  });

  it.concurrent('nothing listening on the socket path', async ({ expect }) => {
    const r = await runOpenOcd({ socketPath: join(work, 'nobody.sock'), commands: ['init'], timeoutMs: RUN_TIMEOUT_MS });
    expect(r.timedOut, explain(r)).toBe(false);
    expect(r.exitCode, explain(r)).not.toBe(0);
    expect(r.output, explain(r)).toMatch(/cannot connect to .*nobody\.sock/);
    expect(r.output, explain(r)).toMatch(/open failed/);
  });

  it.concurrent('a server that accepts but never says hello', async ({ expect }) => {
    const path = await rawServer('mute.sock', () => undefined);
    const r = await runOpenOcd({ socketPath: path, commands: ['init'], env: FAST, timeoutMs: RUN_TIMEOUT_MS });
    expect(r.timedOut, explain(r)).toBe(false);
    expect(r.exitCode, explain(r)).not.toBe(0);
    expect(r.output, explain(r)).toMatch(/no valid hello .*LIBUSB_ERROR_TIMEOUT/);
  });

  it.concurrent('a hello of an unknown protocol version', async ({ expect }) => {
    const path = await rawServer('v9.sock', (s) => s.write(hello(9, 0x3748)));
    const r = await runOpenOcd({ socketPath: path, commands: ['init'], env: FAST, timeoutMs: RUN_TIMEOUT_MS });
    expect(r.exitCode, explain(r)).not.toBe(0);
    expect(r.output, explain(r)).toContain('unknown hello version 9');
  });

  it.concurrent('a probe that says hello and then never answers a request', async ({ expect }) => {
    let requests = 0;
    const path = await rawServer('silent.sock', (s) => {
      s.write(hello(1, 0x3748));
      s.on('data', () => requests++);
    });
    const r = await runOpenOcd({ socketPath: path, commands: ['init'], env: FAST, timeoutMs: RUN_TIMEOUT_MS });
    expect(r.timedOut, explain(r)).toBe(false);
    expect(r.exitCode, explain(r)).not.toBe(0);
    expect(requests, explain(r)).toBeGreaterThan(0); // OpenOCD did find the device and talk to it
    expect(r.output, explain(r)).not.toMatch(/STLINK V\d/);
  });
});
