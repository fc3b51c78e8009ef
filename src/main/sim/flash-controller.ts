/**
 * The STM8 flash/EEPROM/option-byte controller as seen over SWIM: MASS keys, CR2/NCR2
 * programming modes, program cycles with EOP/WR_PG_DIS/HVOFF, bus stalls while a cycle
 * runs. Facts: docs/spec/stm8-target.md §2 (PM0051/PM0054 via SPL-S, SPL-L, OpenOCD stm8.c,
 * stm8flash stlinkv2.c) and the timing of docs/spec/simulator.md §4. Every behaviour the specs
 * leave open is listed in CHOICES.md.
 *
 * Time: every call carries the time `t` (ms on the probe's clock) at which the access
 * happens on the target. Calls arrive in time order; a program cycle's effect lands when
 * a later access (or `settle`) reaches its end time.
 */
import type { Part } from '#shared/catalogue/types';
import type { TargetMemory } from './target-memory';

// FLASH_CR2 bits (OpenOCD stm8.c, docs/spec/stm8-target.md §2.2).
export const CR2_OPT = 0x80;
export const CR2_WPRG = 0x40;
export const CR2_ERASE = 0x20;
export const CR2_FPRG = 0x10;
export const CR2_PRG = 0x01;
/** Mode bits the hardware clears at the end of an operation (OPT stays: it is software-owned). */
const CR2_SELF_CLEARING = CR2_WPRG | CR2_ERASE | CR2_FPRG | CR2_PRG;

// FLASH_IAPSR bits (OpenOCD stm8.c, docs/spec/stm8-target.md §2.2).
export const IAPSR_HVOFF = 0x40;
export const IAPSR_DUL = 0x08;
export const IAPSR_EOP = 0x04;
export const IAPSR_PUL = 0x02;
export const IAPSR_WR_PG_DIS = 0x01;

/** MASS keys (docs/spec/stm8-target.md §2.3): PUKR 0x56 then 0xAE; DUKR 0xAE then 0x56. */
export const PUKR_KEYS = [0x56, 0xae] as const;
export const DUKR_KEYS = [0xae, 0x56] as const;

/**
 * One write to a key register (PUKR or DUKR) that is neither unlocked nor locked out: the
 * keys in order unlock its memory; any other value locks it out until the next reset.
 */
function keyWrite(keys: readonly number[], stage: number, v: number): { stage: number; unlocked: boolean; lockedOut: boolean } {
  if (v !== keys[stage]) return { stage: 0, unlocked: false, lockedOut: true };
  if (stage + 1 === keys.length) return { stage: 0, unlocked: true, lockedOut: false };
  return { stage: stage + 1, unlocked: false, lockedOut: false };
}

export type ProgramKind = 'byte' | 'word' | 'block' | 'fast' | 'erase' | 'option';
export type ProgramCycleCounts = Record<ProgramKind, number>;

export type WriteArea = 'flash' | 'eeprom' | 'option';

/** SWIM status of an access: 0 ok, 5 bad state (docs/spec/stlink-swim.md §3.1). */
export type AccessStatus = 0 | 5;

/** What the controller needs from the chip around it. */
export interface FlashHost {
  readonly part: Part;
  readonly mem: TargetMemory;
  /** ROP as latched at the last option load. */
  ropActive(): boolean;
  /** First flash address outside the UBC area latched at the last option load. */
  ubcEnd(): number;
  /** The UBC option value latched at the last option load (mirrored in FPR/NFPR). */
  ubcValue(): number;
  /** CPU executing (not stalled, not in reset): flash mode changes then are refused (0x05). */
  cpuRunning(): boolean;
  /** Program one option byte (the target applies ROP side effects). */
  programOptionByte(addr: number, value: number): void;
  /** Power-loss fault: is this program cycle (counted from 1) the one that loses power? */
  powerFailsOnCycle(n: number): boolean;
  /** The target lost power at time t. */
  losePower(t: number): void;
  /** Deterministic garbage byte (a block left undefined). */
  garbage(): number;
  /** Duration of one program cycle of this kind (t_prog under the timing variation). */
  programTimeMs(kind: ProgramKind): number;
  /** A write reached the controller while a program cycle ran (a protocol violation). */
  writeDuringCycle(t: number, what: string, cycle: { kind: ProgramKind; start: number; end: number }): void;
}

