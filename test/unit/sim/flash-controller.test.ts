import { describe, expect, it } from 'vitest';
import { swimOperationMs, T_FAST_MS, T_PROG_MS } from '../../../src/main/sim/index';
import { RawHost, pattern } from './raw-host';
import { CR2, DUKR, DUL, EOP, HVOFF, IAPSR, NCR2, PUKR, PUL, WR_PG_DIS } from './stm8s-flash-registers';

async function ready(part = 'stm8s103f3'): Promise<RawHost> {
  const h = await RawHost.open({ probe: 'stlinkv3', part });
  await h.connect({ highSpeed: true });
  return h;
}

async function unlockFlash(h: RawHost): Promise<void> {
  await h.write8(PUKR, 0x56);
  await h.write8(PUKR, 0xae);
}

async function unlockData(h: RawHost): Promise<void> {
  await h.write8(DUKR, 0xae);
  await h.write8(DUKR, 0x56);
}

async function setMode(h: RawHost, mode: number): Promise<void> {
  expect(await h.write8(CR2, mode)).toBe(0);
  expect(await h.write8(NCR2, ~mode & 0xff)).toBe(0);
}

/** Write `data` and return the time its last byte reached the chip (= when a program cycle starts). */
async function writeTimed(h: RawHost, addr: number, data: Uint8Array | number[]): Promise<number> {
  await h.writeMemNoWait(addr, data);
  const lastByteAt = h.now + swimOperationMs(data.length, true, h.probe.target.cpuClockHz());
  expect(await h.settle()).toBe(0);
  return lastByteAt;
}

/** IAPSR sampled just before and just after `edge`: shows when EOP appears (±0.25 ms). */
async function eopAround(h: RawHost, edge: number): Promise<[number, number]> {
  // A READMEM's byte is sampled ≈ 0.0625 ms (USB) + 61 bits × 1.25 µs after it is sent.
  await h.sleep(edge - 0.3 - h.now);
  const before = await h.read8(IAPSR);
  await h.sleep(edge + 0.05 - h.now);
  const after = await h.read8(IAPSR);
  return [before, after];
}

describe('flash controller: keys', () => {
  it('unlocks program memory with PUKR 0x56, 0xAE and data memory with DUKR 0xAE, 0x56', async () => {
    const h = await ready();
    expect((await h.read8(IAPSR)) & (PUL | DUL)).toBe(0);
    await unlockFlash(h);
    expect((await h.read8(IAPSR)) & (PUL | DUL)).toBe(PUL);
    await unlockData(h);
    expect((await h.read8(IAPSR)) & (PUL | DUL)).toBe(PUL | DUL);
    await h.write8(IAPSR, 0x00); // re-lock both
    expect((await h.read8(IAPSR)) & (PUL | DUL)).toBe(0);
  });

  it('a wrong key locks the memory until the next reset', async () => {
    const h = await ready();
    await h.write8(PUKR, 0xae); // DUKR order on PUKR: wrong
    await unlockFlash(h);
    expect((await h.read8(IAPSR)) & PUL).toBe(0);
    await h.write8(DUKR, 0x56); // wrong first key
    await unlockData(h);
    expect((await h.read8(IAPSR)) & DUL).toBe(0);
    expect(h.probe.target.flashState().pukrLockedOut).toBe(true);
    expect(await h.swim(0x07)).toBe(0);
    expect(await h.swim(0x08)).toBe(0);
    await h.sleep(0.2);
    await unlockFlash(h);
    await unlockData(h);
    expect((await h.read8(IAPSR)) & (PUL | DUL)).toBe(PUL | DUL);
  });

  it('sets WR_PG_DIS, and programs nothing, when locked memory is written; reading IAPSR clears it', async () => {
    const h = await ready();
    await writeTimed(h, 0x8000, [0x12]);
    const s = await h.read8(IAPSR);
    expect(s & WR_PG_DIS).toBe(WR_PG_DIS);
    expect(s & EOP).toBe(0);
    expect((await h.read8(IAPSR)) & WR_PG_DIS).toBe(0);
    await h.sleep(10);
    expect(h.probe.target.peek(0x8000, 1)[0]).toBe(0);
  });
});

