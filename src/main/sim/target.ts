/**
 * The virtual STM8 behind the SWIM wire: power, NRST, SWIM link state and SWIM_CSR, the
 * debug module and CPU stall, registers, memories with ROP/UBC, option loading at reset,
 * and the flash controller. Facts: docs/spec/stm8-target.md (§1 memory map, §2 flash controller,
 * §3 option bytes and ROP, §4 SWIM/DM registers) and docs/spec/stlink-swim.md §5. Choices where the
 * specs leave room are in CHOICES.md.
 *
 * Every access carries `t`, the time on the probe's clock at which it reaches the chip.
 */
import { isRopActive, ubcProtectedBytes } from '#shared/catalogue/index';
import type { OptionByte, Part } from '#shared/catalogue/types';
import { Xorshift32 } from '#shared/pseudo-random';
import { FlashController, type AccessStatus, type ProgramCycleCounts } from './flash-controller';
import { INFO_START, TargetMemory } from './target-memory';
import { T_HSIT_AFTER_RESET_MS } from './timing';
import type { ProgramKind } from './flash-controller';

// SWIM_CSR (0x7F80) bits (OpenOCD stm8.c; docs/spec/stlink-swim.md §5.1).
export const SWIM_CSR = 0x7f80;
export const CSR_SAFE_MASK = 0x80;
export const CSR_NO_ACCESS = 0x40;
export const CSR_SWIM_DM = 0x20;
export const CSR_HS = 0x10;
export const CSR_OSCOFF = 0x08;
export const CSR_SWIM_RST = 0x04;
export const CSR_HSIT = 0x02;
export const CSR_PRI = 0x01;

// Debug module (OpenOCD stm8.c; docs/spec/stm8-target.md §4.2).
export const DM_CPU_REGS = 0x7f00;
export const DM_CPU_REGS_LEN = 11;
export const DM_FIRST = 0x7f90;
export const DM_LAST = 0x7f9a;
export const DM_CSR1 = 0x7f98;
export const DM_CSR2 = 0x7f99;
export const CSR1_RST = 0x10;
export const CSR2_SWBRK = 0x20;
export const CSR2_STALL = 0x08;
export const CSR2_FLUSH = 0x01;

/** CFG_GCR bit 0 SWD: SWIM disabled, pin used as GPIO (docs/spec/stm8-target.md §4.3). */
export const CFG_GCR = 0x7f60;
export const GCR_SWD = 0x01;

/** RST_SR flags (SPL-S): SWIMF = reset caused by SWIM, EMCF = EMC reset (used for a complement mismatch). */
export const RST_SWIMF = 0x08;
export const RST_EMCF = 0x10;

/** What reads of ROP-protected flash/EEPROM return (0x71 pattern seen in stm8flash issue #35; CHOICES.md). */
export const ROP_READ_VALUE = 0x71;

export interface TargetOptions {
  part: Part;
  serial: string;
  /** Called when the power-loss-in-program fault has cut the power. */
  onProgramPowerLoss?: () => void;
  /** t_prog of one cycle (default: the typical figure of timing.ts). */
  programTimeMs?: (kind: ProgramKind) => number;
  /** A write reached the flash controller during a program cycle (see FlashHost.writeDuringCycle). */
  onWriteDuringCycle?: (t: number, what: string, cycle: { kind: ProgramKind; start: number; end: number }) => void;
}

/** Clock sources the application firmware can switch the CPU to (RM0016 §9, RM0031 §9). */
export type ClockSource = 'hsi' | 'lsi' | 'hse' | 'lse';

/** What a hot-attached firmware left in the clock controller: the source and CLK_CKDIVR. */
export interface FirmwareClock {
  source: ClockSource;
  ckdivr: number;
}

/**
 * Oscillator frequencies (Hz). HSI 16 MHz on every STM8; LSI 128 kHz on STM8S/AF (RM0016),
 * 38 kHz on STM8L/AL/TL (RM0031); LSE 32.768 kHz. HSE depends on the board: taken as
 * 8 MHz, a common crystal.
 */
const OSC_HZ = { hsi: 16_000_000, hse: 8_000_000, lse: 32_768 } as const;
const LSI_HZ = { stm8s: 128_000, stm8l: 38_000 } as const;