interface Unit {
  kind: Exclude<ProgramKind, 'option'> | 'option-word';
  area: WriteArea;
  start: number;
  size: number;
  data: Uint8Array;
  seen: Uint8Array;
  filled: number;
}

interface Cycle {
  kind: ProgramKind;
  /** When the cycle started (its last byte reached the chip). */
  begin: number;
  /** Which memory array the cycle programs: decides what may still be read meanwhile. */
  area: WriteArea;
  end: number;
  /** Address range that is left undefined if the cycle is cut short. */
  start: number;
  size: number;
  apply: () => void;
}

export class FlashController {
  readonly regs: Part['flashRegs'];
  private readonly fprAddr: number | null;
  private readonly nfprAddr: number | null;
  private readonly hasHvoff: boolean;
  /** Program flash stays readable while a data-EEPROM cycle runs (see hasReadWhileWrite). */
  private readonly readWhileWrite: boolean;

  cr1 = 0;
  cr2 = 0;
  ncr2 = 0xff;
  pul = false;
  dul = false;
  private pukrStage = 0;
  private dukrStage = 0;
  /** A wrong key leaves the memory locked until the next reset (GFT via docs/spec/stm8-target.md §2.3). */
  pukrLockedOut = false;
  dukrLockedOut = false;
  private wrPgDis = false;
  /** Time EOP was set and not yet cleared by a read of IAPSR; null when clear. */
  private eopAt: number | null = null;
  private cycle: Cycle | null = null;
  private unit: Unit | null = null;
  private cyclesStarted = 0;
  readonly counts: ProgramCycleCounts = { byte: 0, word: 0, block: 0, fast: 0, erase: 0, option: 0 };

  constructor(private readonly host: FlashHost) {
    this.regs = host.part.flashRegs;
    this.fprAddr = this.regs.FPR;
    this.nfprAddr = this.regs.NFPR;
    // HVOFF is absent on STM8L101/001 and STM8TL5x (GX via docs/spec/stm8-target.md §2.2).
    this.hasHvoff = !(host.part.series === 'STM8L101' || host.part.series === 'STM8TL');
    this.readWhileWrite = hasReadWhileWrite(host.part);
  }

  /** Addresses this controller answers as registers. */
  isRegister(addr: number): boolean {
    const r = this.regs;
    return (
      addr === r.CR1 ||
      addr === r.CR2 ||
      (r.NCR2 !== null && addr === r.NCR2) ||
      addr === r.IAPSR ||
      addr === r.PUKR ||
      addr === r.DUKR ||
      addr === this.fprAddr ||
      addr === this.nfprAddr
    );
  }

  /** Chip reset: a cycle in progress is cut short (its block left undefined), registers to reset values. */
  reset(t: number): void {
    this.settle(t);
    if (this.cycle) this.spoil(this.cycle.start, this.cycle.size);
    this.cycle = null;
    this.unit = null;
    this.cr1 = 0;
    this.cr2 = 0;
    this.ncr2 = 0xff;
    this.pul = false;
    this.dul = false;
    this.pukrStage = 0;
    this.dukrStage = 0;
    this.pukrLockedOut = false;
    this.dukrLockedOut = false;
    this.wrPgDis = false;
    this.eopAt = null;
  }

  /** Power gone: whatever was being programmed is undefined; nothing else survives either. */
  powerOff(t: number): void {
    this.reset(t);
  }

  /** Land the effect of a program cycle whose end time has been reached. */
  settle(t: number): void {
    const c = this.cycle;
    if (c && t >= c.end) {
      this.cycle = null;
      c.apply();
      this.cr2 &= ~CR2_SELF_CLEARING & 0xff;
      this.ncr2 |= CR2_SELF_CLEARING;
      if (this.eopAt === null) this.eopAt = c.end;
    }
  }

  /** Is a program cycle running at time t? */
  busyAt(t: number): boolean {
    this.settle(t);
    return this.cycle !== null;
  }

