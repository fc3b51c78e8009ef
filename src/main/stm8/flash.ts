/**
 * The STM8 flash controller driven over SWIM (stm8-target.md §2, stlink-swim.md §5.3–5.4):
 * MASS unlock, program modes through FLASH_CR2 (+NCR2 on STM8S, written together as one
 * 2-byte WRITEMEM), EOP polled once t_prog should be over — not in a busy loop — and
 * WR_PG_DIS reported as write protection (read-out protection or UBC).
 */
import { AppError } from '../../shared/errors';
import { swimWireMs } from '../stlink/swim-timing';
import { CR2, DUKR_KEYS, EOP_EXTRA_MS, IAPSR, PUKR_KEYS, T_PROG_MS } from './registers';
import type { Stm8Session } from './session';

/** Which key unlocks it: program flash (PUKR) or data EEPROM / option bytes (DUKR). */
export type FlashArea = 'flash' | 'eeprom' | 'option';

/** Block programming modes: fast (FPRG, only on blocks already 0x00) or standard (PRG: erase + write). */
export type BlockMode = 'fast' | 'standard';

/** Counters for reports and benchmarks. */
export interface FlashStats {
  blocksFast: number;
  blocksStandard: number;
  blocksErased: number;
  wordsWritten: number;
  bytesWritten: number;
  optionBytesWritten: number;
  eopPolls: number;
  /** FLASH_CR2 writes actually sent. */
  modeWrites: number;
}

const POLL_STEP_MS = 0.5;

export class FlashController {
  readonly stats: FlashStats = {
    blocksFast: 0,
    blocksStandard: 0,
    blocksErased: 0,
    wordsWritten: 0,
    bytesWritten: 0,
    optionBytesWritten: 0,
    eopPolls: 0,
    modeWrites: 0,
  };

  constructor(private readonly s: Stm8Session) {}

  private get regs() {
    return this.s.part.flashRegs;
  }

  /** IAPSR (reading it clears EOP and WR_PG_DIS, SPL-S). */
  async readIapsr(): Promise<number> {
    return this.s.readByte(this.regs.IAPSR);
  }

  /**
   * MASS unlock: PUKR ← 0x56, 0xAE for flash; DUKR ← 0xAE, 0x56 for EEPROM and option bytes
   * (OO `stm8_unlock_flash`/`stm8_unlock_eeprom`). Skipped when already unlocked; checks
   * PUL/DUL afterwards ('flash-locked' if the keys did not take: a wrong key locks until reset).
   */
  async unlock(area: FlashArea): Promise<void> {
    const bit = area === 'flash' ? IAPSR.PUL : IAPSR.DUL;
    if ((await this.readIapsr()) & bit) return;
    const reg = area === 'flash' ? this.regs.PUKR : this.regs.DUKR;
    const keys = area === 'flash' ? PUKR_KEYS : DUKR_KEYS;
    await this.s.writeByte(reg, keys[0]);
    await this.s.writeByte(reg, keys[1]);
    if (!((await this.readIapsr()) & bit)) {
      throw new AppError(
        'flash-locked',
        `The ${area === 'flash' ? 'program memory' : area === 'eeprom' ? 'data EEPROM' : 'option-byte area'} did not unlock (IAPSR.${area === 'flash' ? 'PUL' : 'DUL'} stayed 0).`,
        'Reset the target (a wrong key sequence locks the memory until the next reset) and try again.',
        { area },
      );
    }
  }

  /** Clear PUL and DUL: the memories are write protected again (OO writes IAPSR := 0). */
  async lock(): Promise<void> {
    await this.s.writeByte(this.regs.IAPSR, 0x00);
  }

  /** Is anything still unlocked? (for tests and the cancel path) */
  async isUnlocked(): Promise<boolean> {
    return ((await this.readIapsr()) & (IAPSR.PUL | IAPSR.DUL)) !== 0;
  }

  /** FLASH_CR2 (and NCR2 = ~CR2 on STM8S, in the same 2-byte WRITEMEM: they are adjacent). */
  async setMode(bits: number): Promise<void> {
    const r = this.regs;
    this.stats.modeWrites++;
    if (r.NCR2 !== null && r.NCR2 === r.CR2 + 1) {
      await this.s.probe.swimWriteMem(r.CR2, Uint8Array.of(bits & 0xff, ~bits & 0xff));
    } else {
      await this.s.writeByte(r.CR2, bits);
      if (r.NCR2 !== null) await this.s.writeByte(r.NCR2, ~bits & 0xff);
    }
  }

