import { describe, expect, it } from 'vitest';
import { dmAccessMs, swimWireTimeMs } from '../../../src/main/sim/index';
import { RawHost, pattern } from './raw-host';

async function inSwimMode(h: RawHost): Promise<void> {
  if ((await h.cmdIn([0xf5], 2))[0] === 0) await h.cmd([0xf3, 0x07]);
  await h.cmd([0xf4, 0x00]);
}

describe('SWIM link and target', () => {
  it('connects the stm8flash way and reads RAM back after WRITEMEM with the extra OUT', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.connect({ highSpeed: true });
    expect(h.probe.target.highSpeed()).toBe(true);
    const data = pattern(300);
    expect(await h.writeMem(0x0100, data)).toBe(0);
    expect(Array.from(h.probe.target.peek(0x0100, 300))).toEqual(Array.from(data));
    expect(Array.from(await h.readMem(0x0100, 300))).toEqual(Array.from(data));
  });

  it('keeps the core stalled after reset release when SWIM is active (halted on reset)', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    expect(h.probe.target.isHalted()).toBe(false);
    await h.connect();
    expect(h.probe.target.isHalted()).toBe(true);
    expect((await h.read8(0x7f98)) & 0x10).toBe(0x10); // DM_CSR1.RST
    expect((await h.read8(0x7f99)) & 0x08).toBe(0x08); // DM_CSR2.STALL
  });

  it('sets HSIT 0.1 ms after NRST is released, and ignores HS written before that', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await inSwimMode(h);
    expect(await h.swim(0x07)).toBe(0);
    expect(await h.swim(0x04)).toBe(0);
    expect((await h.read8(0x7f80)) & 0x02).toBe(0); // in reset: HSIT = 0
    expect(await h.write8(0x7f80, 0xb0)).toBe(0); // HS before HSIT: ignored
    expect(h.probe.target.highSpeed()).toBe(false);
    await h.cmd([0xf4, 0x08]);
    const released = h.now + 0.1; // DEASSERT reaches NRST at the end of its 0.1 ms
    await h.sleep(released + 0.09 - h.now);
    expect(h.probe.target.isInReset()).toBe(false);
    expect(h.probe.target.hsit()).toBe(false); // option loading still running
    await h.sleep(0.011);
    expect(h.probe.target.hsit()).toBe(true);
    expect(await h.settle()).toBe(0);
    expect((await h.read8(0x7f80)) & 0x02).toBe(0x02);
    expect(await h.write8(0x7f80, 0xb0)).toBe(0);
    expect(h.probe.target.highSpeed()).toBe(true);
  });

  it('fails every frame with 0x04 when probe and target speeds differ, until a resync', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.connect();
    expect(await h.swim(0x03, [0x01])).toBe(0); // probe to HS, target still LS
    await h.cmd([0xf4, 0x0b, 0, 1, 0, 0, 0x7f, 0x80]);
    expect(await h.settle()).toBe(0x04);
    expect(await h.swim(0x06)).toBe(0); // communication reset: both at low speed
    expect(await h.read8(0x7f80)).toBe(0xa3); // 0xA1 | HSIT
  });

  it('charges the SWIM wire time of a read, (50 + 11·N) bits per 255-byte frame, plus the DM access per byte', async () => {
    const h = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3' });
    await h.connect({ highSpeed: true });
    expect(h.probe.target.cpuClockHz()).toBe(2_000_000); // reset clock: HSI / 8
    await h.cmd([0xf4, 0x0b, 0x04, 0x00, 0, 0, 0, 0]); // 1024 bytes from RAM
    const t0 = h.now;
    let first = 0;
    while ((await h.status()) === 0x01) {
      first = h.now;
    }
    const wire = swimWireTimeMs(1024, true); // 5 frames: (5·50 + 1024·11) × 1.25 µs
    expect(wire).toBeCloseTo((5 * 50 + 1024 * 11) * 0.00125, 9);
    const expected = wire + dmAccessMs(1024, 2_000_000); // 5 cycles of 0.5 µs per byte
    // The last BUSY poll was sampled before t0 + expected, the OK one after it.
    expect(first).toBeLessThan(t0 + expected + 0.2);
    expect(h.now).toBeGreaterThanOrEqual(t0 + expected);
  });

  it('READBUF before its READMEM was reported done answers junk and is a violation', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.connect();
    h.probe.target.poke(0x0200, pattern(200));
    await h.cmd([0xf4, 0x0b, 0, 200, 0, 0, 0x02, 0x00]); // 200 bytes at LS ≈ 6 ms
    const early = await h.cmdIn([0xf4, 0x0c], 200);
    expect(early.length).toBe(200);
    expect(Array.from(early)).not.toEqual(Array.from(pattern(200)));
    expect(h.probe.violations()).toMatchObject([{ rule: 'readbuf-before-done', command: 'READBUF' }]);
    // Finished on the wire but not yet reported: still junk.
    await h.sleep(20);
    expect(Array.from(await h.cmdIn([0xf4, 0x0c], 200))).not.toEqual(Array.from(pattern(200)));
    expect(h.probe.violations()).toHaveLength(2);
    expect(await h.settle()).toBe(0);
    expect(Array.from(await h.cmdIn([0xf4, 0x0c], 200))).toEqual(Array.from(pattern(200)));
    expect(h.probe.violations()).toHaveLength(2);
  });

  it('GEN_RST resets the chip only with SWIM_CSR.SWIM_RST set, and then HSIT follows', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.connect();
    await h.write8(0x50c6, 0x00); // CLK_CKDIVR, reset value 0x18
    expect(await h.swim(0x05)).toBe(0);
    expect(await h.read8(0x50c6)).toBe(0x00); // no reset without SWIM_RST
    await h.write8(0x7f80, 0xa1 | 0x04);
    expect(await h.swim(0x05)).toBe(0);
    await h.sleep(0.2);
    expect(await h.read8(0x50c6)).toBe(0x18);
    expect((await h.read8(0x50b3)) & 0x08).toBe(0x08); // RST_SR.SWIMF
    expect(h.probe.target.isHalted()).toBe(true);
    expect(h.probe.target.hsit()).toBe(true);
  });

  it('resumes the core the OpenOCD way (FLUSH, then clear STALL)', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.connect();
    const csr2 = await h.read8(0x7f99);
    await h.write8(0x7f99, csr2 | 0x01);
    await h.write8(0x7f99, ((csr2 | 0x01) & ~0x08) | 0x20);
    expect(h.probe.target.isHalted()).toBe(false);
    expect((await h.read8(0x7f99)) & 0x01).toBe(0); // FLUSH reads back 0
  });

  it('gives each virtual chip its own unique ID derived from the serial', async () => {
    const a = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', serial: 'AAAAAAAAAAAAAAAAAAAAAAAA' });
    const b = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', serial: 'BBBBBBBBBBBBBBBBBBBBBBBB' });
    const a2 = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', serial: 'AAAAAAAAAAAAAAAAAAAAAAAA' });
    await a.connect();
    const uidA = await a.readMem(0x4865, 12);
    expect(Array.from(uidA)).not.toEqual(Array.from(b.probe.target.uniqueId()!));
    expect(Array.from(uidA)).toEqual(Array.from(a2.probe.target.uniqueId()!));
  });
});