  /** The running (or scheduled) cycle's kind and times, for tests; null when idle at t. */
  cycleAt(t: number): { kind: ProgramKind; begin: number; end: number } | null {
    this.settle(t);
    const c = this.cycle;
    return c ? { kind: c.kind, begin: c.begin, end: c.end } : null;
  }

  /** End of the running cycle, or t when idle. */
  cycleEnd(t: number): number {
    this.settle(t);
    return this.cycle ? this.cycle.end : t;
  }

  /**
   * The time at which a SWIM read of a byte in `array`, asked for at time t, can really
   * happen. A memory array cannot be read while it (or, without read-while-write, any array)
   * is being programmed: the bus stalls until the cycle ends (CHOICES.md "Reads during a
   * cycle"). The one exception is program flash while a data-EEPROM cycle runs on a part
   * with read-while-write (docs/spec/stm8-target.md §2.4, STF "writing EEPROM data area"; SPL-S
   * waits on HVOFF instead of EOP for data EEPROM "on RWW devices"). The option/system page
   * counts as data EEPROM and is never read-while-write. Registers and RAM never stall;
   * the target does not ask for them.
   */
  readReadyAt(array: 'flash' | 'eeprom' | 'option', t: number): number {
    this.settle(t);
    const c = this.cycle;
    if (!c) return t;
    if (array === 'flash' && c.area === 'eeprom' && this.readWhileWrite) return t;
    return c.end;
  }

  readRegister(addr: number, t: number): number {
    this.settle(t);
    const r = this.regs;
    if (addr === r.CR1) return this.cr1;
    if (addr === r.CR2) return this.cr2;
    if (r.NCR2 !== null && addr === r.NCR2) return this.ncr2;
    if (addr === this.fprAddr) return this.fpr();
    if (addr === this.nfprAddr) return ~this.fpr() & 0xff;
    if (addr === r.IAPSR) return this.readIapsr(t);
    return 0x00; // PUKR/DUKR read as 0 (GX reset value; write-only keys)
  }

  /** IAPSR as it reads at time t; the read clears EOP and WR_PG_DIS (SPL-S, docs/spec/stm8-target.md §2.3). */
  private readIapsr(t: number): number {
    let v = 0;
    if (this.hasHvoff && !this.cycle) v |= IAPSR_HVOFF;
    if (this.dul) v |= IAPSR_DUL;
    if (this.eopAt !== null && this.eopAt <= t) {
      v |= IAPSR_EOP;
      this.eopAt = null;
    }
    if (this.pul) v |= IAPSR_PUL;
    if (this.wrPgDis) {
      v |= IAPSR_WR_PG_DIS;
      this.wrPgDis = false;
    }
    return v;
  }

  /** Peek IAPSR without the read side effects (for tests and the backdoor). */
  peekIapsr(t: number): number {
    this.settle(t);
    let v = 0;
    if (this.hasHvoff && !this.cycle) v |= IAPSR_HVOFF;
    if (this.dul) v |= IAPSR_DUL;
    if (this.eopAt !== null && this.eopAt <= t) v |= IAPSR_EOP;
    if (this.pul) v |= IAPSR_PUL;
    if (this.wrPgDis) v |= IAPSR_WR_PG_DIS;
    return v;
  }

  writeRegister(addr: number, value: number, t: number): AccessStatus {
    this.settle(t);
    const r = this.regs;
    const v = value & 0xff;
    if (addr === r.CR2 || (r.NCR2 !== null && addr === r.NCR2)) {
      // stm8flash commit bdd58e6: writing the mode registers while the CPU runs gave SWIM
      // status 0x05 on parts without NRST; modelled for every part (CHOICES.md).
      if (this.host.cpuRunning()) return 5;
      this.spoilRunningCycle(t, addr === r.CR2 ? 'CR2 write' : 'NCR2 write');
      if (addr === r.CR2) this.cr2 = v;
      else this.ncr2 = v;
      return 0;
    }
    if (addr === r.CR1) {
      this.cr1 = v & 0x0f;
      return 0;
    }
    if (addr === r.IAPSR) {
      // Software can only clear PUL/DUL (re-lock); the other bits are read-only (SPL-S FLASH_Lock).
      if (!(v & IAPSR_PUL)) this.pul = false;
      if (!(v & IAPSR_DUL)) this.dul = false;
      return 0;
    }
    if (addr === r.PUKR) {
      if (!this.pul && !this.pukrLockedOut) {
        ({ stage: this.pukrStage, unlocked: this.pul, lockedOut: this.pukrLockedOut } = keyWrite(PUKR_KEYS, this.pukrStage, v));
      }
      return 0;
    }
    if (addr === r.DUKR) {
      if (!this.dul && !this.dukrLockedOut) {
        ({ stage: this.dukrStage, unlocked: this.dul, lockedOut: this.dukrLockedOut } = keyWrite(DUKR_KEYS, this.dukrStage, v));
      }
      return 0;
    }
    return 0; // FPR/NFPR are read-only images of the UBC option byte
  }

