import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/main/clock';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { serveVirtualProbe } from '../../../src/main/sim/socket-server';
import { SockClient } from './socket-client';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swim-sim-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Drives the stm8flash-style connect and a RAM write/read over the socket. */
async function swimSession(c: SockClient, outEp: number): Promise<void> {
  const poll = async (): Promise<number> => {
    for (let i = 0; i < 1000; i++) {
      expect((await c.out(outEp, [0xf4, 0x09])).status).toBe(0);
      const r = await c.request('I', 0x81, 4);
      if (r.data[0] !== 1) return r.data[0];
    }
    throw new Error('busy');
  };
  await c.out(outEp, [0xf3, 0x07]);
  await c.out(outEp, [0xf4, 0x00]);
  await c.out(outEp, [0xf4, 0x07]);
  expect(await poll()).toBe(0);
  await c.out(outEp, [0xf4, 0x04]);
  expect(await poll()).toBe(0);
  await c.out(outEp, [0xf4, 0x0a, 0, 1, 0, 0, 0x7f, 0x80, 0xa1]);
  expect(await poll()).toBe(0);
  await c.out(outEp, [0xf4, 0x08]);
  expect(await poll()).toBe(0);
}

describe('socket server (docs/spec/simulator.md §7)', () => {
  it('sends the hello, answers transfers with status/actual, and maps errors to libusb numbers', async () => {
    const probe = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', serial: 'SER123', clock: new RealClock() });
    const sock = path.join(dir, 'a.sock');
    const server = await serveVirtualProbe(probe, sock, { transferTimeoutMs: 50 });
    try {
      const { client, hello } = await SockClient.connect(sock);
      expect(hello).toEqual({ version: 1, vid: 0x0483, pid: 0x3748, serial: 'SER123', product: 'STM32 STLink' });
      expect(await client.out(0x02, [0xf1])).toMatchObject({ status: 0, actual: 16 });
      const v = await client.request('I', 0x81, 64);
      expect(v.status).toBe(0);
      expect(Array.from(v.data)).toEqual([0x29, 0x47, 0x83, 0x04, 0x48, 0x37]);
      expect((await client.out(0x01, [0xf1])).status).toBe(-9); // wrong endpoint: PIPE
      expect((await client.request('I', 0x81, 6)).status).toBe(-7); // nothing pending: TIMEOUT
      expect(await client.request('R', 0, 0)).toMatchObject({ status: 0, actual: 0 });

      // A second client gets the hello, then BUSY on every request.
      const second = await SockClient.connect(sock);
      expect(second.hello.pid).toBe(0x3748);
      expect((await second.client.out(0x02, [0xf1])).status).toBe(-6);
      expect((await second.client.request('I', 0x81, 6)).status).toBe(-6);
      second.client.close();

      await swimSession(client, 0x02);
      await client.out(0x02, [0xf4, 0x0a, 0, 2, 0, 0, 0x01, 0x00, 0xbe, 0xef]);
      expect(Array.from(probe.target.peek(0x0100, 2))).toEqual([0xbe, 0xef]);
      client.close();
    } finally {
      await server.close();
    }
    expect(fs.existsSync(sock)).toBe(false);
  });

  it('answers BUSY to every request when the probe is held by another program', async () => {
    const probe = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3', faults: [{ name: 'busy' }], clock: new RealClock() });
    const sock = path.join(dir, 'b.sock');
    const server = await serveVirtualProbe(probe, sock);
    try {
      const { client } = await SockClient.connect(sock);
      expect((await client.out(0x01, [0xf1])).status).toBe(-6);
      client.close();
    } finally {
      await server.close();
    }
  });

  it('gives the probe to a client that connects as the previous one leaves, before the server has seen it go', async () => {
    // A process that exits releases its claim at once on a real USB stack; the next process
    // (OpenOCD run after OpenOCD) must not get BUSY because the server heard of the exit late.
    const probe = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', clock: new RealClock() });
    const sock = path.join(dir, 'd.sock');
    const server = await serveVirtualProbe(probe, sock);
    try {
      for (let round = 0; round < 5; round++) {
        const a = await SockClient.connect(sock);
        expect((await a.client.out(0x02, [0xf1])).status).toBe(0);
        expect((await a.client.request('I', 0x81, 6)).status).toBe(0);
        a.client.close();
        const b = await SockClient.connect(sock);
        expect((await b.client.out(0x02, [0xf1])).status, `round ${round}`).toBe(0);
        expect((await b.client.request('I', 0x81, 6)).status, `round ${round}`).toBe(0);
        b.client.close();
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await server.close();
    }
  });

  it('serves one client after another with the chip kept', async () => {
    const probe = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3', clock: new RealClock() });
    const sock = path.join(dir, 'c.sock');
    const server = await serveVirtualProbe(probe, sock);
    try {
      const a = await SockClient.connect(sock);
      await swimSession(a.client, 0x01);
      a.client.close();
      await new Promise((r) => setTimeout(r, 50));
      const b = await SockClient.connect(sock);
      // The second client finds SWIM still active on the target: it reads SWIM_CSR
      // without a new entry sequence (OpenOCD's reconnect).
      await b.client.out(0x01, [0xf4, 0x00]);
      expect((await b.client.out(0x01, [0xf4, 0x0b, 0, 1, 0, 0, 0x7f, 0x80])).status).toBe(0);
      for (;;) {
        await b.client.out(0x01, [0xf4, 0x09]);
        const st = (await b.client.request('I', 0x81, 4)).data[0];
        if (st !== 1) {
          expect(st).toBe(0);
          break;
        }
      }
      await b.client.out(0x01, [0xf4, 0x0c]);
      expect(Array.from((await b.client.request('I', 0x81, 1)).data)).toEqual([0xa3]);
      b.client.close();
    } finally {
      await server.close();
    }
  });

  it('keeps a virtual clock up with the wall time between requests', async () => {
    const probe = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' });
    const sock = path.join(dir, 'd.sock');
    const server = await serveVirtualProbe(probe, sock);
    try {
      const { client } = await SockClient.connect(sock);
      const t0 = probe.clock.now();
      await new Promise((r) => setTimeout(r, 60));
      await client.out(0x02, [0xf5]);
      expect(probe.clock.now() - t0).toBeGreaterThanOrEqual(55); // timers may fire a little early
      client.close();
    } finally {
      await server.close();
    }
  });
});

describe('swim-studio sim serve (CLI round trip with a state file)', () => {
  const bin = path.resolve(__dirname, '../../../bin/swim-studio.mjs');

  async function startServer(sock: string, state: string, extra: string[] = []): Promise<{ stop: () => Promise<{ code: number | null; out: string }> }> {
    const child = spawn(process.execPath, [bin, 'sim', 'serve', '--socket', sock, '--probe', 'stlinkv2', '--part', 'stm8s103f3', '--state', state, ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 600 && !out.includes(`listening on ${sock}`); i++) {
      if (child.exitCode !== null) throw new Error(`server exited: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(out).toContain(`listening on ${sock}`);
    return {
      stop: async () => {
        child.kill('SIGTERM');
        return { code: await exited, out };
      },
    };
  }

  it('writes all memories at exit and a later server starts with them', async () => {
    const sock = path.join(dir, 'cli.sock');
    const state = path.join(dir, 'chip.json');
    const s1 = await startServer(sock, state);
    const { client } = await SockClient.connect(sock);
    await swimSession(client, 0x02);
    // Unlock data EEPROM, option-free byte write into EEPROM, and RAM content.
    const w = async (addr: number, bytes: number[]): Promise<void> => {
      await client.out(0x02, [0xf4, 0x0a, 0, bytes.length, 0, 0, addr >> 8, addr & 0xff, ...bytes]);
      for (;;) {
        await client.out(0x02, [0xf4, 0x09]);
        if ((await client.request('I', 0x81, 4)).data[0] !== 1) break;
      }
    };
    await w(0x5064, [0xae]);
    await w(0x5064, [0x56]);
    await w(0x4000, [0x42]);
    await new Promise((r) => setTimeout(r, 10)); // 6 ms program cycle, on the real-time clock
    await w(0x0010, [1, 2, 3]);
    client.close();
    const r1 = await s1.stop();
    expect(r1.code).toBe(0);
    const saved = JSON.parse(fs.readFileSync(state, 'utf8'));
    expect(saved.part).toBe('stm8s103f3');
    expect(Buffer.from(saved.memories.eeprom, 'base64')[0]).toBe(0x42);

    const s2 = await startServer(sock, state);
    const again = await SockClient.connect(sock);
    await swimSession(again.client, 0x02);
    await again.client.out(0x02, [0xf4, 0x0b, 0, 1, 0, 0, 0x40, 0x00]);
    for (;;) {
      await again.client.out(0x02, [0xf4, 0x09]);
      if ((await again.client.request('I', 0x81, 4)).data[0] !== 1) break;
    }
    await again.client.out(0x02, [0xf4, 0x0c]);
    expect(Array.from((await again.client.request('I', 0x81, 1)).data)).toEqual([0x42]);
    again.client.close();
    expect((await s2.stop()).code).toBe(0);
  }, 60_000);
});
