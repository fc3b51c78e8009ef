import { describe, expect, it } from 'vitest';
import { TransportError } from '../../../src/main/usb/transport';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { IN_EP, RawHost } from './raw-host';

async function transportError(p: Promise<unknown>): Promise<TransportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TransportError) return e;
    throw e;
  }
  throw new Error('expected a TransportError');
}

describe('virtual probe: USB device', () => {
  it('presents VID 0x0483, the PID of each variant and a virtual port path', () => {
    const pids = { stlinkv2: 0x3748, stlinkv21: 0x374b, stlinkv3: 0x374f, stlinkv3minie: 0x3754 } as const;
    for (const [probe, pid] of Object.entries(pids)) {
      const p = createVirtualProbe({ probe: probe as keyof typeof pids, part: 'stm8s103f3' });
      expect(p.info.vendorId).toBe(0x0483);
      expect(p.info.productId).toBe(pid);
      expect(p.info.kind).toBe('virtual');
      expect(p.info.portPath).toMatch(/^virtual-\d+$/);
      expect(p.info.serialNumber).toHaveLength(24);
      expect(p.transport.clock).toBe(p.clock);
    }
  });

  it('refuses transfers to the wrong endpoint or direction with a pipe error', async () => {
    const v2 = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    expect((await transportError(v2.probe.transport.transferOut(0x01, new Uint8Array(16)))).code).toBe('pipe');
    expect((await transportError(v2.probe.transport.transferOut(0x81, new Uint8Array(16)))).code).toBe('pipe');
    expect((await transportError(v2.probe.transport.transferIn(0x02, 6))).code).toBe('pipe');
    const v3 = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3' });
    expect((await transportError(v3.probe.transport.transferOut(0x02, new Uint8Array(16)))).code).toBe('pipe');
    await v3.probe.transport.transferOut(0x01, Uint8Array.from([0xf1, ...new Array(15).fill(0)]));
    expect(Array.from(await v3.probe.transport.transferIn(IN_EP, 6))).toEqual([0x30, 0x00, 0x83, 0x04, 0x4f, 0x37]);
  });

  it('needs open and claim before transfers, and can be reopened with the chip kept', async () => {
    const p = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' });
    expect((await transportError(p.transport.transferOut(0x02, new Uint8Array(16)))).code).toBe('closed');
    await p.transport.open();
    expect((await transportError(p.transport.transferOut(0x02, new Uint8Array(16)))).code).toBe('io');
    await p.transport.claimInterface(0);
    p.target.poke(0x8000, [1, 2, 3]);
    await p.transport.close();
    await p.transport.open();
    await p.transport.claimInterface(0);
    expect(Array.from(p.target.peek(0x8000, 3))).toEqual([1, 2, 3]);
  });

  it('charges each bulk transfer its USB time on the virtual clock (docs/spec/simulator.md §4)', async () => {
    const fs = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    let t0 = fs.now;
    await fs.cmd([0xf1]);
    expect(fs.now - t0).toBeCloseTo(0.5 + 16 * 0.0008, 9);
    t0 = fs.now;
    await fs.probe.transport.transferIn(IN_EP, 64);
    expect(fs.now - t0).toBeCloseTo(0.5 + 6 * 0.0008, 9);
    const hs = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3' });
    t0 = hs.now;
    await hs.cmd([0xf1]);
    expect(hs.now - t0).toBeCloseTo(0.0625 + 16 * 0.000025, 9);
  });

  it('times out an IN with nothing to send, after the timeout on the virtual clock', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    const t0 = h.now;
    const e = await transportError(h.probe.transport.transferIn(IN_EP, 64, 250));
    expect(e.code).toBe('timeout');
    expect(h.now - t0).toBeCloseTo(250, 6);
  });

  it('reports an overflow when the host asks for fewer bytes than the reply', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.cmd([0xf1]);
    expect((await transportError(h.probe.transport.transferIn(IN_EP, 4))).code).toBe('io');
  });

  it('keeps an unread reply queued, so a host that skips one reads stale data next', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.cmd([0xf1]); // never read
    const mode = await h.cmdIn([0xf5], 64);
    expect(mode.length).toBe(6); // the GET_VERSION reply, not the mode
  });
});