  /**
   * A byte written by SWIM into flash, EEPROM or the option window at time t. Returns the
   * time the write really completed (a write during a program cycle stalls the bus until
   * the cycle ends; docs/spec/simulator.md §4) and the SWIM status.
   */
  writeMemory(area: WriteArea, addr: number, value: number, t: number): { t: number; status: AccessStatus } {
    this.settle(t);
    if (this.cycle) {
      // A write into flash, EEPROM or the option bytes while a cycle runs: the block being
      // programmed is left undefined and the new byte is lost (worst plausible; CHOICES.md).
      // Option bytes written back to back without waiting for EOP gave status 0x05
      // (stm8flash PR #146); other memory writes answer OK, so only EOP tells.
      this.spoilRunningCycle(t, `${area} byte write at 0x${addr.toString(16)}`);
      return { t, status: area === 'option' ? 5 : 0 };
    }
    const v = value & 0xff;
    const bits = this.effectiveMode();
    const opt = (bits & CR2_OPT) !== 0;

    if (!this.writeAllowed(area, addr, opt)) {
      this.wrPgDis = true;
      return { t, status: 0 };
    }

    let kind: Unit['kind'];
    if (area === 'option') {
      if (bits & (CR2_PRG | CR2_FPRG | CR2_ERASE)) {
        // OpenOCD never block-programs option bytes (block param 0); refused here (CHOICES.md).
        this.wrPgDis = true;
        return { t, status: 0 };
      }
      kind = bits & CR2_WPRG ? 'option-word' : 'byte';
      if (kind === 'byte') {
        this.startCycle(t, 'option', 'option', addr, 1, () => this.host.programOptionByte(addr, v));
        return { t, status: 0 };
      }
    } else if (bits & CR2_PRG) kind = 'block';
    else if (bits & CR2_FPRG) kind = 'fast';
    else if (bits & CR2_ERASE) kind = 'erase';
    else if (bits & CR2_WPRG) kind = 'word';
    else kind = 'byte';

    if (kind === 'byte') {
      const loc = this.host.mem.locate(addr);
      if (!loc) return { t, status: 0 };
      this.startCycle(t, 'byte', area, addr, 1, () => {
        loc.bytes[loc.offset] = v;
      });
      return { t, status: 0 };
    }

    const size = kind === 'block' || kind === 'fast' ? this.host.part.blockSize : 4;
    const start = addr - (addr % size);
    let u = this.unit;
    if (u && (u.kind !== kind || u.area !== area || addr < u.start || addr >= u.start + u.size)) {
      // A write outside the word/block being collected is refused (CHOICES.md).
      this.wrPgDis = true;
      return { t, status: 0 };
    }
    if (!u) {
      u = { kind, area, start, size, data: new Uint8Array(size), seen: new Uint8Array(size), filled: 0 };
      this.unit = u;
    }
    const off = addr - u.start;
    u.data[off] = v;
    if (!u.seen[off]) {
      u.seen[off] = 1;
      u.filled++;
    }
    if (u.filled === u.size) {
      this.unit = null;
      this.startUnitCycle(u, t);
    }
    return { t, status: 0 };
  }

  /** The mode bits in force: on STM8S a bit counts only when NCR2 holds its complement. */
  effectiveMode(): number {
    return this.regs.style === 'stm8s' ? this.cr2 & ~this.ncr2 & 0xff : this.cr2;
  }

