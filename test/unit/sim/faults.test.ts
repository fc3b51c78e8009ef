import { describe, expect, it } from 'vitest';
import { AppError } from '#shared/errors';
import { TransportError } from '../../../src/main/usb/transport';
import { FAULT_NAMES, T_PROG_MS, createVirtualProbe, formatFault, parseFault, parseVirtualSpec } from '../../../src/main/sim/index';
import { IN_EP, RawHost, pattern } from './raw-host';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TransportError || e instanceof AppError) return e.code;
    throw e;
  }
  return 'ok';
}

describe('fault and spec parsing', () => {
  it('parses NAME and NAME=N, and round-trips through formatFault', () => {
    expect(parseFault('unplug-after=40')).toEqual({ name: 'unplug-after', arg: 40 });
    expect(parseFault('rop')).toEqual({ name: 'rop' });
    expect(parseFault(' UBC=3 ')).toEqual({ name: 'ubc', arg: 3 });
    for (const n of FAULT_NAMES) {
      const text = n === 'unplug-after' || n === 'timeout-after' ? `${n}=5` : n;
      expect(formatFault(parseFault(text))).toBe(text);
    }
  });

  it('rejects unknown faults listing the valid names, and bad arguments', () => {
    try {
      parseFault('no-wire');
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('bad-fault');
      expect((e as AppError).remedy).toContain('no-swim-wire');
      expect((e as AppError).remedy).toContain('unplug-after=N');
    }
    expect(() => parseFault('unplug-after')).toThrow(/needs a number/);
    expect(() => parseFault('unplug-after=x')).toThrow(/whole number/);
    expect(() => parseFault('rop=1')).toThrow(/takes no argument/);
  });

  it('parses PROBE:PART[:FAULT,...]', () => {
    expect(parseVirtualSpec('stlinkv3:stm8s103f3')).toEqual({ probe: 'stlinkv3', part: 'stm8s103f3', faults: [] });
    expect(parseVirtualSpec('stlinkv2:STM8L152C6:rop,unplug-after=100')).toEqual({
      probe: 'stlinkv2',
      part: 'stm8l152c6',
      faults: [{ name: 'rop' }, { name: 'unplug-after', arg: 100 }],
    });
    try {
      parseVirtualSpec('stlinkv9:stm8s103f3');
      throw new Error('accepted');
    } catch (e) {
      expect((e as AppError).code).toBe('bad-probe-variant');
      expect((e as AppError).remedy).toContain('stlinkv2, stlinkv21, stlinkv3, stlinkv3minie');
    }
    expect(() => parseVirtualSpec('stm8s103f3')).toThrow(AppError);
  });

  it('rejects an unknown part through the catalogue', () => {
    expect(() => createVirtualProbe({ probe: 'stlinkv2', part: 'stm8x999' })).toThrow(AppError);
  });
});

describe('USB-level faults', () => {
  it('busy: open fails as busy until cleared', async () => {
    const p = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'busy' }] });
    expect(await code(p.transport.open())).toBe('busy');
    p.clearFault('busy');
    expect(await code(p.transport.open())).toBe('ok');
  });

  it('unplug-after=N: N transfers succeed, then the device is gone until replugged', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'unplug-after', arg: 3 }] });
    await h.cmd([0xf1]);
    await h.probe.transport.transferIn(IN_EP, 6);
    await h.cmd([0xf5]);
    expect(await code(h.probe.transport.transferIn(IN_EP, 2))).toBe('no-device');
    expect(await code(h.probe.transport.open())).toBe('no-device');
    expect(h.probe.isPlugged()).toBe(false);
    h.probe.replug();
    await h.probe.transport.open();
    await h.probe.transport.claimInterface(0);
    expect((await h.cmdIn([0xf1], 6)).length).toBe(6);
  });

  it('timeout-after=N: then every transfer times out (after its timeout) until a USB reset', async () => {
    const h = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3', faults: [{ name: 'timeout-after', arg: 2 }] });
    await h.cmdIn([0xf1], 6);
    const t0 = h.now;
    expect(await code(h.probe.transport.transferOut(0x01, new Uint8Array(16), 500))).toBe('timeout');
    expect(h.now - t0).toBeCloseTo(500, 6);
    expect(await code(h.probe.transport.transferIn(IN_EP, 6, 100))).toBe('timeout');
    await h.probe.transport.reset();
    expect((await h.cmdIn([0xf1], 6)).length).toBe(6);
  });
});

describe('power-loss-in-program', () => {
  it('the block being programmed is left undefined and the target loses power until replug', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'power-loss-in-program', arg: 2 }] });
    await h.connect();
    await h.write8(0x5062, 0x56);
    await h.write8(0x5062, 0xae);
    const blocks = [pattern(64, 1), pattern(64, 2)];
    for (let i = 0; i < 2; i++) {
      await h.write8(0x505b, 0x01);
      await h.write8(0x505c, 0xfe);
      expect(await h.writeMem(0x8000 + 64 * i, blocks[i])).toBe(0);
      await h.sleep(T_PROG_MS + 0.5);
    }
    expect(Array.from(h.probe.target.peek(0x8000, 64))).toEqual(Array.from(blocks[0]));
    const second = h.probe.target.peek(0x8040, 64);
    expect(Array.from(second)).not.toEqual(Array.from(blocks[1]));
    expect(second.every((b) => b === 0)).toBe(false); // garbage, not erased
    expect(h.probe.target.isPowered()).toBe(false);
    const v = await h.cmdIn([0xf7], 8);
    expect(new DataView(v.buffer, v.byteOffset).getUint32(4, true)).toBeLessThan(20);
    await h.cmd([0xf4, 0x0b, 0, 1, 0, 0, 0x7f, 0x80]);
    expect(await h.settle()).toBe(0x04);
    h.probe.unplug();
    h.probe.replug();
    expect(h.probe.target.isPowered()).toBe(true);
    expect(h.probe.faults()).toEqual([]);
  });

  it('a reset during a program cycle also leaves the block undefined', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.connect();
    await h.write8(0x5062, 0x56);
    await h.write8(0x5062, 0xae);
    await h.write8(0x505b, 0x01);
    await h.write8(0x505c, 0xfe);
    expect(await h.writeMem(0x8000, pattern(64))).toBe(0);
    expect(await h.swim(0x07)).toBe(0); // NRST low while the cycle runs
    await h.sleep(T_PROG_MS);
    expect(Array.from(h.probe.target.peek(0x8000, 64))).not.toEqual(Array.from(pattern(64)));
  });
});

describe('faults can be set and cleared at run time', () => {
  it('lists the active faults', () => {
    const p = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'rop' }, { name: 'clone-voltage' }] });
    expect(p.faults().map((f) => f.name).sort()).toEqual(['clone-voltage', 'rop']);
    p.clearFault('rop');
    expect(p.target.isRopActive()).toBe(false);
    p.setFault({ name: 'no-swim-wire' });
    expect(p.faults().map((f) => f.name).sort()).toEqual(['clone-voltage', 'no-swim-wire']);
  });
});
