/**
 * The STM8 flash controller driven over SWIM (docs/spec/stm8-target.md §2, docs/spec/stlink-swim.md §5.3–5.4):
 * MASS unlock, program modes through FLASH_CR2 (+NCR2 on STM8S, written together as one
 * 2-byte WRITEMEM), EOP polled once typical t_prog is over, then with bounded back-off up to
 * the datasheet maximum plus a margin — every block's EOP is seen before the next mode write
 * (OO `stm8_write_flash`, stm8flash `stlink2_swim_write_range`) — and WR_PG_DIS reported as
 * write protection (read-out protection or UBC).
 */
import { AppError } from '#shared/errors';
import type { Part } from '#shared/catalogue/types';
import type { Clock } from '../clock';
import type { StlinkProbe } from '../stlink/probe';
import { waitFor } from '../stlink/wait';
import { CR2, DUKR_KEYS, EOP_EXTRA_MS, IAPSR, PUKR_KEYS, T_PROG_MAX_FACTOR, T_PROG_MS } from './registers';

/**
 * What the flash controller drives: the session's memory access on one attached target.
 * Stm8Session is the one implementation; the interface lives here so that flash.ts and
 * session.ts do not import each other.
 */
export interface FlashTarget {
  readonly part: Part;
  /** Of the probe, only when the last write ended and how to time a register sample. */
  readonly probe: Pick<StlinkProbe, 'swimEndTime' | 'waitToSampleAt'>;
  readonly clock: Clock;
  readByte(address: number): Promise<number>;
  writeByte(address: number, value: number): Promise<void>;
  writeMemory(address: number, data: Uint8Array): Promise<void>;
  ensureFullSpeedClock(): Promise<void>;
}

/** Which key unlocks it: program flash (PUKR) or data EEPROM / option bytes (DUKR). */
export type FlashArea = 'flash' | 'eeprom' | 'option';

/** Block programming modes: fast (FPRG, only on blocks already 0x00) or standard (PRG: erase + write). */
export type BlockMode = 'fast' | 'standard';

/** Counters for reports and benchmarks. */
export interface FlashStats {
  blocksFast: number;
  blocksStandard: number;
  blocksErased: number;
  optionBytesWritten: number;
  eopPolls: number;
  /** FLASH_CR2 writes actually sent. */
  modeWrites: number;
}

/** EOP back-off: the first re-read 0.25 ms after a miss, doubling up to 4 ms. */
const EOP_FIRST_STEP_MS = 0.25;
const EOP_MAX_STEP_MS = 4;
/** The first EOP sample falls this long after typical t_prog (see waitEop). */
const EOP_SAMPLE_MARGIN_MS = 0.15;

