/**
 * Layer 3: a session on one STM8 target through an opened probe. Connect (entry with NRST
 * held low as stm8flash does, SWIM_CSR, reset release, HSIT wait, high-speed switch with a
 * low-speed fallback), halt/resume/reset, memory access, and the flash controller.
 * It knows the part from the catalogue; it does not validate user ranges (jobs do).
 */
import { AppError } from '#shared/errors';
import type { Part } from '#shared/catalogue/types';
import type { Clock } from '../clock';
import { NO_POWER_VOLTAGE } from '../stlink/constants';
import type { StlinkProbe, TargetVoltage } from '../stlink/probe';
import type { StlinkMode } from '../stlink/constants';
import type { SwimSpeed } from '../stlink/swim-timing';
import {
  AFTER_RESET_MS,
  CPU_REGS,
  CPU_REGS_LEN,
  CSR,
  CSR_ENTRY,
  DM_CSR1,
  DM_CSR2,
  DM_CSR2_BITS,
  HSIT_POLLS,
  HSIT_POLL_INTERVAL_MS,
  SWIM_CSR,
} from './registers';
import { FlashController } from './flash';
import { waitFor } from '../stlink/wait';

export interface SwimConnectOptions {
  /**
   * Stall the CPU while NRST is still held low, so not one instruction of the firmware runs
   * before the engine owns the chip. For firmware that disables SWIM (CFG_GCR.SWD) or reuses
   * the SWIM pin early.
   */
  connectUnderReset?: boolean;
  /** Switch to high speed when HSIT comes (default true). */
  highSpeed?: boolean;
  /**
   * Attach without touching NRST (hot attach: the firmware is not reset). Default false:
   * NRST is held low during the entry sequence, as stm8flash always does.
   */
  noReset?: boolean;
  /** Ask the probe for the target voltage first (default true). */
  measureVoltage?: boolean;
  /** Entry attempts before giving up (default 2). */
  entryAttempts?: number;
}

/** What happened during connect — the low-level steps diagnostics shows. */
export interface ConnectReport {
  /** Mode the probe was in before (it is left first). */
  probeModeBefore: StlinkMode;
  voltage: TargetVoltage;
  /** NRST was held low during entry. */
  resetHeld: boolean;
  underReset: boolean;
  /** Entry attempts made (1 when the first worked). */
  entryAttempts: number;
  /** SWIM_CSR as read after reset release (last read). */
  swimCsr: number;
  /** HSIT was seen set (option-byte loading finished). */
  hsitSeen: boolean;
  /** How many SWIM_CSR reads it took. */
  hsitPolls: number;
  /** Speed in use after connect. */
  speed: SwimSpeed;
  /** Why the link stayed at low speed, when high speed was asked. */
  lowSpeedReason?: string;
  /** READBUFSIZE answer. */
  readBufSize: number;
  /** DM_CSR2 after halting. */
  dmCsr2: number;
}

export interface CpuRegisters {
  a: number;
  pc: number;
  x: number;
  y: number;
  sp: number;
  cc: number;
}

/** Identification reads for diagnostics: what the chip answers at family-specific places. */
export interface ChipSignature {
  /** 12 bytes at the part's UID address, or null when the part has none documented. */
  uid: Uint8Array | null;
  /** First 16 bytes of the option area (STM8S factory: 00 00 FF 00 FF …; STM8L: AA …). */
  optionHead: Uint8Array;
  /** IAPSR read at the part's address. */
  iapsr: number;
}

export class Stm8Session {
  readonly flash: FlashController;
  private _report: ConnectReport | null = null;
  private halted = false;
  private attached = false;
  /** CLK_CKDIVR was set to 0x00 since the last attach or reset (see ensureFullSpeedClock). */
  private fullSpeedClock = false;
  /** Last value written to SWIM_CSR (kept so resets keep HS/DM bits). */
  private csr = CSR_ENTRY;

  private constructor(
    readonly probe: StlinkProbe,
    readonly part: Part,
    private readonly options: Required<SwimConnectOptions>,
  ) {
    this.flash = new FlashController(this);
  }

  /**
   * Connect to the target: leave the probe's current mode, enter SWIM with NRST held low,
   * write SWIM_CSR, release reset, wait for HSIT, switch to high speed (or stay at low speed
   * when HSIT never comes), and stall the CPU. A silent target gives 'target-not-powered'
   * (voltage measured ≈ 0) or 'target-no-response'.
   */
  static async connect(probe: StlinkProbe, part: Part, opts: SwimConnectOptions = {}): Promise<Stm8Session> {
    const o: Required<SwimConnectOptions> = {
      connectUnderReset: opts.connectUnderReset ?? false,
      highSpeed: opts.highSpeed ?? true,
      noReset: opts.noReset ?? false,
      measureVoltage: opts.measureVoltage ?? true,
      entryAttempts: Math.max(1, opts.entryAttempts ?? 2),
    };
    const s = new Stm8Session(probe, part, o);
    await s.attach();
    return s;
  }