/** CLK_CMSR (STM8S, 0x50C3) and CLK_SCSR (STM8L, 0x50C7) codes of each source (RM0016, RM0031). */
const CMSR_CODE: Record<ClockSource, number> = { hsi: 0xe1, lsi: 0xd2, hse: 0xb4, lse: 0x00 };
const SCSR_CODE: Record<ClockSource, number> = { hsi: 0x01, lsi: 0x02, hse: 0x04, lse: 0x08 };
const CLK_CMSR_S = 0x50c3;
const CLK_SCSR_L = 0x50c7;

/** FNV-1a over a string: seeds the per-chip PRNG and the unique ID. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** 12-byte unique ID derived from the probe serial: X (2), Y (2), wafer (1), lot (7 ASCII) as on an STM8S103 (HAD dump). */
export function uniqueIdFor(serial: string): Uint8Array {
  const rng = new Xorshift32(hashString('uid:' + serial));
  const uid = new Uint8Array(12);
  for (let i = 0; i < 5; i++) uid[i] = rng.byte();
  uid[5] = 0x56; // 'V' for virtual
  for (let i = 6; i < 12; i++) uid[i] = 0x30 + (rng.next() % 10);
  return uid;
}

export class Stm8Target {
  readonly part: Part;
  readonly mem: TargetMemory;
  readonly flash: FlashController;
  private readonly rng: Xorshift32;
  private readonly regs5 = new Uint8Array(0x800); // 0x5000..0x57FF peripheral registers
  private readonly regs7 = new Uint8Array(0x100); // 0x7F00..0x7FFF CPU/ITC/SWIM/DM registers
  private readonly rstSrAddr: number;

  // Wires and faults.
  powered = true;
  nrstDriven = false;
  noNrstWire = false;
  noSwimWire = false;
  /** The firmware disables SWIM (CFG_GCR.SWD) whenever it runs. */
  firmwareDisablesSwim = false;
  /** A hot-attach scenario: the firmware switches to this clock whenever it runs; null = it leaves the reset clock. */
  firmwareClock: FirmwareClock | null = null;
  /** Power-loss fault: which program cycle (counted from 1 after the fault was set) fails, or null. */
  powerLossOnCycle: number | null = null;
  private powerLossBase = 0;

  // Chip state.
  private inReset = false;
  swimActive = false;
  private csr = 0;
  /** Time HSIT becomes 1, or null while it is 0 (in reset, or stuck after a ROP removal). */
  private hsitAt: number | null = -1;
  private ropLatched = false;
  private ubcEndLatched: number;
  private ubcValueLatched = 0;
  /** STM8L: the first ROP write after the last option load already launched the global erase. */
  private lRopEraseDone = false;
  /** Flash/EEPROM mass-erased at the last option load (ROP removal). */
  lastLoadMassErased = false;

  constructor(opts: TargetOptions) {
    this.part = opts.part;
    this.mem = new TargetMemory(opts.part);
    this.rng = new Xorshift32(hashString('chip:' + opts.serial));
    this.rstSrAddr = opts.part.flashRegs.style === 'stm8s' ? 0x50b3 : 0x50b1;
    this.ubcEndLatched = opts.part.flash.start;
    this.flash = new FlashController({
      part: this.part,
      mem: this.mem,
      ropActive: () => this.ropLatched,
      ubcEnd: () => this.ubcEndLatched,
      ubcValue: () => this.ubcValueLatched,
      cpuRunning: () => this.cpuRunning(),
      programOptionByte: (a, v) => this.programOptionByte(a, v),
      powerFailsOnCycle: (n) => this.powerLossOnCycle !== null && n - this.powerLossBase === this.powerLossOnCycle,
      losePower: (t) => {
        this.powerOff(t);
        opts.onProgramPowerLoss?.();
      },
      garbage: () => this.rng.byte(),
      programTimeMs: opts.programTimeMs ?? ((kind) => (kind === 'fast' || kind === 'erase' ? 3 : 6)),
      writeDuringCycle: (t, what, cycle) => opts.onWriteDuringCycle?.(t, what, cycle),
    });
    this.mem.loadFactoryOptions();
    if (opts.part.uidAddress !== null) this.mem.info.set(uniqueIdFor(opts.serial), opts.part.uidAddress - INFO_START);
    this.resetRegisters();
    this.loadOptions();
    this.regs7[DM_CSR2 - 0x7f00] = 0; // running since power-up
  }