  private writeAllowed(area: WriteArea, addr: number, opt: boolean): boolean {
    if (area === 'option') return this.dul && opt;
    if (this.host.ropActive()) return false;
    if (area === 'eeprom') return this.dul;
    if (!this.pul) return false;
    return addr >= this.host.ubcEnd();
  }

  private startUnitCycle(u: Unit, t: number): void {
    const mem = this.host.mem;
    const data = u.data;
    if (u.kind === 'option-word') {
      this.startCycle(t, 'option', 'option', u.start, 4, () => {
        for (let i = 0; i < 4; i++) this.host.programOptionByte(u.start + i, data[i]);
      });
      return;
    }
    const loc = mem.locate(u.kind === 'erase' ? u.start - (u.start % this.host.part.blockSize) : u.start);
    if (!loc) return;
    switch (u.kind) {
      case 'word':
        this.startCycle(t, 'word', u.area, u.start, 4, () => loc.bytes.set(data, loc.offset));
        return;
      case 'block':
        this.startCycle(t, 'block', u.area, u.start, u.size, () => loc.bytes.set(data, loc.offset));
        return;
      case 'fast':
        // Fast programming skips the erase: bits can only go from 0 (erased) to 1, so a
        // block that was not blank ends up as old OR new (CHOICES.md).
        this.startCycle(t, 'fast', u.area, u.start, u.size, () => {
          for (let i = 0; i < u.size; i++) loc.bytes[loc.offset + i] |= data[i];
        });
        return;
      case 'erase': {
        const bs = this.host.part.blockSize;
        this.startCycle(t, 'erase', u.area, u.start - (u.start % bs), bs, () => loc.bytes.fill(0, loc.offset, loc.offset + bs));
        return;
      }
    }
  }

  private startCycle(t: number, kind: ProgramKind, area: WriteArea, start: number, size: number, apply: () => void): void {
    this.cyclesStarted++;
    this.counts[kind]++;
    if (this.host.powerFailsOnCycle(this.cyclesStarted)) {
      this.spoil(start, size);
      this.host.losePower(t);
      return;
    }
    const dur = this.host.programTimeMs(kind);
    this.cycle = { kind, area, begin: t, end: t + dur, start, size, apply };
  }

  /**
   * A write that reaches the controller while a cycle runs: that cycle ends as planned (EOP
   * at its end) but leaves its block undefined instead of programmed; reported to the host.
   */
  private spoilRunningCycle(t: number, what: string): void {
    const c = this.cycle;
    if (!c) return;
    this.host.writeDuringCycle(t, what, { kind: c.kind, start: c.start, end: c.end });
    c.apply = () => this.spoil(c.start, c.size);
  }

  /** Leave a cut-short cycle's bytes undefined. */
  private spoil(start: number, size: number): void {
    for (let i = 0; i < size; i++) {
      const addr = start + i;
      const loc = this.host.mem.locate(addr);
      if (!loc) continue;
      if (loc.kind === 'info') {
        if (this.host.mem.isOptionByte(addr)) loc.bytes[loc.offset] = this.host.garbage();
      } else loc.bytes[loc.offset] = this.host.garbage();
    }
  }

  /** FPR mirrors the UBC option latched at option load (STM8S only; GX, SPL-S). */
  private fpr(): number {
    return this.host.ubcValue() & 0xff;
  }
}

/**
 * Read-while-write: on medium- and high-density STM8S/STM8AF/STM8L/STM8AL the data EEPROM
 * is a separate array and program flash can still be read while it is programmed
 * (docs/spec/stm8-target.md §2.4: "Data-EEPROM writes on medium/high-density parts are
 * read-while-write", STF "writing EEPROM data area"; SPL-S/SPL-L wait on HVOFF for data
 * EEPROM on RWW devices). Low density, STM8L101/001, STM8TL5x (data area inside flash)
 * and the families no source speaks for (STLUX, STNRG, STWBC, an undensitied "STM8S"
 * entry) are taken to have none: the harder case (CHOICES.md).
 */
export function hasReadWhileWrite(part: Part): boolean {
  const families: readonly Part['series'][] = ['STM8S', 'STM8AF', 'STM8L', 'STM8AL'];
  if (!families.includes(part.series) || part.dataInFlash || !part.eeprom) return false;
  return /\b(medium|high)/i.test(part.family);
}
