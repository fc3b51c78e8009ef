/**
 * A test client that talks to the virtual probe the way stm8flash does (stlinkv2.c), above
 * all in how it waits: after every asynchronous SWIM command it polls READSTATUS like
 * `swim_cmd_internal` — done at the first answer whose byte 0 is OK; otherwise it compares
 * all 4 bytes with the previous answer and gives up after 4 identical answers in a row,
 * sleeping 10 ms between polls. A probe whose answer does not change while a long transfer
 * runs fails this client; that is what it is for.
 *
 * Deliberately not the engine (tests of the simulator must not depend on it).
 */
import { RawHost, expectOk } from './raw-host';

/** stm8flash reads in chunks of this size (STLK_READ_BUFFER_SIZE). */
export const STM8FLASH_READ_CHUNK = 6144;
const POLL_SLEEP_MS = 10;
const IDENTICAL_LIMIT = 4;

// STM8S registers (stm8flash stm8.h, RM0016).
const SWIM_CSR = 0x7f80;
const DM_CSR2 = 0x7f99;
const CLK_CKDIVR_S = 0x50c6;
const FLASH_CR2 = 0x505b;
const FLASH_NCR2 = 0x505c;
const FLASH_IAPSR = 0x505f;
const FLASH_PUKR = 0x5062;
const EOP = 0x04;
const WR_PG_DIS = 0x01;

export class Stm8flashLikeClient {
  /** Every READSTATUS answer seen, for tests that look at the progress bytes. */
  readonly statusLog: number[][] = [];

  constructor(readonly h: RawHost) {}

  /** `swim_cmd_internal`: send, then poll until OK or 4 identical non-OK answers. */
  async swimCmd(cmd: number[], data?: Uint8Array): Promise<void> {
    await this.h.cmd([...cmd, ...(data ? data.subarray(0, 8) : [])]);
    if (data && data.length > 8) await this.h.probe.transport.transferOut(this.h.outEp, data.subarray(8));
    let prev: number[] | null = null;
    let stalls = 0;
    while (stalls < IDENTICAL_LIMIT) {
      const s = Array.from(await this.h.cmdIn([0xf4, 0x09], 4));
      this.statusLog.push(s);
      if (s[0] === 0x00) return;
      if (prev && s.every((b, i) => b === prev![i])) stalls++;
      else stalls = 0;
      prev = s;
      await this.h.sleep(POLL_SLEEP_MS);
    }
    throw new Error(`SWIM error 0x${prev![0].toString(16)} after ${IDENTICAL_LIMIT} identical answers ${JSON.stringify(prev)}`);
  }

  async writeMem(addr: number, data: Uint8Array | number[]): Promise<void> {
    const d = Uint8Array.from(data);
    await this.swimCmd([0xf4, 0x0a, d.length >> 8, d.length & 0xff, 0, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff], d);
  }

  async readMem(addr: number, len: number): Promise<Uint8Array> {
    await this.swimCmd([0xf4, 0x0b, len >> 8, len & 0xff, 0, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff]);
    return this.h.cmdIn([0xf4, 0x0c], len);
  }

  /** stm8flash's session start: under reset, SWIM_CSR, release, then high speed when HSIT is set. */
  async connect(opts: { highSpeed: boolean }): Promise<void> {
    const mode = (await this.h.cmdIn([0xf5], 2))[0];
    if (mode === 0x00) await this.h.cmd([0xf3, 0x07]);
    await this.h.cmd([0xf4, 0x00]);
    await this.swimCmd([0xf4, 0x07]);
    await this.swimCmd([0xf4, 0x04]);
    await this.writeMem(SWIM_CSR, [0xa1]);
    await this.swimCmd([0xf4, 0x08]);
    await this.h.sleep(1);
    if (opts.highSpeed) {
      const csr = (await this.readMem(SWIM_CSR, 1))[0];
      if (!(csr & 0x02)) throw new Error('HSIT not set');
      await this.writeMem(SWIM_CSR, [csr | 0x10]);
      await this.swimCmd([0xf4, 0x03, 0x01]);
    }
  }

  /** Read a range in 6 KB chunks, as stm8flash does. */
  async readRange(start: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    for (let off = 0; off < length; off += STM8FLASH_READ_CHUNK) {
      const n = Math.min(STM8FLASH_READ_CHUNK, length - off);
      out.set(await this.readMem(start + off, n), off);
    }
    return out;
  }

  /**
   * Program flash block by block the way stm8flash's `stlink2_swim_write_range` does on an
   * STM8S: CKDIVR := 0, unlock, stall the core, then per block CR2/NCR2, one WRITEMEM of the
   * block, 6 ms, then IAPSR polls for EOP (up to 5, 10 ms apart).
   */
  async writeFlashRange(start: number, data: Uint8Array, blockSize: number): Promise<void> {
    await this.writeMem(CLK_CKDIVR_S, [0x00]);
    await this.writeMem(FLASH_PUKR, [0x56]);
    await this.writeMem(FLASH_PUKR, [0xae]);
    const csr2 = (await this.readMem(DM_CSR2, 1))[0];
    await this.writeMem(DM_CSR2, [csr2 | 0x08]);
    for (let off = 0; off < data.length; off += blockSize) {
      await this.writeMem(FLASH_CR2, [0x01]);
      await this.writeMem(FLASH_NCR2, [0xfe]);
      await this.writeMem(start + off, data.subarray(off, off + blockSize));
      await this.h.sleep(6);
      let iapsr = 0;
      for (let tries = 0; tries < 5; tries++) {
        iapsr = (await this.readMem(FLASH_IAPSR, 1))[0];
        if (iapsr & (EOP | WR_PG_DIS)) break;
        await this.h.sleep(10);
      }
      if (iapsr & WR_PG_DIS) throw new Error(`block at 0x${(start + off).toString(16)}: WR_PG_DIS`);
      if (!(iapsr & EOP)) throw new Error(`block at 0x${(start + off).toString(16)}: no EOP`);
    }
  }
}

export { expectOk };