  // ---------------------------------------------------------------- state queries

  cpuRunning(): boolean {
    return this.powered && !this.inReset && !(this.regs7[DM_CSR2 - 0x7f00] & CSR2_STALL);
  }
  isHalted(): boolean {
    return (this.regs7[DM_CSR2 - 0x7f00] & CSR2_STALL) !== 0;
  }
  isInReset(): boolean {
    return this.inReset;
  }
  isRopActive(): boolean {
    return this.ropLatched;
  }
  ubcEnd(): number {
    return this.ubcEndLatched;
  }
  hsit(t: number): boolean {
    return this.hsitAt !== null && t >= this.hsitAt;
  }
  highSpeed(): boolean {
    return (this.csr & CSR_HS) !== 0;
  }
  swimDisabled(): boolean {
    return (this.regs7[CFG_GCR - 0x7f00] & GCR_SWD) !== 0;
  }
  programCycles(): ProgramCycleCounts {
    return { ...this.flash.counts };
  }

  /** Can the SWIM link carry a frame at time t, with the probe driving `probeHigh` speed? */
  linkOk(probeHigh: boolean): boolean {
    return this.powered && !this.noSwimWire && this.swimActive && !this.swimDisabled() && probeHigh === this.highSpeed();
  }

  // ---------------------------------------------------------------- wire events

  /** ENTER_SEQ reaching the chip at time t. Needs power and the wire; needs SWD = 0 (i.e. reset when the firmware disables SWIM). */
  enterSwim(t: number): boolean {
    this.flash.settle(t);
    if (!this.powered || this.noSwimWire || this.swimDisabled()) return false;
    this.swimActive = true;
    this.csr &= ~CSR_HS; // entry leaves the link at low speed (UM0470; docs/spec/stm8-target.md §6.2)
    return true;
  }

  /** SWIM communication reset: back to low speed (docs/spec/stm8-target.md §6.1). */
  commReset(): boolean {
    if (!this.powered || this.noSwimWire || !this.swimActive || this.swimDisabled()) return false;
    this.csr &= ~CSR_HS;
    return true;
  }

  /** The probe drives NRST low (true) or releases it (false) at time t. */
  setNrst(low: boolean, t: number): void {
    this.nrstDriven = low;
    if (this.noNrstWire || !this.powered) return;
    if (low && !this.inReset) this.enterReset(t, 0);
    else if (!low && this.inReset) this.leaveReset(t);
  }

  /** The NRST wire was (dis)connected: the chip sees the probe's drive only when connected. */
  setNoNrstWire(missing: boolean, t: number): void {
    this.noNrstWire = missing;
    if (!missing) this.setNrst(this.nrstDriven, t);
  }

  /** SWIM SRST (GEN_RST) at time t: resets the chip only when SWIM_CSR.SWIM_RST is set (CHOICES.md). */
  swimSystemReset(t: number, pulseMs: number): void {
    if (!(this.csr & CSR_SWIM_RST)) return;
    this.enterReset(t, RST_SWIMF);
    if (!(this.nrstDriven && !this.noNrstWire)) this.leaveReset(t + pulseMs);
  }

  powerOff(t: number): void {
    if (!this.powered) return;
    this.flash.powerOff(t);
    this.powered = false;
    this.swimActive = false;
    this.inReset = false;
    this.csr = 0;
    this.hsitAt = null;
  }

  /** Power comes (back) at time t: RAM content is undefined, a full power-on reset follows. */
  powerOn(t: number): void {
    if (this.powered) return;
    this.powered = true;
    for (let i = 0; i < this.mem.ram.length; i++) this.mem.ram[i] = this.rng.byte();
    this.enterReset(t, 0);
    if (!(this.nrstDriven && !this.noNrstWire)) this.leaveReset(t);
  }