describe('wiring and power faults', () => {
  it('no-power: entry gets no response (0x04), voltage ≈ 0', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'no-power' }] });
    await inSwimMode(h);
    expect(await h.swim(0x07)).toBe(0);
    expect(await h.swim(0x04)).toBe(0x04);
    h.probe.clearFault('no-power');
    expect(await h.swim(0x04)).toBe(0);
  });

  it('no-swim-wire: entry gets no response; NRST still works', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'no-swim-wire' }] });
    await inSwimMode(h);
    expect(await h.swim(0x07)).toBe(0);
    expect(h.probe.target.isInReset()).toBe(true);
    expect(await h.swim(0x04)).toBe(0x04);
  });

  it('swim-disabled: entry fails while the firmware runs and works under reset', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'swim-disabled' }] });
    await inSwimMode(h);
    expect(await h.swim(0x04)).toBe(0x04);
    await h.connect({ underReset: true });
    expect(await h.read8(0x7f60)).toBe(0x00); // CFG_GCR.SWD cleared by reset, core stalled
    // Resuming the firmware disables SWIM again: the link is lost.
    await h.write8(0x7f99, 0x20);
    await h.cmd([0xf4, 0x0b, 0, 1, 0, 0, 0x7f, 0x80]);
    expect(await h.settle()).toBe(0x04);
  });

  it('no-nrst: ASSERT_RESET succeeds on the probe but does not reset the chip', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'no-nrst' }, { name: 'swim-disabled' }] });
    await inSwimMode(h);
    expect(await h.swim(0x07)).toBe(0);
    expect(h.probe.target.isInReset()).toBe(false);
    expect(await h.swim(0x04)).toBe(0x04); // so a SWIM-disabling firmware cannot be reached
    h.probe.clearFault('no-nrst');
    expect(h.probe.target.isInReset()).toBe(true); // the probe still drives NRST low
    expect(await h.swim(0x04)).toBe(0);
  });
});