  get clock(): Clock {
    return this.probe.clock;
  }

  get report(): ConnectReport {
    if (!this._report) throw new AppError('internal', 'not connected');
    return this._report;
  }

  get speed(): SwimSpeed {
    return this.probe.swimSpeed;
  }

  get isHalted(): boolean {
    return this.halted;
  }

  get isAttached(): boolean {
    return this.attached;
  }

  // ---------------------------------------------------------------- entry

  /**
   * The full entry sequence (stm8flash `stlink2_open`). Also used to reconnect after a reset;
   * `noReset` then re-enters without pulsing NRST again.
   */
  async attach(override: { noReset?: boolean } = {}): Promise<ConnectReport> {
    const p = this.probe;
    const o = { ...this.options, ...override };
    this.fullSpeedClock = false;
    const probeModeBefore = await p.leaveMode();
    const voltage: TargetVoltage = o.measureVoltage ? await p.targetVoltage() : { volts: null, note: 'not asked' };
    await p.swimEnter();
    const readBufSize = await p.swimReadBufSize();
    const resetHeld = !o.noReset;
    let attempts = 0;
    for (;;) {
      attempts++;
      try {
        if (resetHeld) await p.swimAssertReset();
        await p.swimEnterSeq();
        await this.writeCsr(CSR_ENTRY);
        break;
      } catch (e) {
        if (resetHeld) await p.swimDeassertReset().catch(() => undefined);
        if (!(e instanceof AppError) || !isLinkError(e.code) || attempts >= o.entryAttempts) {
          throw this.silentTargetError(e, voltage, attempts);
        }
        // Clear the sticky failed state with a line resync before trying again.
        await p.swimResync().catch(() => undefined);
      }
    }
    if (o.connectUnderReset && resetHeld) {
      // Stall before the firmware gets to run one instruction.
      await this.writeByte(DM_CSR2, DM_CSR2_BITS.STALL);
    }
    if (resetHeld) {
      await p.swimDeassertReset();
      await waitFor(this.clock, AFTER_RESET_MS);
    }
    this.attached = true;
    const hs = await this.waitHsit();
    let lowSpeedReason: string | undefined;
    if (o.highSpeed) {
      if (!hs.seen) lowSpeedReason = 'HSIT never set after reset release (seen after a ROP removal or mass erase, stm8flash PR #146)';
      else lowSpeedReason = await this.switchHighSpeed(hs.csr);
    }
    const dmCsr2 = await this.halt();
    this._report = {
      probeModeBefore,
      voltage,
      resetHeld,
      underReset: o.connectUnderReset,
      entryAttempts: attempts,
      swimCsr: hs.csr,
      hsitSeen: hs.seen,
      hsitPolls: hs.polls,
      speed: p.swimSpeed,
      ...(lowSpeedReason ? { lowSpeedReason } : {}),
      readBufSize,
      dmCsr2,
    };
    return this._report;
  }

  private silentTargetError(e: unknown, voltage: TargetVoltage, attempts: number): AppError {
    if (!(e instanceof AppError)) return new AppError('internal', String(e));
    if (!isLinkError(e.code)) return e;
    const details = { ...(e.details ?? {}), attempts, volts: voltage.volts };
    if (voltage.volts !== null && voltage.volts < NO_POWER_VOLTAGE) {
      return new AppError(
        'target-not-powered',
        `The target is not powered (the probe measures ${voltage.volts.toFixed(2)} V on its VDD pin).`,
        'Power the board, and connect the board\'s VDD to the probe\'s VDD/VAPP pin so the probe can sense it.',
        details,
      );
    }
    return new AppError(
      'target-no-response',
      'The target does not answer the SWIM entry sequence.',
      this.options.noReset
        ? 'Check the SWIM and GND wires and the target supply; try again without hot attach (NRST held low).'
        : 'Check the SWIM, GND and NRST wires and the target supply. If the firmware disables SWIM, use connect under reset.',
      details,
    );
  }

  /** Read SWIM_CSR until HSIT (SF `stlink2_high_speed`: up to 11 reads, 500 µs apart). */
  private async waitHsit(): Promise<{ seen: boolean; csr: number; polls: number }> {
    let csr = 0;
    for (let i = 1; i <= HSIT_POLLS; i++) {
      csr = await this.readByte(SWIM_CSR);
      if (csr & CSR.HSIT) return { seen: true, csr, polls: i };
      await waitFor(this.clock, HSIT_POLL_INTERVAL_MS);
    }
    return { seen: false, csr, polls: HSIT_POLLS };
  }

