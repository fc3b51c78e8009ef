import { describe, expect, it } from 'vitest';
import { T_PROG_MS } from '../../../src/main/sim/index';
import { RawHost, pattern } from './raw-host';

const WR_PG_DIS = 0x01;

async function ready(part: string, faults: { name: 'rop' | 'ubc' | 'bad-complement'; arg?: number }[] = []): Promise<RawHost> {
  const h = await RawHost.open({ probe: 'stlinkv2', part, faults });
  await h.connect();
  return h;
}

/** Writes one option byte the stm8flash way: DUKR unlock, CR2 = OPT (+NCR2), byte, wait for EOP. */
async function writeOption(h: RawHost, addr: number, value: number): Promise<void> {
  const s = h.probe.target.part.flashRegs;
  await h.write8(s.DUKR, 0xae);
  await h.write8(s.DUKR, 0x56);
  expect(await h.write8(s.CR2, 0x80)).toBe(0);
  if (s.NCR2 !== null) expect(await h.write8(s.NCR2, 0x7f)).toBe(0);
  expect(await h.writeMem(addr, [value])).toBe(0);
  for (let i = 0; i < 20; i++) {
    await h.sleep(1);
    if ((await h.read8(s.IAPSR)) & 0x04) return;
  }
  throw new Error('no EOP');
}

async function reset(h: RawHost): Promise<void> {
  expect(await h.swim(0x07)).toBe(0);
  expect(await h.swim(0x08)).toBe(0);
  await h.sleep(0.5);
}

async function tryProgramBlock(h: RawHost, addr: number, data: Uint8Array): Promise<number> {
  const s = h.probe.target.part.flashRegs;
  await h.write8(s.PUKR, 0x56);
  await h.write8(s.PUKR, 0xae);
  await h.write8(s.CR2, 0x01);
  if (s.NCR2 !== null) await h.write8(s.NCR2, 0xfe);
  await h.writeMem(addr, data);
  await h.sleep(T_PROG_MS + 1);
  return h.read8(s.IAPSR);
}

describe('read-out protection, STM8S polarity', () => {
  it('protect: ROP = 0xAA takes effect at the next reset; reads give 0x71 garbage, writes set WR_PG_DIS', async () => {
    const h = await ready('stm8s103f3');
    const app = pattern(256, 21);
    h.probe.target.poke(0x8000, app);
    await writeOption(h, 0x4800, 0xaa);
    expect(h.probe.target.isRopActive()).toBe(false); // not before the option reload
    expect(Array.from(await h.readMem(0x8000, 4))).toEqual(Array.from(app.subarray(0, 4)));
    await reset(h);
    expect(h.probe.target.isRopActive()).toBe(true);
    expect(Array.from(await h.readMem(0x8000, 8))).toEqual(new Array(8).fill(0x71));
    expect(Array.from(await h.readMem(0x4000, 4))).toEqual(new Array(4).fill(0x71));
    expect(await h.read8(0x4800)).toBe(0xaa); // option bytes stay readable
    const iapsr = await tryProgramBlock(h, 0x8000, pattern(64, 2));
    expect(iapsr & WR_PG_DIS).toBe(WR_PG_DIS);
    expect(Array.from(h.probe.target.peek(0x8000, 256))).toEqual(Array.from(app)); // untouched
  });

  it('remove: ROP ≠ 0xAA mass-erases flash and EEPROM at the next reset; HSIT then stays 0 until another reset', async () => {
    const h = await ready('stm8s103f3', [{ name: 'rop' }]);
    expect(h.probe.target.isRopActive()).toBe(true);
    h.probe.target.poke(0x4000, [1, 2, 3]);
    expect(h.probe.target.peek(0x8000, 64).some((b) => b !== 0)).toBe(true);
    await writeOption(h, 0x4800, 0x00);
    expect(h.probe.target.peek(0x8000, 64).some((b) => b !== 0)).toBe(true); // nothing erased yet
    await reset(h);
    expect(h.probe.target.isRopActive()).toBe(false);
    expect(h.probe.target.peek(0x8000, 8192).every((b) => b === 0)).toBe(true);
    expect(h.probe.target.peek(0x4000, 640).every((b) => b === 0)).toBe(true);
    expect((await h.read8(0x7f80)) & 0x02).toBe(0); // HSIT stuck (stm8flash PR #146)
    await reset(h);
    expect((await h.read8(0x7f80)) & 0x02).toBe(0x02);
    expect(Array.from(await h.readMem(0x8000, 4))).toEqual([0, 0, 0, 0]);
  });
});