describe('flash controller: program modes, effect and time (docs/spec/simulator.md §4)', () => {
  it('byte program: one byte, 6 ms, EOP then cleared by the read', async () => {
    const h = await ready();
    h.probe.target.poke(0x8000, [0x11, 0x22, 0x33, 0x44]);
    await unlockFlash(h);
    const start = await writeTimed(h, 0x8001, [0xa5]);
    const [before, after] = await eopAround(h, start + T_PROG_MS);
    expect(before & EOP).toBe(0);
    expect(before & HVOFF).toBe(0); // high voltage on during the cycle
    expect(after & EOP).toBe(EOP);
    expect(after & HVOFF).toBe(HVOFF);
    expect((await h.read8(IAPSR)) & EOP).toBe(0); // the read cleared it
    expect(Array.from(h.probe.target.peek(0x8000, 4))).toEqual([0x11, 0xa5, 0x33, 0x44]);
    expect(h.probe.target.programCycles.byte).toBe(1);
  });

  it('word program (WPRG): 4 aligned bytes in one 6 ms cycle', async () => {
    const h = await ready();
    await unlockFlash(h);
    await setMode(h, 0x40);
    const start = await writeTimed(h, 0x8004, [1, 2, 3, 4]);
    const [before, after] = await eopAround(h, start + T_PROG_MS);
    expect([before & EOP, after & EOP]).toEqual([0, EOP]);
    expect(Array.from(h.probe.target.peek(0x8004, 4))).toEqual([1, 2, 3, 4]);
    expect(h.probe.target.programCycles.word).toBe(1);
    expect(h.probe.target.flashState().cr2).toBe(0x00); // mode bit cleared by hardware
    expect(h.probe.target.flashState().ncr2).toBe(0xff);
  });

  it('standard block program (PRG): erase + write of a whole block in 6 ms', async () => {
    const h = await ready();
    h.probe.target.poke(0x8040, pattern(64, 7));
    await unlockFlash(h);
    await setMode(h, 0x01);
    const data = pattern(64, 3);
    const start = await writeTimed(h, 0x8040, data);
    const [before, after] = await eopAround(h, start + T_PROG_MS);
    expect([before & EOP, after & EOP]).toEqual([0, EOP]);
    expect(Array.from(h.probe.target.peek(0x8040, 64))).toEqual(Array.from(data));
    expect(h.probe.target.programCycles.block).toBe(1);
  });

  it('fast block program (FPRG): 3 ms on an erased block', async () => {
    const h = await ready();
    await unlockFlash(h);
    await setMode(h, 0x10);
    const data = pattern(64, 4);
    const start = await writeTimed(h, 0x8080, data);
    const [before, after] = await eopAround(h, start + T_FAST_MS);
    expect([before & EOP, after & EOP]).toEqual([0, EOP]);
    expect(Array.from(h.probe.target.peek(0x8080, 64))).toEqual(Array.from(data));
    expect(h.probe.target.programCycles.fast).toBe(1);
  });

  it('fast block program on a block that is not erased leaves old OR new', async () => {
    const h = await ready();
    const old = pattern(64, 5);
    h.probe.target.poke(0x80c0, old);
    await unlockFlash(h);
    await setMode(h, 0x10);
    const data = pattern(64, 6);
    await writeTimed(h, 0x80c0, data);
    await h.sleep(T_FAST_MS + 0.1);
    expect(Array.from(h.probe.target.peek(0x80c0, 64))).toEqual(Array.from(data, (b, i) => b | old[i]));
  });

  it('block erase (ERASE + a zero word at the block start): 3 ms, block reads 0x00', async () => {
    const h = await ready();
    h.probe.target.poke(0x8100, pattern(64, 8));
    await unlockFlash(h);
    await setMode(h, 0x20);
    const start = await writeTimed(h, 0x8100, [0, 0, 0, 0]);
    const [before, after] = await eopAround(h, start + T_FAST_MS);
    expect([before & EOP, after & EOP]).toEqual([0, EOP]);
    expect(Array.from(h.probe.target.peek(0x8100, 64))).toEqual(new Array(64).fill(0));
    expect(h.probe.target.programCycles.erase).toBe(1);
  });

  it('data EEPROM block program needs DUKR, not PUKR', async () => {
    const h = await ready();
    await unlockFlash(h);
    await setMode(h, 0x01);
    await writeTimed(h, 0x4000, pattern(64, 9));
    expect((await h.read8(IAPSR)) & WR_PG_DIS).toBe(WR_PG_DIS);
    await unlockData(h);
    await setMode(h, 0x01);
    const start = await writeTimed(h, 0x4000, pattern(64, 9));
    await h.sleep(start + T_PROG_MS + 0.01 - h.now);
    expect(Array.from(h.probe.target.peek(0x4000, 64))).toEqual(Array.from(pattern(64, 9)));
  });

  it('a CR2 write and a block write during a program cycle leave the running block undefined and lose the new one', async () => {
    const h = await ready();
    await unlockFlash(h);
    await setMode(h, 0x01);
    const start = await writeTimed(h, 0x8000, pattern(64, 1));
    expect(h.probe.violations()).toEqual([]);
    await setMode(h, 0x01); // no EOP wait in between: CR2 and NCR2 land during the cycle
    expect(await h.writeMem(0x8040, pattern(64, 2))).toBe(0); // answers OK: only EOP would tell
    await h.sleep(start + T_PROG_MS + 0.1 - h.now);
    const block0 = Array.from(h.probe.target.peek(0x8000, 64));
    expect(block0).not.toEqual(Array.from(pattern(64, 1)));
    expect(block0.some((b) => b !== 0)).toBe(true); // junk, not erased
    expect(Array.from(h.probe.target.peek(0x8040, 64))).toEqual(new Array(64).fill(0)); // lost
    expect(h.probe.target.programCycles.block).toBe(1);
    const v = h.probe.violations();
    expect(v.every((x) => x.rule === 'write-during-program-cycle')).toBe(true);
    expect(v.map((x) => x.command)).toEqual(expect.arrayContaining(['WRITEMEM 0x505b+1', 'WRITEMEM 0x505c+1', 'WRITEMEM 0x8040+64']));
    expect(v[0].reason).toMatch(/CR2 write while a block cycle at 0x8000/);
  });

  it('the same two blocks with an EOP wait in between are both programmed, without violations', async () => {
    const h = await ready();
    await unlockFlash(h);
    await setMode(h, 0x01);
    const start = await writeTimed(h, 0x8000, pattern(64, 1));
    const [, after] = await eopAround(h, start + T_PROG_MS);
    expect(after & EOP).toBe(EOP);
    await setMode(h, 0x01);
    const start2 = await writeTimed(h, 0x8040, pattern(64, 2));
    await h.sleep(start2 + T_PROG_MS + 0.1 - h.now);
    expect(Array.from(h.probe.target.peek(0x8000, 128))).toEqual([...pattern(64, 1), ...pattern(64, 2)]);
    expect(h.probe.violations()).toEqual([]);
  });

  it('block writes must stay in one block: a byte outside it sets WR_PG_DIS and no cycle starts', async () => {
    const h = await ready();
    await unlockFlash(h);
    await setMode(h, 0x01);
    await writeTimed(h, 0x8020, pattern(64)); // straddles 0x8000 and 0x8040 blocks
    await h.sleep(20);
    const s = await h.read8(IAPSR);
    expect(s & WR_PG_DIS).toBe(WR_PG_DIS);
    expect(s & EOP).toBe(0);
    expect(h.probe.target.programCycles.block).toBe(0);
  });
});