  private enterReset(t: number, cause: number): void {
    this.flash.reset(t);
    const keepCsr = this.csr & ~CSR_HSIT;
    const dm = this.regs7.slice(DM_FIRST - 0x7f00, DM_LAST - 0x7f00 + 1);
    this.resetRegisters();
    // SWIM_CSR and the debug module survive a system reset: tools write SWIM_CSR under
    // reset and keep talking after it (docs/spec/stlink-swim.md §3.3 C, §3.4; CHOICES.md).
    this.csr = keepCsr;
    this.regs7.set(dm, DM_FIRST - 0x7f00);
    this.regs5[this.rstSrAddr - 0x5000] |= cause;
    this.inReset = true;
    this.hsitAt = null;
  }

  private leaveReset(t: number): void {
    this.inReset = false;
    const erased = this.loadOptions();
    // HSIT is set when option loading has finished (UM0470 p.11), 0.1 ms after release
    // (docs/spec/simulator.md §4). After a ROP-removal mass erase it stays 0 until the next reset
    // (stm8flash PR #146; CHOICES.md).
    this.hsitAt = erased ? null : t + T_HSIT_AFTER_RESET_MS;
    const csr1 = DM_CSR1 - 0x7f00;
    const csr2 = DM_CSR2 - 0x7f00;
    if (this.swimActive) {
      // With SWIM active the core comes out of reset stalled ("reset halt": OpenOCD
      // stm8_reset_deassert lets poll see STALL; docs/spec/stlink-swim.md §3.4).
      this.regs7[csr1] |= CSR1_RST;
      this.regs7[csr2] |= CSR2_STALL;
    } else {
      this.regs7[csr1] &= ~CSR1_RST;
      this.regs7[csr2] &= ~CSR2_STALL;
      this.firmwareRuns();
    }
  }

  /**
   * The application starts executing: with the `swim-disabled` fault it sets CFG_GCR.SWD at
   * once; with a firmware clock it switches the CPU clock.
   */
  private firmwareRuns(): void {
    if (this.firmwareDisablesSwim) this.regs7[CFG_GCR - 0x7f00] |= GCR_SWD;
    if (this.firmwareClock) this.applyClock(this.firmwareClock);
  }

  private applyClock(c: FirmwareClock): void {
    const fr = this.part.flashRegs;
    if (fr.style === 'stm8s') this.regs5[CLK_CMSR_S - 0x5000] = CMSR_CODE[c.source];
    else this.regs5[CLK_SCSR_L - 0x5000] = SCSR_CODE[c.source];
    this.regs5[fr.CLK_CKDIVR - 0x5000] = c.ckdivr & 0xff;
  }

  /** Backdoor: the firmware switches to `clock` whenever it runs (now, if it is running). */
  setFirmwareClock(clock: FirmwareClock | null): void {
    this.firmwareClock = clock;
    if (clock && this.cpuRunning()) this.applyClock(clock);
  }

  /**
   * The CPU clock now, from the clock controller's registers: STM8S f_CPU = source (HSI
   * divided by CKDIVR.HSIDIV, bits 4:3) divided by CKDIVR.CPUDIV (bits 2:0) (RM0016 §9);
   * STM8L f_SYSCLK = source / 2^CKDIVR (bits 2:0) (RM0031 §9). 2 MHz after reset on both.
   */
  cpuClockHz(): number {
    const fr = this.part.flashRegs;
    const ckdivr = this.regs5[fr.CLK_CKDIVR - 0x5000];
    if (fr.style === 'stm8s') {
      const cmsr = this.regs5[CLK_CMSR_S - 0x5000];
      const master =
        cmsr === CMSR_CODE.lsi ? LSI_HZ.stm8s : cmsr === CMSR_CODE.hse ? OSC_HZ.hse : OSC_HZ.hsi >> ((ckdivr >> 3) & 3);
      return master / (1 << (ckdivr & 7));
    }
    const scsr = this.regs5[CLK_SCSR_L - 0x5000];
    const src = scsr === SCSR_CODE.lsi ? LSI_HZ.stm8l : scsr === SCSR_CODE.hse ? OSC_HZ.hse : scsr === SCSR_CODE.lse ? OSC_HZ.lse : OSC_HZ.hsi;
    return src / (1 << (ckdivr & 7));
  }

  // ---------------------------------------------------------------- option bytes, ROP, UBC

  private isProtectedValue(v: number): boolean {
    return isRopActive(this.part, v);
  }

  /** Bytes of flash a UBC value protects; a code the datasheet calls reserved protects all of it (CHOICES.md). */
  private ubcBytes(value: number): number {
    return ubcProtectedBytes(this.part, value) ?? this.part.flash.size;
  }

