/**
 * The STM8 flash controller driven over SWIM (docs/spec/stm8-target.md §2, docs/spec/stlink-swim.md §5.3–5.4):
 * MASS unlock, program modes through FLASH_CR2 (+NCR2 on STM8S, written together as one
 * 2-byte WRITEMEM), EOP polled once t_prog should be over — not in a busy loop — and
 * WR_PG_DIS reported as write protection (read-out protection or UBC).
 */
import { AppError } from '../../shared/errors';
import { swimWireMs } from '../stlink/swim-timing';
import { waitFor, waitUntil } from '../stlink/wait';
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

function writeProtected(what: string, iapsr: number): AppError {
  return new AppError(
    'write-protected',
    `The chip refused to write the ${what}: the page is write protected by read-out protection or UBC (IAPSR.WR_PG_DIS).`,
    'Remove read-out protection with "unlock" (this erases the chip), or set the UBC option byte to 0 first.',
    { iapsr, what },
  );
}

function hexAddr(a: number): string {
  return `0x${a.toString(16).toUpperCase()}`;
}

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

  /**
   * How long to count on a program cycle lasting. On a virtual probe the model's time is
   * exact; real silicon takes up to 10 % more ("t_prog 6 ms typ, 6.6 ms max", SF comment).
   */
  cycleMs(typicalMs: number): number {
    return this.s.clock.kind === 'virtual' ? typicalMs : typicalMs * 1.1;
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
        `Check that the part is right (${this.s.part.name}: flash controller at ${hexAddr(this.regs.IAPSR)}, ${this.regs.style === 'stm8s' ? 'STM8S' : 'STM8L'} layout — the other family has it elsewhere); otherwise reset the target (a wrong key sequence locks the memory until the next reset) and try again.`,
        { area, part: this.s.part.name },
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

  /**
   * FLASH_CR2 (and NCR2 = ~CR2 on STM8S, in the same 2-byte WRITEMEM: they are adjacent).
   * The mode bits clear themselves at the end of each operation (OPT stays), so every block
   * needs its own mode write, after the previous cycle is over.
   */
  async setMode(bits: number, checked = true): Promise<void> {
    const r = this.regs;
    this.stats.modeWrites++;
    if (r.NCR2 !== null && r.NCR2 === r.CR2 + 1) {
      await this.writeMem(r.CR2, Uint8Array.of(bits & 0xff, ~bits & 0xff), checked);
    } else {
      await this.s.writeByte(r.CR2, bits);
      if (r.NCR2 !== null) await this.s.writeByte(r.NCR2, ~bits & 0xff);
    }
  }

  /**
   * WRITEMEM, status-checked or not (see startBlock); returns the clock time it ends on the
   * wire, which is when a program cycle it starts begins.
   */
  private async writeMem(address: number, data: Uint8Array, checked: boolean): Promise<number> {
    const p = this.s.probe;
    if (!checked) return p.swimWriteMemUnchecked(address, data);
    await p.swimWriteMem(address, data);
    return p.swimIdleTime;
  }

  /**
   * Program one whole, aligned block. `mode` fast is only correct when the block on the chip
   * is all 0x00 (SF-git:536716a); the caller decides from what it read.
   */
  async writeBlock(address: number, data: Uint8Array, mode: BlockMode): Promise<void> {
    const end = await this.startBlock(address, data, mode, true);
    await this.waitEop(end, `block at 0x${address.toString(16)}`, false);
  }

  /**
   * Start programming one block and return when its program cycle should be over, without
   * waiting: the caller may use the cycle time for reads elsewhere, then calls waitEop.
   * `checked` false skips the status polls of the mode and data writes (the EOP poll and the
   * verification check the result; a write that failed leaves EOP unset).
   */
  async startBlock(address: number, data: Uint8Array, mode: BlockMode, checked = false, notBefore = 0): Promise<number> {
    const bs = this.s.part.blockSize;
    if (data.length !== bs || address % bs !== 0) {
      throw new AppError('internal', `writeBlock needs one aligned ${bs}-byte block (got ${data.length} at 0x${address.toString(16)})`);
    }
    if (notBefore > 0) await this.s.probe.waitArrival(notBefore);
    await this.setMode(mode === 'fast' ? CR2.FPRG : CR2.PRG, checked);
    const wireEnd = await this.writeMem(address, data, checked);
    if (mode === 'fast') this.stats.blocksFast++;
    else this.stats.blocksStandard++;
    return wireEnd + this.cycleMs(mode === 'fast' ? T_PROG_MS.fast : T_PROG_MS.standard);
  }

  /** Erase one block to 0x00: CR2 = ERASE, then a 4-byte word of zeros at its start (SPL FLASH_EraseBlock). */
  async eraseBlock(address: number): Promise<void> {
    const end = await this.startErase(address, true);
    await this.waitEop(end, `erase of block 0x${address.toString(16)}`, false);
  }

  /** Start a block erase; returns when its cycle should be over (see startBlock). */
  async startErase(address: number, checked = false, notBefore = 0): Promise<number> {
    if (notBefore > 0) await this.s.probe.waitArrival(notBefore);
    await this.setMode(CR2.ERASE, checked);
    const wireEnd = await this.writeMem(address, new Uint8Array(4), checked);
    this.stats.blocksErased++;
    return wireEnd + this.cycleMs(T_PROG_MS.erase);
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

  /** Leave FLASH_CR2 with no mode (OPT is not self-clearing) — after option-byte writes. */
  async clearMode(): Promise<void> {
    await this.setMode(0);
  }

  /** Checked WRITEMEM, then the EOP wait from the end of its last byte. */
  private async writeAndWait(address: number, data: Uint8Array, tProgMs: number, what: string): Promise<void> {
    const p = this.s.probe;
    await p.swimWriteMem(address, data);
    await this.waitEop(p.swimIdleTime + this.cycleMs(tProgMs), what, false);
  }

  /**
   * Read FLASH_CR2 … FLASH_IAPSR in one READMEM (registers: readable while a cycle runs).
   * Used during a block's cycle to collect the previous block's EOP (sticky until IAPSR is
   * read) and to see that this block's mode bits are still set. WR_PG_DIS → 'write-protected'.
   */
  async readControlDuringCycle(what: string): Promise<{ cr2: number; iapsr: number }> {
    const r = this.regs;
    const len = r.IAPSR - r.CR2 + 1;
    const d = await this.s.probe.swimReadMemChunk(r.CR2, len, true);
    const iapsr = d[len - 1];
    this.stats.eopPolls++;
    if (iapsr & IAPSR.WR_PG_DIS) throw writeProtected(what, iapsr);
    return { cr2: d[0], iapsr };
  }

  /**
   * Wait for the end of a program cycle expected to end at `dueAt`. The first IAPSR read is
   * timed to arrive then — not a busy loop — and further reads follow every 0.5 ms up to
   * EOP_EXTRA_MS more (OO polls 16 × 1 ms, SF 5 × 10 ms). WR_PG_DIS → 'write-protected'.
   * `quickFirst`: the first read skips its status poll (full-speed probes in the programming
   * loop); a value without EOP is then re-read with a checked read.
   */
  async waitEop(dueAt: number, what: string, quickFirst: boolean): Promise<void> {
    const p = this.s.probe;
    const clock = this.s.clock;
    // The IAPSR byte is sampled at the end of its ROTF frame: send so that moment is dueAt.
    await waitUntil(clock, dueAt - swimWireMs(1, p.swimSpeed) - p.sendLeadMs + p.arrivalMarginMs);
    const deadline = dueAt + EOP_EXTRA_MS;
    for (let first = true; ; first = false) {
      const v = (await p.swimReadMemChunk(this.regs.IAPSR, 1, !(first && quickFirst)))[0];
      this.stats.eopPolls++;
      if (v & IAPSR.WR_PG_DIS) throw writeProtected(what, v);
      if (v & IAPSR.EOP) return;
      if (first && quickFirst) continue;
      if (clock.now() >= deadline) {
        throw new AppError('flash-timeout', `The flash controller never reported the end of programming (${what}).`, 'Check that the part is right (the address may not exist on the chip on the board), then reset the target and try again; check the supply voltage.', {
          iapsr: v,
          what,
        });
      }
      await waitFor(clock, POLL_STEP_MS);
    }
  }
}