/** Which program cycle is running: its typical duration is T_PROG_MS[kind]. */
type CycleKind = keyof typeof T_PROG_MS;

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
    optionBytesWritten: 0,
    eopPolls: 0,
    modeWrites: 0,
  };

  constructor(private readonly s: FlashTarget) {}

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
    await this.s.ensureFullSpeedClock();
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

  /**
   * FLASH_CR2 (and NCR2 = ~CR2 on STM8S, in the same 2-byte WRITEMEM: they are adjacent).
   * The mode bits clear themselves at the end of each operation (OPT stays), so every block
   * needs its own mode write, after the previous cycle's EOP was seen.
   */
  async setMode(bits: number): Promise<void> {
    const r = this.regs;
    this.stats.modeWrites++;
    if (r.NCR2 !== null && r.NCR2 === r.CR2 + 1) {
      await this.s.writeMemory(r.CR2, Uint8Array.of(bits & 0xff, ~bits & 0xff));
    } else {
      await this.s.writeByte(r.CR2, bits);
      if (r.NCR2 !== null) await this.s.writeByte(r.NCR2, ~bits & 0xff);
    }
  }

  /**
   * Program one whole, aligned block and wait for its EOP. `mode` fast is only correct when
   * the block on the chip is all 0x00 (SF-git:536716a); the caller decides from what it read.
   */
  async writeBlock(address: number, data: Uint8Array, mode: BlockMode): Promise<void> {
    const bs = this.s.part.blockSize;
    if (data.length !== bs || address % bs !== 0) {
      throw new AppError('internal', `A block write needs one aligned ${bs}-byte block (got ${data.length} at 0x${address.toString(16)})`);
    }
    await this.setMode(mode === 'fast' ? CR2.FPRG : CR2.PRG);
    await this.writeAndWait(address, data, mode, `block at ${hexAddr(address)}`);
    if (mode === 'fast') this.stats.blocksFast++;
    else this.stats.blocksStandard++;
  }

  /** Erase one block to 0x00: CR2 = ERASE, then a 4-byte word of zeros at its start (SPL FLASH_EraseBlock). */
  async eraseBlock(address: number): Promise<void> {
    await this.setMode(CR2.ERASE);
    await this.writeAndWait(address, new Uint8Array(4), 'erase', `erase of block ${hexAddr(address)}`);
    this.stats.blocksErased++;
  }

  /**
   * One option byte: CR2 = OPT (NCR2 = 0x7F on STM8S), write, wait for EOP (SF: the per-byte
   * EOP wait avoids SWIM error 0x05 at high speed, PR #146). Complements are the caller's job.
   */
  async writeOptionByte(address: number, value: number): Promise<void> {
    await this.setMode(CR2.OPT);
    await this.writeAndWait(address, Uint8Array.of(value & 0xff), 'option', `option byte at ${hexAddr(address)}`);
    this.stats.optionBytesWritten++;
  }

  /** Leave FLASH_CR2 with no mode (OPT is not self-clearing) — after option-byte writes. */
  async clearMode(): Promise<void> {
    await this.setMode(0);
  }

  /** WRITEMEM (status-checked), then the EOP wait from the end of its last byte on the wire. */
  private async writeAndWait(address: number, data: Uint8Array, kind: CycleKind, what: string): Promise<void> {
    await this.s.writeMemory(address, data);
    await this.waitEop(this.s.probe.swimEndTime, kind, what);
  }

  /**
   * Wait for the end of a program cycle that started at `startedAt`. The first IAPSR read is
   * timed to sample the register when typical t_prog is over; after a miss, bounded back-off
   * until the datasheet maximum plus EOP_EXTRA_MS (OO `stm8_write_flash` polls 16 × 1 ms,
   * stm8flash 3/6 ms then up to 5 × 10 ms). Every read is a checked READMEM + READBUF.
   * WR_PG_DIS → 'write-protected'; no EOP by the deadline → 'flash-timeout' naming `what`.
   */
  private async waitEop(startedAt: number, kind: CycleKind, what: string): Promise<void> {
    const clock = this.s.clock;
    const typical = T_PROG_MS[kind];
    // IAPSR may be read once typical t_prog is over: its first sample falls just after that.
    // The margin covers the uncertainty of the start time (known only to within one status
    // poll); a sample taken too early costs a whole extra read.
    await this.s.probe.waitToSampleAt(startedAt + typical + EOP_SAMPLE_MARGIN_MS);
    const deadline = startedAt + typical * T_PROG_MAX_FACTOR + EOP_EXTRA_MS;
    for (let attempt = 0; ; attempt++) {
      // Judged by when the read was sent, not when its answer came: on a loaded host (or a
      // slow USB stack) one exchange can outlast the whole deadline, and a read sent before
      // it proves nothing. The cycle is declared lost only after a read sent past the deadline.
      const sentAt = clock.now();
      const v = await this.readIapsr();
      this.stats.eopPolls++;
      if (v & IAPSR.WR_PG_DIS) throw writeProtected(what, v);
      if (v & IAPSR.EOP) return;
      if (sentAt >= deadline) {
        throw new AppError(
          'flash-timeout',
          `The flash controller never reported the end of programming (${what}): no EOP within ${Math.round(deadline - startedAt)} ms.`,
          'Check that the part is right (the address may not exist on the chip on the board), then reset the target and try again; check the supply voltage.',
          { iapsr: v, what },
        );
      }
      await waitFor(clock, Math.min(EOP_MAX_STEP_MS, EOP_FIRST_STEP_MS * 2 ** Math.min(attempt, 8)));
    }
  }
}