  /** Option load (reset release, power-up): latch ROP and UBC; a ROP removal mass-erases. Returns true when it erased. */
  private loadOptions(): boolean {
    const rop = this.part.rop;
    const ropNow = this.isProtectedValue(this.mem.info[rop.address - INFO_START]);
    let erased = false;
    if (this.ropLatched && !ropNow && rop.style !== 'stm8l') {
      // STM8S: a ROP value other than 0xAA, loaded while protection was on, mass-erases program
      // flash, data EEPROM and UBC (GFT; stm8flash issue #71; docs/spec/stm8-target.md §3.5).
      this.massErase();
      erased = true;
    }
    this.ropLatched = ropNow;
    this.lRopEraseDone = false;
    this.lastLoadMassErased = erased;
    const ubc = this.ubcOptionByte();
    this.ubcValueLatched = ubc ? this.mem.info[ubc.address - INFO_START] : 0;
    this.ubcEndLatched = this.part.flash.start + this.ubcBytes(this.ubcValueLatched);
    if (this.complementMismatch() !== null) this.regs5[this.rstSrAddr - 0x5000] |= RST_EMCF;
    return erased;
  }

  /** One option byte programmed (end of its cycle). STM8L ROP removal needs two writes (PM0054 via stm8flash #172). */
  programOptionByte(addr: number, value: number): void {
    const rop = this.part.rop;
    if (addr === rop.address && this.ropLatched && rop.style === 'stm8l' && !this.lRopEraseDone) {
      // First write while protected: global erase including the option bytes; ROP keeps its
      // protecting value until the second write (CHOICES.md).
      const ropByte = this.mem.info[rop.address - INFO_START];
      this.massErase();
      this.mem.loadFactoryOptions();
      this.mem.info[rop.address - INFO_START] = ropByte;
      this.lRopEraseDone = true;
      return;
    }
    this.mem.info[addr - INFO_START] = value & 0xff;
  }

  private massErase(): void {
    this.mem.flash.fill(0);
    this.mem.eeprom?.fill(0);
  }

  ubcOptionByte(): OptionByte | undefined {
    return this.part.optionBytes.find((o) => /\bUBC\b|user boot/i.test(`${o.name} ${o.description}`));
  }

  /** The first option byte whose complement does not match, or null. */
  complementMismatch(): OptionByte | null {
    for (const o of this.part.optionBytes) {
      if (o.complementAddress === null) continue;
      const a = this.mem.info[o.address - INFO_START];
      const b = this.mem.info[o.complementAddress - INFO_START];
      if ((a ^ b) !== 0xff) return o;
    }
    return null;
  }

  /** Faults: make ROP active now, as if it had been set and the chip reset since. */
  forceRop(): void {
    const rop = this.part.rop;
    this.mem.info[rop.address - INFO_START] = rop.protectValue;
    this.ropLatched = true;
    this.lRopEraseDone = false;
  }

  /** Faults: set the UBC option to `pages` (with its complement) and latch it. */
  forceUbc(pages: number): void {
    const ubc = this.ubcOptionByte();
    if (!ubc) return;
    this.mem.info[ubc.address - INFO_START] = pages & 0xff;
    if (ubc.complementAddress !== null) this.mem.info[ubc.complementAddress - INFO_START] = ~pages & 0xff;
    this.ubcValueLatched = pages & 0xff;
    this.ubcEndLatched = this.part.flash.start + this.ubcBytes(this.ubcValueLatched);
  }

  /** Faults: the option pair this fault breaks (OPT3/NOPT3 where it exists, else the last non-UBC pair). */
  complementPairForFault(): OptionByte | undefined {
    const pairs = this.part.optionBytes.filter((o) => o.complementAddress !== null);
    const ubc = this.ubcOptionByte();
    return pairs.find((o) => o.name.toUpperCase() === 'OPT3') ?? [...pairs].reverse().find((o) => o !== ubc) ?? pairs[0];
  }

  /** State file: ROP as latched before the power went; the power-up option load follows (maybe a removal). */
  restoreRopLatch(active: boolean): void {
    this.ropLatched = active;
    this.enterReset(0, 0);
    this.leaveReset(0);
    this.hsitAt = this.lastLoadMassErased ? null : -1;
  }

