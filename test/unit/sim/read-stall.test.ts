/**
 * Reads of a memory array while a program cycle runs (CHOICES.md "Reads during a cycle"):
 * STM8 program memory has no read-while-write with itself, so a ROTF of flash or EEPROM
 * during a cycle is held until the cycle ends; only program flash during a data-EEPROM
 * cycle on medium/high-density parts is read at once (docs/spec/stm8-target.md §2.4). Registers
 * (IAPSR polls) and RAM never wait.
 */
import { describe, expect, it } from 'vitest';
import { findPart } from '#shared/catalogue/index';
import { hasReadWhileWrite, swimOperationMs, SWIM_BIT_HS_MS, SWIM_BITS_PER_BYTE, T_PROG_MS } from '../../../src/main/sim/index';
import { RawHost, pattern } from './raw-host';
import { CR2, DUKR, EOP, HVOFF, IAPSR, NCR2, PUKR } from './stm8s-flash-registers';

const BUSY = 0x01;
const EEPROM = 0x4000;
const FLASH = 0x8000;

async function ready(part: string): Promise<RawHost> {
  const h = await RawHost.open({ probe: 'stlinkv3', part });
  await h.connect({ highSpeed: true });
  await h.write8(PUKR, 0x56);
  await h.write8(PUKR, 0xae);
  await h.write8(DUKR, 0xae);
  await h.write8(DUKR, 0x56);
  return h;
}

/**
 * Block-program `data` at `addr` (PRG) and return when the cycle ends: the cycle starts when
 * the last byte reaches the chip, which is the WRITEMEM's wire time after its data phase.
 */
async function startBlock(h: RawHost, addr: number, data: Uint8Array): Promise<number> {
  expect(await h.write8(CR2, 0x01)).toBe(0);
  expect(await h.write8(NCR2, 0xfe)).toBe(0);
  await h.writeMemNoWait(addr, data);
  const cycleEnd = h.now + swimOperationMs(data.length, true, h.probe.target.cpuClockHz()) + T_PROG_MS;
  expect(await h.settle(0.01)).toBe(0);
  return cycleEnd;
}

/** Send a READMEM without waiting: the caller watches READSTATUS itself. */
async function readMemNoWait(h: RawHost, addr: number, len: number): Promise<void> {
  await h.cmd([0xf4, 0x0b, len >> 8, len & 0xff, 0, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff]);
}

/** Wire time of `n` data bytes alone (the frame header goes out before the stall). */
function dataBytesMs(n: number): number {
  return n * SWIM_BITS_PER_BYTE * SWIM_BIT_HS_MS;
}

describe('sim: reads of flash/EEPROM during a program cycle stall (no read-while-write)', () => {
  it('a flash read issued right after a flash block program starts ends no earlier than cycle end + its bytes', async () => {
    const h = await ready('stm8s208rb');
    const old = pattern(128, 11);
    const data = pattern(128, 12);
    h.probe.target.poke(FLASH, old);
    const cycleEnd = await startBlock(h, FLASH, data);
    expect(h.now).toBeLessThan(cycleEnd - 5); // the read really is issued inside the cycle
    await readMemNoWait(h, FLASH, 128);
    // Just before cycle end + the data bytes' wire time the READMEM is still BUSY ...
    await h.sleep(cycleEnd + dataBytesMs(128) - 0.25 - h.now);
    expect(await h.status()).toBe(BUSY);
    // ... and it finishes only after that, with the new content (read after the cycle landed).
    expect(await h.settle(0.01)).toBe(0);
    expect(h.now).toBeGreaterThanOrEqual(cycleEnd + dataBytesMs(128));
    const got = await h.cmdIn([0xf4, 0x0c], 128);
    expect(Array.from(got)).toEqual(Array.from(data));
  });

  it('stalls a read anywhere in flash, not just in the block being programmed', async () => {
    const h = await ready('stm8s103f3');
    const cycleEnd = await startBlock(h, FLASH + 0x40, pattern(64, 13));
    const t0 = h.now;
    expect(Array.from(await h.readMem(FLASH + 0x1000, 16))).toEqual(new Array(16).fill(0));
    expect(t0).toBeLessThan(cycleEnd - 5);
    expect(h.now).toBeGreaterThanOrEqual(cycleEnd + dataBytesMs(16));
  });

  it('without a cycle the same flash read takes only its wire time (the stall is the cycle)', async () => {
    const h = await ready('stm8s208rb');
    const t0 = h.now;
    await h.readMem(FLASH, 128);
    // Two USB transfers out/in per poll on V3 are ≈ 0.06 ms each; nothing near 6 ms.
    expect(h.now - t0).toBeLessThan(swimOperationMs(128, true, h.probe.target.cpuClockHz()) + 0.5);
  });

  it('an EEPROM read during an EEPROM cycle stalls, also on a part with read-while-write', async () => {
    const h = await ready('stm8s208rb');
    const data = pattern(128, 14);
    const cycleEnd = await startBlock(h, EEPROM, data);
    expect(h.now).toBeLessThan(cycleEnd - 5);
    expect(Array.from(await h.readMem(EEPROM, 128))).toEqual(Array.from(data));
    expect(h.now).toBeGreaterThanOrEqual(cycleEnd + dataBytesMs(128));
  });

  it('an EEPROM read during a flash cycle stalls', async () => {
    const h = await ready('stm8s208rb');
    const cycleEnd = await startBlock(h, FLASH, pattern(128, 15));
    await h.readMem(EEPROM, 8);
    expect(h.now).toBeGreaterThanOrEqual(cycleEnd + dataBytesMs(8));
  });

  it('option bytes count as data EEPROM: reading them during an EEPROM cycle stalls even with RWW', async () => {
    const h = await ready('stm8s208rb');
    const cycleEnd = await startBlock(h, EEPROM, pattern(128, 16));
    await h.readMem(0x4800, 8);
    expect(h.now).toBeGreaterThanOrEqual(cycleEnd + dataBytesMs(8));
  });
});