describe('flash controller: CR2/NCR2 complement rule (STM8S)', () => {
  it('a mode set in CR2 without its complement in NCR2 is not in force: the first byte starts a byte cycle', async () => {
    const h = await ready();
    await unlockFlash(h);
    expect(await h.write8(CR2, 0x01)).toBe(0); // NCR2 left at 0xFF
    const data = pattern(64, 11);
    expect(await h.writeMem(0x8000, data)).toBe(0);
    // Byte mode: the first byte starts a cycle, the other 63 arrive during it.
    expect(h.probe.target.programCycles.byte).toBe(1);
    expect(h.probe.target.programCycles.block).toBe(0);
    expect(h.probe.violations()).toHaveLength(63);
  });

  it('refuses CR2/NCR2 writes while the CPU runs (status 0x05)', async () => {
    const h = await ready();
    await h.write8(0x7f99, 0x20); // resume
    expect(h.probe.target.isHalted()).toBe(false);
    expect(await h.write8(CR2, 0x01)).toBe(0x05);
    await h.halt();
    expect(await h.write8(CR2, 0x01)).toBe(0x00);
  });
});

describe('flash controller: option bytes', () => {
  it('programs an option byte with DUKR + OPT in 6 ms', async () => {
    const h = await ready();
    await unlockData(h);
    await setMode(h, 0x80);
    const start = await writeTimed(h, 0x4803, [0x5a]);
    const [before, after] = await eopAround(h, start + T_PROG_MS);
    expect([before & EOP, after & EOP]).toEqual([0, EOP]);
    expect(await h.writeMem(0x4804, [0xa5])).toBe(0x00);
    await h.sleep(T_PROG_MS + 0.1);
    expect(Array.from(await h.readMem(0x4803, 2))).toEqual([0x5a, 0xa5]);
    expect(h.probe.target.programCycles.option).toBe(2);
    expect(h.probe.target.flashState().cr2).toBe(0x80); // OPT is not cleared by hardware
    expect(h.probe.violations()).toEqual([]);
  });

  it('an option byte written back to back without EOP gets 0x05 and spoils the one being programmed', async () => {
    const h = await ready();
    await unlockData(h);
    await setMode(h, 0x80);
    const factory = h.probe.target.peek(0x4804, 1)[0];
    const start = await writeTimed(h, 0x4803, [0x5a]);
    expect(await h.writeMem(0x4804, [0xa5])).toBe(0x05); // before EOP (stm8flash PR #146)
    await h.sleep(start + T_PROG_MS + 0.1 - h.now);
    expect(h.probe.target.peek(0x4804, 1)[0]).toBe(factory); // not written
    expect(h.probe.target.programCycles.option).toBe(1);
    expect(h.probe.violations()).toMatchObject([{ rule: 'write-during-program-cycle', command: 'WRITEMEM 0x4804+1' }]);
  });

  it('refuses option writes without OPT (WR_PG_DIS)', async () => {
    const h = await ready();
    await unlockData(h);
    expect(await h.writeMem(0x4803, [0x5a])).toBe(0);
    expect((await h.read8(IAPSR)) & WR_PG_DIS).toBe(WR_PG_DIS);
    expect(h.probe.target.peek(0x4803, 1)[0]).toBe(0x00);
  });

  it('STM8L: registers at 0x5050.., no NCR2, word-programmed option bytes', async () => {
    const h = await ready('stm8l152c6');
    await h.write8(0x5053, 0xae);
    await h.write8(0x5053, 0x56);
    expect((await h.read8(0x5054)) & DUL).toBe(DUL);
    expect(await h.write8(0x5051, 0xc0)).toBe(0); // OPT | WPRG (OpenOCD, aligned option write)
    await writeTimed(h, 0x4808, [0x01, 0x02, 0x03, 0x04]);
    await h.sleep(T_PROG_MS + 0.1);
    expect(Array.from(h.probe.target.peek(0x4808, 4))).toEqual([1, 2, 3, 4]);
  });
});