  /** Restart the program-cycle count for the power-loss fault. */
  armPowerLoss(onCycle: number | null): void {
    this.powerLossOnCycle = onCycle;
    this.powerLossBase = Object.values(this.flash.counts).reduce((a, b) => a + b, 0);
  }

  /** Faults: the firmware disables SWIM (now, if it is running). */
  setFirmwareDisablesSwim(on: boolean): void {
    this.firmwareDisablesSwim = on;
    if (on && this.cpuRunning()) this.firmwareRuns();
    if (!on) this.regs7[CFG_GCR - 0x7f00] &= ~GCR_SWD;
  }

  // ---------------------------------------------------------------- registers

  private resetRegisters(): void {
    this.regs5.fill(0);
    this.regs7.fill(0);
    const fr = this.part.flashRegs;
    this.regs5[fr.CLK_CKDIVR - 0x5000] = fr.style === 'stm8s' ? 0x18 : 0x03; // GX reset values (docs/spec/stm8-target.md §4.4)
    if (fr.style === 'stm8s') this.regs5[0x50c3 - 0x5000] = 0xe1; // CLK_CMSR: HSI
    else this.regs5[0x50c7 - 0x5000] = 0x01; // CLK_SCSR: HSI
    // CPU: PC = 0x8000 (reset vector), SP = top of RAM, CC = 0x28 (GX).
    const sp = this.part.ram.start + this.part.ram.size - 1;
    this.regs7.set([0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, (sp >> 8) & 0xff, sp & 0xff, 0x28], 0);
    this.regs7.fill(0xff, 0x70, 0x78); // ITC_SPRx
    this.regs7.fill(0xff, DM_FIRST - 0x7f00, DM_FIRST - 0x7f00 + 6); // DM_BKxRE/H/L
    this.regs7[DM_CSR1 - 0x7f00] = CSR1_RST;
    this.regs7[0x7f9a - 0x7f00] = 0xff; // DM_ENFCTR
  }

  /**
   * When a ROTF byte of `addr`, due at time t, can really be read: flash, data EEPROM and the
   * option/system page stall while a program cycle runs (read-while-write aside); registers,
   * RAM, boot ROM and unmapped addresses answer at once (CHOICES.md "Reads during a cycle").
   */
  readReadyAt(addr: number, t: number): number {
    if (addr === SWIM_CSR || this.flash.isRegister(addr)) return t;
    if ((addr >= 0x5000 && addr < 0x5800) || (addr >= 0x7f00 && addr < 0x8000)) return t;
    const loc = this.mem.locate(addr);
    if (!loc) return t;
    if (loc.kind === 'flash' || loc.kind === 'eeprom') return this.flash.readReadyAt(loc.kind, t);
    if (loc.kind === 'info') return this.flash.readReadyAt('option', t);
    return t;
  }

  /** A byte read over SWIM (ROTF) at time t. Unmapped addresses read 0x00 (CHOICES.md). */
  readByte(addr: number, t: number): number {
    if (addr === SWIM_CSR) return (this.csr & ~CSR_HSIT) | (this.hsit(t) ? CSR_HSIT : 0);
    if (this.flash.isRegister(addr)) return this.flash.readRegister(addr, t);
    if (addr >= 0x5000 && addr < 0x5800) return this.regs5[addr - 0x5000];
    if (addr >= 0x7f00 && addr < 0x8000) return this.regs7[addr - 0x7f00];
    this.flash.settle(t);
    const loc = this.mem.locate(addr);
    if (!loc) return 0x00;
    if ((loc.kind === 'flash' || loc.kind === 'eeprom') && this.ropLatched) return ROP_READ_VALUE;
    return loc.bytes[loc.offset];
  }