describe('read-out protection, STM8L polarity (0xAA = unprotected)', () => {
  it('protect with any other value, then remove with two writes of 0xAA: the first erases everything', async () => {
    const h = await ready('stm8l152c6');
    expect(h.probe.target.isRopActive()).toBe(false);
    h.probe.target.poke(0x8000, pattern(128, 3));
    h.probe.target.poke(0x1000, [9, 9, 9]);
    await writeOption(h, 0x4808, 0x05); // WDG option, to see options return to factory
    await writeOption(h, 0x4800, 0x00);
    await reset(h);
    expect(h.probe.target.isRopActive()).toBe(true);
    expect(Array.from(await h.readMem(0x8000, 4))).toEqual([0x71, 0x71, 0x71, 0x71]);

    await writeOption(h, 0x4800, 0xaa); // first write: global erase, still protected
    expect(h.probe.target.peek(0x8000, 128).every((b) => b === 0)).toBe(true);
    expect(h.probe.target.peek(0x1000, 3).every((b) => b === 0)).toBe(true);
    expect(h.probe.target.peek(0x4808, 1)[0]).toBe(0x00); // back to factory
    expect(h.probe.target.peek(0x4800, 1)[0]).not.toBe(0xaa);
    await reset(h);
    expect(h.probe.target.isRopActive()).toBe(true); // one write is not enough

    await writeOption(h, 0x4800, 0xaa);
    await writeOption(h, 0x4800, 0xaa); // the second write of 0xAA unprotects
    expect(h.probe.target.peek(0x4800, 1)[0]).toBe(0xaa);
    await reset(h);
    expect(h.probe.target.isRopActive()).toBe(false);
    expect(Array.from(await h.readMem(0x8000, 4))).toEqual([0, 0, 0, 0]);
  });
});

describe('UBC', () => {
  it('the ubc fault write-protects the first pages; the rest of flash programs', async () => {
    const h = await ready('stm8s103f3', [{ name: 'ubc', arg: 2 }]);
    const end = h.probe.target.ubcEnd();
    expect(end).toBe(0x8000 + 2 * 64);
    expect(await h.read8(0x4801)).toBe(2);
    expect(await h.read8(0x4802)).toBe(0xfd);
    expect(await h.read8(0x505d)).toBe(2); // FPR mirrors it
    expect((await tryProgramBlock(h, 0x8040, pattern(64))) & WR_PG_DIS).toBe(WR_PG_DIS);
    expect(h.probe.target.peek(0x8040, 64).every((b) => b === 0)).toBe(true);
    expect((await tryProgramBlock(h, end, pattern(64))) & 0x05).toBe(0x04); // EOP, no WR_PG_DIS
    expect(Array.from(h.probe.target.peek(end, 64))).toEqual(Array.from(pattern(64)));
  });

  it('clearing the UBC option unprotects after the next reset only', async () => {
    const h = await ready('stm8s103f3', [{ name: 'ubc', arg: 2 }]);
    await writeOption(h, 0x4801, 0x00);
    await writeOption(h, 0x4802, 0xff);
    expect((await tryProgramBlock(h, 0x8000, pattern(64))) & WR_PG_DIS).toBe(WR_PG_DIS);
    await reset(h);
    expect((await tryProgramBlock(h, 0x8000, pattern(64))) & WR_PG_DIS).toBe(0);
  });
});

describe('option byte complements', () => {
  it('bad-complement breaks OPT3/NOPT3 so an engine reading the pairs sees it', async () => {
    const h = await ready('stm8s103f3', [{ name: 'bad-complement' }]);
    const [opt3, nopt3] = await h.readMem(0x4805, 2);
    expect((opt3 ^ nopt3) & 0xff).not.toBe(0xff);
    const [opt2, nopt2] = await h.readMem(0x4803, 2);
    expect((opt2 ^ nopt2) & 0xff).toBe(0xff);
    expect((await h.read8(0x50b3)) & 0x10).toBe(0x10); // RST_SR.EMCF after the option load
    h.probe.clearFault('bad-complement');
    const [a, b] = await h.readMem(0x4805, 2);
    expect((a ^ b) & 0xff).toBe(0xff);
  });

  it('bad-complement is refused for a part without complements', async () => {
    await expect(RawHost.open({ probe: 'stlinkv2', part: 'stm8l152c6', faults: [{ name: 'bad-complement' }] })).rejects.toMatchObject({
      code: 'bad-fault',
    });
  });
});
