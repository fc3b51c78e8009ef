/**
 * The strict SWIM rules of the virtual probe (CHOICES.md "Read this first"): a SWIM
 * command other than READSTATUS is lost unless a READSTATUS has reported the previous
 * asynchronous command done; each loss is a recorded protocol violation; a client that goes
 * away leaves nothing behind for the next one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/main/clock';
import { createVirtualProbe, formatViolation } from '../../../src/main/sim/index';
import { serveVirtualProbe } from '../../../src/main/sim/socket-server';
import { RawHost, IN_EP, pattern } from './raw-host';
import { SockClient } from './socket-client';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swim-rules-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function enterSwimMode(h: RawHost): Promise<void> {
  await h.cmd([0xf3, 0x07]);
  await h.cmd([0xf4, 0x00]);
}

describe('a SWIM command before the previous one was reported done is lost', () => {
  it('also when the previous one has finished on the wire: only a READSTATUS reports it done', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await enterSwimMode(h);
    await h.cmd([0xf4, 0x04]); // ENTER_SEQ, 10 ms
    await h.sleep(50); // long finished
    await h.cmd([0xf4, 0x07]); // ASSERT_RESET without a READSTATUS in between
    expect(h.probe.target.isInReset()).toBe(false);
    expect(h.probe.violations()).toMatchObject([{ rule: 'command-while-busy', command: 'ASSERT_RESET' }]);
    expect(h.probe.violations()[0].reason).toMatch(/ENTER_SEQ finished but no READSTATUS has reported it done/);
    expect(await h.status()).toBe(0x00); // the report
    expect(await h.swim(0x07)).toBe(0x00); // now taken
    expect(h.probe.target.isInReset()).toBe(true);
    expect(h.probe.violations()).toHaveLength(1);
  });

  it('a lost WRITEMEM swallows its data phase: memory unchanged, framing intact', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.connect();
    await h.cmd([0xf4, 0x0b, 0x04, 0x00, 0, 0, 0x01, 0x00]); // READMEM 1024 bytes at low speed ≈ 33 ms
    await h.writeMemNoWait(0x0000, pattern(40, 3)); // 8 bytes in the block + 32 in the data phase
    expect(h.probe.violations()).toMatchObject([{ rule: 'command-while-busy', command: 'WRITEMEM 0x0+40' }]);
    expect(await h.settle()).toBe(0x00);
    expect(Array.from(h.probe.target.peek(0x0000, 40))).not.toEqual(Array.from(pattern(40, 3)));
    // The next command is a command again, not taken for data.
    expect(await h.writeMem(0x0000, pattern(40, 3))).toBe(0x00);
    expect(Array.from(h.probe.target.peek(0x0000, 40))).toEqual(Array.from(pattern(40, 3)));
    expect(h.probe.violations()).toHaveLength(1);
  });

  it('a lost synchronous SWIM command (READ_CAP) leaves nothing to read; READSTATUS and non-SWIM commands always answer', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await enterSwimMode(h);
    await h.cmd([0xf4, 0x04]);
    expect(Array.from(await h.cmdIn([0xf5], 2))).toEqual([0x03, 0x00]); // GET_CURRENT_MODE: not a SWIM command
    expect((await h.cmdIn([0xf4, 0x09], 4))[0]).toBe(0x01);
    await h.cmd([0xf4, 0x02, 0x01]);
    await expect(h.probe.transport.transferIn(IN_EP, 8, 20)).rejects.toMatchObject({ code: 'timeout' });
    expect(h.probe.violations().map((v) => v.command)).toEqual(['READ_CAP']);
  });

  it('reports each violation as it happens to onViolation (sim serve logs them with formatViolation)', async () => {
    const seen: string[] = [];
    const probe = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', onViolation: (v) => seen.push(formatViolation(v)) });
    const h = new RawHost(probe);
    await probe.transport.open();
    await probe.transport.claimInterface(0);
    await enterSwimMode(h);
    await h.cmd([0xf4, 0x04]);
    await h.cmd([0xf4, 0x06]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^protocol violation at \d+\.\d{3} ms: command-while-busy: RESET \(ENTER_SEQ still running/);
  });

  it('clearViolations forgets them', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await enterSwimMode(h);
    await h.cmd([0xf4, 0x04]);
    await h.cmd([0xf4, 0x04]);
    expect(h.probe.violations()).toHaveLength(1);
    h.probe.clearViolations();
    expect(h.probe.violations()).toEqual([]);
  });
});

describe('the BUSY state does not outlive its client', () => {
  it('in process: after close, the operation runs to its end and the next client is not held up by the missing report', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.connect();
    await h.cmd([0xf4, 0x0b, 0x18, 0x00, 0, 0, 0x80, 0x00]); // READMEM 6144 bytes at low speed ≈ 200 ms
    await h.probe.transport.close();
    await h.probe.transport.open();
    await h.probe.transport.claimInterface(0);
    await h.cmd([0xf4, 0x07]); // still running: lost (the probe is busy for real)
    expect(h.probe.violations()).toHaveLength(1);
    expect(h.probe.violations()[0].reason).toMatch(/READMEM 0x8000\+6144 still running/);
    await h.sleep(250);
    expect(await h.swim(0x07)).toBe(0x00); // ended on its own; no READSTATUS needed first
    expect(h.probe.target.isInReset()).toBe(true);
    expect(h.probe.violations()).toHaveLength(1);
  });

  it('over the socket (sim serve): a client that disconnects with a READMEM in flight leaves the probe usable', async () => {
    const probe = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', clock: new RealClock() });
    const sock = path.join(dir, 'gone.sock');
    const server = await serveVirtualProbe(probe, sock);
    try {
      const a = (await SockClient.connect(sock)).client;
      const poll = async (c: SockClient): Promise<number> => {
        for (let i = 0; i < 2000; i++) {
          await c.out(0x02, [0xf4, 0x09]);
          const r = await c.request('I', 0x81, 4);
          if (r.data[0] !== 0x01) return r.data[0];
        }
        throw new Error('busy');
      };
      await a.out(0x02, [0xf3, 0x07]);
      await a.out(0x02, [0xf4, 0x00]);
      for (const cmd of [[0xf4, 0x07], [0xf4, 0x04], [0xf4, 0x0a, 0, 1, 0, 0, 0x7f, 0x80, 0xa1], [0xf4, 0x08]]) {
        await a.out(0x02, cmd);
        expect(await poll(a)).toBe(0);
      }
      await a.out(0x02, [0xf4, 0x0b, 0x18, 0x00, 0, 0, 0x80, 0x00]); // 6 KB at low speed
      a.close();
      await new Promise((r) => setTimeout(r, 300));
      const b = (await SockClient.connect(sock)).client;
      await b.out(0x02, [0xf4, 0x07]); // B's first SWIM command
      expect(await poll(b)).toBe(0x00);
      expect(probe.target.isInReset()).toBe(true);
      expect(probe.violations()).toEqual([]);
      b.close();
    } finally {
      await server.close();
    }
  });
});