  /** A byte written over SWIM (WOTF) at time t; returns when it really completed and the status. */
  writeByte(addr: number, value: number, t: number): { t: number; status: AccessStatus } {
    const v = value & 0xff;
    if (addr === SWIM_CSR) {
      let w = v & ~CSR_HSIT;
      // HS must not be set before HSIT = 1 (UM0470 p.11): the bit is ignored then (CHOICES.md).
      if (w & CSR_HS && !this.hsit(t)) w &= ~CSR_HS;
      this.csr = w;
      return { t, status: 0 };
    }
    if (this.flash.isRegister(addr)) return { t, status: this.flash.writeRegister(addr, v, t) };
    if (addr === this.rstSrAddr) {
      this.regs5[addr - 0x5000] &= ~v; // flags clear by writing 1
      return { t, status: 0 };
    }
    if (addr >= 0x5000 && addr < 0x5800) {
      this.regs5[addr - 0x5000] = v;
      return { t, status: 0 };
    }
    if (addr >= 0x7f00 && addr < 0x8000) return { t, status: this.writeReg7(addr, v) };
    const loc = this.mem.locate(addr);
    if (!loc) return { t, status: 0 };
    switch (loc.kind) {
      case 'ram':
        loc.bytes[loc.offset] = v;
        return { t, status: 0 };
      case 'flash':
      case 'eeprom':
        return this.flash.writeMemory(loc.kind, addr, v, t);
      case 'info':
        if (this.mem.isOptionByte(addr)) return this.flash.writeMemory('option', addr, v, t);
        return { t, status: 0 };
      default:
        return { t, status: 0 };
    }
  }

  private writeReg7(addr: number, v: number): AccessStatus {
    const off = addr - 0x7f00;
    if (addr < DM_CPU_REGS + DM_CPU_REGS_LEN) {
      // CPU registers are writable through the DM only while the core is stalled (GX; CHOICES.md).
      if (!this.cpuRunning()) this.regs7[off] = v;
      return 0;
    }
    if (addr === DM_CSR2) {
      const wasStalled = this.isHalted();
      this.regs7[off] = v & ~CSR2_FLUSH; // FLUSH acts once and reads back 0
      if (wasStalled && !(v & CSR2_STALL) && this.cpuRunning()) {
        this.regs7[DM_CSR1 - 0x7f00] &= ~CSR1_RST;
        this.firmwareRuns();
      }
      return 0;
    }
    this.regs7[off] = v;
    return 0;
  }

  // ---------------------------------------------------------------- backdoor

  /** True contents, bypassing ROP and registers' side effects (for tests and state files). */
  peek(addr: number, len: number, t: number): Uint8Array {
    this.flash.settle(t);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const a = addr + i;
      const loc = this.mem.locate(a);
      if (loc) out[i] = loc.bytes[loc.offset];
      else if (a === SWIM_CSR) out[i] = (this.csr & ~CSR_HSIT) | (this.hsit(t) ? CSR_HSIT : 0);
      else if (this.flash.isRegister(a) && a === this.part.flashRegs.IAPSR) out[i] = this.flash.peekIapsr(t);
      else if (this.flash.isRegister(a)) out[i] = this.flash.readRegister(a, t);
      else if (a >= 0x5000 && a < 0x5800) out[i] = this.regs5[a - 0x5000];
      else if (a >= 0x7f00 && a < 0x8000) out[i] = this.regs7[a - 0x7f00];
    }
    return out;
  }

  /** Write true contents directly (memories only; option window included), no timing, no protection. */
  poke(addr: number, bytes: Uint8Array | number[], t: number): void {
    this.flash.settle(t);
    for (let i = 0; i < bytes.length; i++) {
      const loc = this.mem.locate(addr + i);
      if (!loc) throw new RangeError(`poke: address 0x${(addr + i).toString(16)} is not a memory of ${this.part.name}`);
      loc.bytes[loc.offset] = bytes[i] & 0xff;
    }
  }

  /** Re-latch option bytes as a reset would (after poking them). */
  reloadOptions(t: number): void {
    this.enterReset(t, 0);
    if (!(this.nrstDriven && !this.noNrstWire)) this.leaveReset(t);
  }

  /** Fill memory with a deterministic pseudo-random "application" (used by the rop fault). */
  fillWithApplication(flashBytes: number, eepromBytes: number): void {
    const rng = new Xorshift32(hashString('app:' + this.part.name));
    const n = Math.min(flashBytes, this.mem.flash.length);
    for (let i = 0; i < n; i++) this.mem.flash[i] = rng.byte();
    if (this.mem.eeprom) {
      const m = Math.min(eepromBytes, this.mem.eeprom.length);
      for (let i = 0; i < m; i++) this.mem.eeprom[i] = rng.byte();
    }
  }
}