describe('virtual probe: V3 and short command blocks (docs/spec/stlink-swim.md §1.3)', () => {
  it('a V2 accepts a short command block', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.probe.transport.transferOut(0x02, Uint8Array.from([0xf1]));
    expect((await h.probe.transport.transferIn(IN_EP, 6)).length).toBe(6);
  });

  it('a V3 given 2 bytes returns a short reply, then nothing works until it is replugged', async () => {
    const h = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3' });
    await h.probe.transport.transferOut(0x01, Uint8Array.from([0xf4, 0x09]));
    const r = await h.probe.transport.transferIn(IN_EP, 4);
    expect(r.length).toBe(2); // "expected 4 bytes but 2 bytes transferred"
    expect((await transportError(h.cmd([0xf1]))).code).toBe('timeout');
    await h.probe.transport.reset().catch(() => undefined);
    expect((await transportError(h.cmd([0xf1]))).code).toBe('timeout');
    h.probe.unplug();
    h.probe.replug();
    await h.probe.transport.open();
    await h.probe.transport.claimInterface(0);
    expect((await h.cmdIn([0xf1], 6)).length).toBe(6);
  });
});

describe('virtual probe: ST-LINK firmware', () => {
  it('answers GET_VERSION per variant (V2J37S7, V2-1 M25S7, V3 x=y=0)', async () => {
    const decode = (b: Uint8Array): { v: number; x: number; y: number; vid: number; pid: number } => {
      const w = (b[0] << 8) | b[1];
      return { v: w >> 12, x: (w >> 6) & 0x3f, y: w & 0x3f, vid: b[2] | (b[3] << 8), pid: b[4] | (b[5] << 8) };
    };
    const v2 = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    expect(decode(await v2.cmdIn([0xf1], 6))).toEqual({ v: 2, x: 37, y: 7, vid: 0x0483, pid: 0x3748 });
    const v21 = await RawHost.open({ probe: 'stlinkv21', part: 'stm8s103f3' });
    const d21 = decode(await v21.cmdIn([0xf1], 6));
    expect(d21).toEqual({ v: 2, x: 25, y: 7, vid: 0x0483, pid: 0x374b });
    // OpenOCD's V2-1 rule decodes this as MxSy (STM8-Nucleo firmware with SWIM).
    expect(d21.x >= 25 && d21.y >= 7 && d21.y <= 12).toBe(true);
    const v3 = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3' });
    expect(decode(await v3.cmdIn([0xf1], 6))).toMatchObject({ v: 3, x: 0, y: 0, pid: 0x374f });
    expect(Array.from(await v3.cmdIn([0xfb], 12))).toEqual([0x03, 0x01, 0x0a, 0x03, 0x05, 0, 0, 0, 0x83, 0x04, 0x4f, 0x37]);
    const mini = await RawHost.open({ probe: 'stlinkv3minie', part: 'stm8s103f3' });
    expect((await mini.cmdIn([0xfb], 12))[1]).toBe(0); // SWIM version 0
  });

  it('GET_VERSION_EX is unknown to a V2: nothing to read', async () => {
    const v2 = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await v2.cmd([0xfb]);
    expect((await transportError(v2.probe.transport.transferIn(IN_EP, 12, 100))).code).toBe('timeout');
  });

  it('reports modes: power-up, DFU exit, SWIM enter and exit', async () => {
    const v2 = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    expect(Array.from(await v2.cmdIn([0xf5], 2))).toEqual([0x00, 0x00]); // DFU at power-up
    await v2.cmd([0xf4, 0x00]); // ignored in DFU mode
    expect((await v2.cmdIn([0xf5], 2))[0]).toBe(0x00);
    await v2.cmd([0xf3, 0x07]);
    expect((await v2.cmdIn([0xf5], 2))[0]).toBe(0x01);
    await v2.cmd([0xf4, 0x00]);
    expect((await v2.cmdIn([0xf5], 2))[0]).toBe(0x03);
    await v2.cmd([0xf4, 0x01]);
    expect((await v2.cmdIn([0xf5], 2))[0]).toBe(0x01);
    const v3 = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3' });
    expect(Array.from(await v3.cmdIn([0xf5], 2))).toEqual([0x01, 0x03]);
  });

  it('reports the target voltage from the two ADC words (≈3.3 V, ≈0 V unpowered, zeros on a clone)', async () => {
    const volts = (b: Uint8Array): number => {
      const dv = new DataView(b.buffer, b.byteOffset);
      const a0 = dv.getUint32(0, true);
      const a1 = dv.getUint32(4, true);
      return a0 === 0 ? 0 : (2 * a1 * 1.2) / a0;
    };
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    expect(volts(await h.cmdIn([0xf7], 8))).toBeCloseTo(3.3, 2);
    h.probe.setFault({ name: 'no-power' });
    expect(volts(await h.cmdIn([0xf7], 8))).toBeLessThan(0.05);
    h.probe.clearFault('no-power');
    h.probe.setFault({ name: 'clone-voltage' });
    expect(Array.from(await h.cmdIn([0xf7], 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('answers READBUFSIZE 0x1800 and READ_CAP per variant', async () => {
    const v2 = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    expect(Array.from(await v2.cmdIn([0xf4, 0x0d], 2))).toEqual([0x00, 0x18]);
    expect(Array.from(await v2.cmdIn([0xf4, 0x02, 0x01], 8))).toEqual([0, 1, 2, 7, 0, 0, 0, 0]);
    const v3 = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3' });
    expect(Array.from(await v3.cmdIn([0xf4, 0x02, 0x01], 8))).toEqual([0, 1, 0, 0x30, 0, 0, 0, 0]);
  });

  it('refuses SPEED before SWIM entry, and the next ENTER_SEQ fails until SWIM_EXIT (OpenOCD 0.11 on V3)', async () => {
    const h = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3' });
    await h.cmd([0xf4, 0x03, 0x01]);
    expect(await h.settle()).toBe(0x05);
    await h.cmd([0xf4, 0x00]);
    expect(await h.swim(0x04)).toBe(0x04); // stlink_swim_enter_failed
    await h.cmd([0xf4, 0x01]);
    await h.cmd([0xf4, 0x00]);
    expect(await h.swim(0x04)).toBe(0x00);
  });

  it('keeps READSTATUS sticky across SWIM_ENTER (OpenOCD b9a30e089)', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'no-swim-wire' }] });
    await h.cmd([0xf3, 0x07]);
    await h.cmd([0xf4, 0x00]);
    expect(await h.swim(0x04)).toBe(0x04);
    await h.cmd([0xf4, 0x00]);
    expect(await h.status()).toBe(0x04);
  });

  it('reports BUSY until the wire time of an asynchronous command has passed', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.cmd([0xf3, 0x07]);
    await h.cmd([0xf4, 0x00]);
    await h.cmd([0xf4, 0x04]);
    const issued = h.now;
    expect(await h.status()).toBe(0x01);
    // READSTATUS is sampled when its 16-byte OUT has arrived (0.5 ms + 16 × 0.8 µs later).
    await h.sleep(issued + 10 - 0.6 - h.now);
    expect(await h.status()).toBe(0x01);
    await h.sleep(issued + 10 - 0.5 - h.now);
    expect(await h.status()).toBe(0x00);
  });

  it('loses a SWIM command sent while the previous one is BUSY; READSTATUS answers for the earlier one', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.cmd([0xf3, 0x07]);
    await h.cmd([0xf4, 0x00]);
    await h.cmd([0xf4, 0x04]);
    await h.cmd([0xf4, 0x07]); // ASSERT_RESET while ENTER_SEQ runs
    expect(await h.settle()).toBe(0x00); // the ENTER_SEQ's OK: the loss is silent
    expect(h.probe.target.isInReset()).toBe(false);
    expect(h.probe.violations()).toMatchObject([{ rule: 'command-while-busy', command: 'ASSERT_RESET' }]);
    expect(h.probe.violations()[0].reason).toMatch(/ENTER_SEQ still running/);
  });

  it('a probe without SWIM (V3MINIE) ignores the whole SWIM command set', async () => {
    const h = await RawHost.open({ probe: 'stlinkv3minie', part: 'stm8s103f3' });
    await h.cmd([0xf4, 0x00]);
    expect((await h.cmdIn([0xf5], 2))[0]).toBe(0x01);
    await h.cmd([0xf4, 0x09]);
    expect((await transportError(h.probe.transport.transferIn(IN_EP, 4, 100))).code).toBe('timeout');
  });

  it('USB reset returns the firmware to its power-up mode and drops queued replies', async () => {
    const h = await RawHost.open({ probe: 'stlinkv21', part: 'stm8s103f3' });
    await h.cmd([0xf4, 0x00]);
    await h.cmd([0xf1]);
    await h.probe.transport.reset();
    expect(Array.from(await h.cmdIn([0xf5], 2))).toEqual([0x01, 0x00]);
  });
});

describe('virtual probe: a probe left in another mode', () => {
  it('a probe left in DEBUG mode ignores SWIM_ENTER until DEBUG_EXIT', async () => {
    const h = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3', initialMode: 'debug' });
    expect((await h.cmdIn([0xf5], 2))[0]).toBe(0x02);
    await h.cmd([0xf4, 0x00]);
    expect((await h.cmdIn([0xf5], 2))[0]).toBe(0x02);
    await h.cmd([0xf2, 0x21]);
    await h.cmd([0xf4, 0x00]);
    expect((await h.cmdIn([0xf5], 2))[0]).toBe(0x03);
  });
});