  /**
   * Program one whole, aligned block. `mode` fast is only correct when the block on the chip
   * is all 0x00 (SF-git:536716a); the caller decides from what it read.
   */
  async writeBlock(address: number, data: Uint8Array, mode: BlockMode): Promise<void> {
    const bs = this.s.part.blockSize;
    if (data.length !== bs || address % bs !== 0) {
      throw new AppError('internal', `writeBlock needs one aligned ${bs}-byte block (got ${data.length} at 0x${address.toString(16)})`);
    }
    await this.setMode(mode === 'fast' ? CR2.FPRG : CR2.PRG);
    await this.writeAndWait(address, data, mode === 'fast' ? T_PROG_MS.fast : T_PROG_MS.standard, `block at 0x${address.toString(16)}`);
    if (mode === 'fast') this.stats.blocksFast++;
    else this.stats.blocksStandard++;
  }

  /** Erase one block to 0x00: CR2 = ERASE, then a 4-byte word of zeros at its start (SPL FLASH_EraseBlock). */
  async eraseBlock(address: number): Promise<void> {
    await this.setMode(CR2.ERASE);
    await this.writeAndWait(address, new Uint8Array(4), T_PROG_MS.erase, `erase block at 0x${address.toString(16)}`);
    this.stats.blocksErased++;
  }

  /** Word program: 4 bytes at a 4-byte-aligned address (CR2 = WPRG). */
  async writeWord(address: number, data: Uint8Array, option = false): Promise<void> {
    if (data.length !== 4 || address % 4 !== 0) throw new AppError('internal', 'writeWord needs 4 aligned bytes');
    await this.setMode(CR2.WPRG | (option ? CR2.OPT : 0));
    await this.writeAndWait(address, data, T_PROG_MS.word, `word at 0x${address.toString(16)}`);
    this.stats.wordsWritten++;
  }

  /** Byte program (CR2 mode bits clear): one byte, t_prog. */
  async writeSingleByte(address: number, value: number): Promise<void> {
    await this.setMode(0);
    await this.writeAndWait(address, Uint8Array.of(value), T_PROG_MS.byte, `byte at 0x${address.toString(16)}`);
    this.stats.bytesWritten++;
  }

  /**
   * One option byte: CR2 = OPT (NCR2 = 0x7F on STM8S), write, wait for EOP (SF: the per-byte
   * EOP wait avoids SWIM error 0x05 at high speed, PR #146). Complements are the caller's job.
   */
  async writeOptionByte(address: number, value: number): Promise<void> {
    await this.setMode(CR2.OPT);
    await this.writeAndWait(address, Uint8Array.of(value & 0xff), T_PROG_MS.option, `option byte at 0x${address.toString(16)}`);
    this.stats.optionBytesWritten++;
  }

  /** WRITEMEM, then wait until t_prog after its last byte should be over, then check EOP. */
  private async writeAndWait(address: number, data: Uint8Array, tProgMs: number, what: string): Promise<void> {
    const p = this.s.probe;
    const sentAt = await p.swimWriteMemStart(address, data);
    const wire = swimWireMs(data.length, p.swimSpeed);
    await p.swimWait(`write ${what}`, sentAt, wire);
    await this.waitEop(sentAt + wire, tProgMs, what);
  }

  /**
   * Wait for the end of a program cycle that started at `startedAt`. The first IAPSR read
   * comes when the typical t_prog is over; then short polls up to EOP_EXTRA_MS more
   * (OO polls 16 × 1 ms, SF 5 × 10 ms). WR_PG_DIS → AppError 'write-protected'.
   */
  async waitEop(startedAt: number, tProgMs: number, what: string): Promise<void> {
    const clock = this.s.clock;
    const due = startedAt + tProgMs;
    const now = clock.now();
    if (due > now) await clock.sleep(due - now);
    const deadline = due + EOP_EXTRA_MS;
    for (;;) {
      const v = await this.readIapsr();
      this.stats.eopPolls++;
      if (v & IAPSR.WR_PG_DIS) {
        throw new AppError(
          'write-protected',
          `The chip refused to write the ${what}: the page is write protected by read-out protection or UBC (IAPSR.WR_PG_DIS).`,
          'Remove read-out protection with "unlock" (this erases the chip), or set the UBC option byte to 0 first.',
          { iapsr: v, what },
        );
      }
      if (v & IAPSR.EOP) return;
      if (clock.now() >= deadline) {
        throw new AppError('flash-timeout', `The flash controller never reported the end of programming (${what}).`, 'Reset the target and try again; check the supply voltage.', {
          iapsr: v,
          what,
        });
      }
      await clock.sleep(POLL_STEP_MS);
    }
  }
}