describe('sim: read-while-write and what never stalls', () => {
  it('RWW (stm8s208rb): program flash reads at once while a data-EEPROM block programs', async () => {
    const h = await ready('stm8s208rb');
    const flashImage = pattern(128, 17);
    h.probe.target.poke(FLASH, flashImage);
    const cycleEnd = await startBlock(h, EEPROM, pattern(128, 18));
    const t0 = h.now;
    expect(Array.from(await h.readMem(FLASH, 128))).toEqual(Array.from(flashImage));
    expect(h.now - t0).toBeLessThan(swimOperationMs(128, true, h.probe.target.cpuClockHz()) + 0.5);
    expect(h.now).toBeLessThan(cycleEnd - 3);
    // The EEPROM cycle was still running during that read: no EOP yet, high voltage on.
    const iapsr = await h.read8(IAPSR);
    expect(iapsr & (EOP | HVOFF)).toBe(0);
  });

  it('no RWW on a low-density part (stm8s103f3): a flash read during an EEPROM cycle stalls', async () => {
    const h = await ready('stm8s103f3');
    const cycleEnd = await startBlock(h, EEPROM, pattern(64, 19));
    expect(h.now).toBeLessThan(cycleEnd - 5);
    await h.readMem(FLASH, 64);
    expect(h.now).toBeGreaterThanOrEqual(cycleEnd + dataBytesMs(64));
  });

  it('IAPSR polls and RAM reads during a flash cycle are answered at once', async () => {
    const h = await ready('stm8s208rb');
    h.probe.target.poke(0x0100, [1, 2, 3, 4]);
    const cycleEnd = await startBlock(h, FLASH, pattern(128, 20));
    const polls: number[] = [];
    // Each read is a READMEM, a status poll or two and a READBUF: well under 1 ms, while a
    // stalled one would wait for the cycle's end, up to 6 ms away.
    for (let i = 0; i < 5; i++) {
      const t0 = h.now;
      polls.push(await h.read8(IAPSR));
      expect(h.now - t0).toBeLessThan(1);
    }
    const t0 = h.now;
    expect(Array.from(await h.readMem(0x0100, 4))).toEqual([1, 2, 3, 4]);
    expect(h.now - t0).toBeLessThan(1);
    expect(h.now).toBeLessThan(cycleEnd);
    for (const v of polls) expect(v & (EOP | HVOFF)).toBe(0); // cycle still running at every poll
    await h.sleep(cycleEnd + 0.05 - h.now);
    expect((await h.read8(IAPSR)) & EOP).toBe(EOP);
  });

  it('read-while-write follows the catalogue density: medium/high S/AF/L yes; low density, L101, STLUX no', () => {
    const rww = (name: string): boolean => hasReadWhileWrite(findPart(name));
    expect(rww('stm8s208rb')).toBe(true);
    expect(rww('stm8s105c6')).toBe(true);
    expect(rww('stm8l152c6')).toBe(true);
    expect(rww('stm8l152r8')).toBe(true);
    expect(rww('stm8s103f3')).toBe(false);
    expect(rww('stm8s003f3')).toBe(false);
    expect(rww('stm8l151f3')).toBe(false);
    expect(rww('stm8l101f3')).toBe(false);
    expect(rww('stlux385')).toBe(false);
  });
});