  /**
   * Resync, set SWIM_CSR.HS, then SPEED high — never SPEED first (OO-git:044e0f8c9). A read
   * at high speed confirms it; any failure falls back to low speed. Returns why it fell back.
   */
  private async switchHighSpeed(csrRead: number): Promise<string | undefined> {
    const p = this.probe;
    try {
      await p.swimResync();
      const v = (csrRead | CSR.HS) & ~CSR.HSIT & ~CSR.SWIM_RST;
      await this.writeCsr(v);
      await p.swimSetSpeed('high');
      const back = await this.readByte(SWIM_CSR);
      if (!(back & CSR.HS)) throw new AppError('swim-error', 'SWIM_CSR.HS did not stick');
      return undefined;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      await p.swimResync();
      await p.swimSetSpeed('low');
      this.csr = this.csr & ~CSR.HS;
      return `high speed failed (${reason}); using low speed`;
    }
  }

  private async writeCsr(v: number): Promise<void> {
    await this.writeByte(SWIM_CSR, v);
    this.csr = v;
  }

  // ---------------------------------------------------------------- memory

  /**
   * The largest read one READMEM makes (the probe's READBUFSIZE answer, 6144 on V2 and V3):
   * jobs check for cancel and report progress between reads of this size.
   */
  get maxReadBytes(): number {
    return this.probe.readBufSize;
  }

  /** How many whole flash blocks one READMEM holds (at least one). */
  get blocksPerRead(): number {
    return Math.max(1, Math.floor(this.maxReadBytes / this.part.blockSize));
  }

  /**
   * `count` whole blocks from the block boundary `address`: one READMEM when `count` is at
   * most blocksPerRead (the unit jobs pre-read and verify in).
   */
  async readBlocks(address: number, count: number): Promise<Uint8Array> {
    const bs = this.part.blockSize;
    if (address % bs !== 0 || !Number.isInteger(count) || count < 1) {
      throw new AppError('internal', `A block read needs a block boundary and a block count (got ${count} at 0x${address.toString(16)})`);
    }
    return this.readMemory(address, count * bs);
  }

  /** Read `length` bytes at `address` in READMEM chunks of up to maxReadBytes. */
  async readMemory(address: number, length: number, onProgress?: (done: number) => void): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    return this.probe.swimReadMem(address, length, onProgress);
  }

  /** Write bytes with WRITEMEM (RAM, registers). Flash/EEPROM go through `flash`. */
  async writeMemory(address: number, data: Uint8Array): Promise<void> {
    if (data.length === 0) return;
    await this.probe.swimWriteMem(address, data);
  }

  async readByte(address: number): Promise<number> {
    return (await this.probe.swimReadMem(address, 1))[0];
  }

  async writeByte(address: number, value: number): Promise<void> {
    await this.probe.swimWriteMem(address, Uint8Array.of(value & 0xff));
  }

  /**
   * CLK_CKDIVR := 0x00 (HSI undivided, CPU undivided) once per attach, before flash, EEPROM
   * or option-byte work: the debug module's memory accesses run at the CPU clock — 2 MHz
   * after reset (HSI/8), whatever the firmware set (possibly LSI) on a hot attach. stm8flash
   * writes it first in `stlink2_swim_write_range`. Every job resets the target at its end.
   */
  async ensureFullSpeedClock(): Promise<void> {
    if (this.fullSpeedClock) return;
    await this.writeByte(this.part.flashRegs.CLK_CKDIVR, 0x00);
    this.fullSpeedClock = true;
  }

  // ---------------------------------------------------------------- CPU

  /** Stall the CPU: DM_CSR2 |= STALL (OO `stm8_debug_stall`). Returns the DM_CSR2 written. */
  async halt(): Promise<number> {
    const csr = await this.probe.swimReadMem(DM_CSR1, 2);
    const v = csr[1] | DM_CSR2_BITS.STALL;
    await this.writeByte(DM_CSR2, v);
    this.halted = true;
    return v;
  }

  /** Is the CPU stalled (DM_CSR2.STALL, OO `stm8_poll`)? */
  async readHalted(): Promise<boolean> {
    const v = await this.readByte(DM_CSR2);
    this.halted = (v & DM_CSR2_BITS.STALL) !== 0;
    return this.halted;
  }

  /** Let the CPU run on (OO `stm8_exit_debug`: FLUSH, then clear STALL and set SWBRK). */
  async resume(): Promise<void> {
    const csr = await this.probe.swimReadMem(DM_CSR1, 2);
    const withFlush = csr[1] | DM_CSR2_BITS.FLUSH;
    await this.writeByte(DM_CSR2, withFlush);
    await this.writeByte(DM_CSR2, (withFlush & ~DM_CSR2_BITS.STALL) | DM_CSR2_BITS.SWBRK);
    this.halted = false;
  }

  async readCpuRegisters(): Promise<CpuRegisters> {
    const r = await this.readMemory(CPU_REGS, CPU_REGS_LEN);
    return {
      a: r[0],
      pc: (r[1] << 16) | (r[2] << 8) | r[3],
      x: (r[4] << 8) | r[5],
      y: (r[6] << 8) | r[7],
      sp: (r[8] << 8) | r[9],
      cc: r[10],
    };
  }

  /**
   * Reset the chip through SWIM: SWIM_CSR |= SWIM_RST, then GEN_RST (SF `stlink2_srst`;
   * without SWIM_RST, GEN_RST does not reset the device). Option bytes reload (a pending ROP
   * removal erases the chip now). With `halt` the chip is left stalled and attached, else its
   * firmware runs. When the link did not survive the reset, `halt` re-runs the entry sequence.
   */
  async reset(opts: { halt: boolean }): Promise<void> {
    const p = this.probe;
    let linkAlive = false;
    if (this.attached) {
      try {
        await this.writeByte(SWIM_CSR, this.csr | CSR.SWIM_RST);
        await p.swimGenRst();
        await waitFor(this.clock, AFTER_RESET_MS);
        const hs = await this.waitHsit();
        linkAlive = true;
        if (this._report) {
          this._report.swimCsr = hs.csr;
          this._report.hsitSeen = hs.seen;
        }
      } catch (e) {
        if (!(e instanceof AppError) || !isLinkError(e.code)) throw e;
        // SWIM did not survive (or never answered): NRST still resets the chip.
        if (!this.options.noReset) {
          await p.swimAssertReset().catch(() => undefined);
          await p.swimDeassertReset().catch(() => undefined);
        }
      }
    }
    this.halted = false;
    this.fullSpeedClock = false;
    if (linkAlive) {
      if (opts.halt) {
        await this.halt();
      } else {
        // A chip that comes out of reset stalled (SWIM still active) is let go; one whose
        // SWIM was reset runs on its own and does not answer — fine either way.
        await this.resume().catch(() => undefined);
        this.attached = false;
      }
      return;
    }
    this.attached = false;
    p.swimSpeed = 'low';
    if (opts.halt) await this.attach();
  }

  /**
   * Reload the option bytes with exactly one reset — a pending ROP removal mass-erases the
   * chip during that option load — then re-enter SWIM without touching NRST again, so no
   * second reset can cut the erase short (stm8flash -u and OO `stm8_reset_rop` reset once).
   * The reset is SWIM_RST + GEN_RST, or one NRST pulse when the link is down.
   */
  async reloadOptionBytes(): Promise<void> {
    const p = this.probe;
    try {
      await this.writeByte(SWIM_CSR, this.csr | CSR.SWIM_RST);
      await p.swimGenRst();
    } catch (e) {
      if (!(e instanceof AppError) || !isLinkError(e.code) || this.options.noReset) throw e;
      await p.swimAssertReset();
      await p.swimDeassertReset();
    }
    this.halted = false;
    this.attached = false;
    this.fullSpeedClock = false;
    p.swimSpeed = 'low';
    await waitFor(this.clock, AFTER_RESET_MS);
    await this.attach({ noReset: true });
  }

  /**
   * End the session. resume (default true): reset the chip and let its firmware run; else the
   * CPU stays stalled. The probe leaves SWIM mode; the probe itself stays open.
   */
  async disconnect(opts: { resume?: boolean } = {}): Promise<void> {
    if (opts.resume !== false && this.attached) await this.reset({ halt: false });
    this.attached = false;
  }

  /** Identification reads for diagnostics. */
  async readChipSignature(): Promise<ChipSignature> {
    const uid = this.part.uidAddress !== null ? await this.readMemory(this.part.uidAddress, 12) : null;
    const optionHead = await this.readMemory(this.part.option.start, Math.min(16, this.part.option.size));
    const iapsr = await this.readByte(this.part.flashRegs.IAPSR);
    return { uid, optionHead, iapsr };
  }
}

/** SWIM failures that mean "the target did not answer" rather than a USB problem. */
export function isLinkError(code: string): boolean {
  return code === 'target-no-response' || code === 'swim-bad-state' || code === 'swim-wire-fault' || code === 'swim-error' || code === 'swim-busy-timeout';
}
