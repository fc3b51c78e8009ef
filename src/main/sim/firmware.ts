/**
 * The ST-LINK firmware as the host sees it through the bulk endpoints: 16-byte command
 * blocks, modes, version and voltage replies, and the SWIM command set with asynchronous
 * completion and the sticky status word. Facts: docs/spec/stlink-swim.md §1.3, §2, §3 (OpenOCD
 * stlink_usb.c, stm8flash stlinkv2.c). Choices where the specs leave room: CHOICES.md.
 *
 * The firmware computes each asynchronous operation eagerly when its command arrives: it
 * walks the SWIM frames byte by byte against the target at their own times (wire bits plus
 * the debug module's bus access at the chip's CPU clock) and records when the operation
 * ends. READSTATUS reports BUSY, with a progress count, until the probe's clock reaches that
 * end (swim-status.ts). A SWIM command that comes before a READSTATUS has reported the
 * previous asynchronous one done is lost and recorded as a protocol violation (CHOICES.md).
 */
import type { Clock } from '../clock';
import { Xorshift32 } from '#shared/pseudo-random';
import { SWIM_BAD_STATE, SWIM_NO_RESPONSE, SWIM_OK, SwimStatus } from './swim-status';
import type { Stm8Target } from './target';
import {
  SWIM_BITS_PER_BYTE,
  SWIM_FRAME_HEADER_BITS,
  SWIM_MAX_FRAME_BYTES,
  T_ENTER_SEQ_MS,
  T_RESET_MS,
  T_RESYNC_MS,
  T_SPEED_MS,
  swimBitMs,
} from './timing';
import type { TimingProfile } from './timing-profile';
import { MODE_CODE, type StlinkMode, type VariantInfo } from './variants';
import type { ViolationLog } from './violations';

export { SWIM_BAD_STATE, SWIM_BUSY, SWIM_NO_RESPONSE, SWIM_OK } from './swim-status';

export const CMD_SIZE = 16;
/** SWIM buffer size reported by READBUFSIZE (0x1800 on V2 and V3: stm8flash issues #148/#178). */
export const SWIM_BUFFER_SIZE = 0x1800;

// Commands (docs/spec/stlink-swim.md §2, §3).
export const CMD = {
  GET_VERSION: 0xf1,
  DEBUG: 0xf2,
  DFU: 0xf3,
  SWIM: 0xf4,
  GET_CURRENT_MODE: 0xf5,
  GET_TARGET_VOLTAGE: 0xf7,
  GET_VERSION_EX: 0xfb,
} as const;
export const DFU_EXIT = 0x07;
export const DEBUG_EXIT = 0x21;
export const SWIM = {
  ENTER: 0x00,
  EXIT: 0x01,
  READ_CAP: 0x02,
  SPEED: 0x03,
  ENTER_SEQ: 0x04,
  GEN_RST: 0x05,
  RESET: 0x06,
  ASSERT_RESET: 0x07,
  DEASSERT_RESET: 0x08,
  READSTATUS: 0x09,
  WRITEMEM: 0x0a,
  READMEM: 0x0b,
  READBUF: 0x0c,
  READBUFSIZE: 0x0d,
} as const;

/** ADC words of GET_TARGET_VOLTAGE: V = 2·a1·1.2/a0 (OpenOCD stlink_usb_check_voltage). 1600/2200 → 3.30 V. */
export const VOLTAGE_A0 = 1600;
export const VOLTAGE_A1_POWERED = 2200;
/** Unpowered target: a little noise, ≈ 0.01 V. */
export const VOLTAGE_A1_UNPOWERED = 7;

export interface FirmwareFlags {
  /** clone-voltage fault: the voltage query answers all zeros. */
  cloneVoltage: boolean;
}

interface DataPhase {
  addr: number;
  len: number;
  data: Uint8Array;
  got: number;
  /** Refused up front (wrong mode, too long: status 0x05) or lost (sent while busy): the data is swallowed. */
  refused: boolean;
}

/** A queued reply; `latencyMs` is extra time before it can be read (a READSTATUS answer under timing variation). */
interface Reply {
  data: Uint8Array;
  latencyMs: number;
}

export type TakeResult = { kind: 'data'; data: Uint8Array; latencyMs: number } | { kind: 'none' } | { kind: 'overflow'; length: number };

/**
 * Names of the SWIM sub-commands for reports: the keys of SWIM, with ENTER and EXIT spelled
 * SWIM_ENTER and SWIM_EXIT. READSTATUS is left out: it is answered at once, never lost nor reported.
 */
const SWIM_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(SWIM)
    .filter(([key]) => key !== 'READSTATUS')
    .map(([key, sub]) => [sub, sub === SWIM.ENTER || sub === SWIM.EXIT ? `SWIM_${key}` : key]),
);

/** Length and address of a READMEM or WRITEMEM command block (big-endian, bytes 2–3 and 4–7). */
function memoryOperands(cmd: Uint8Array): { len: number; addr: number } {
  return { len: (cmd[2] << 8) | cmd[3], addr: ((cmd[4] << 24) | (cmd[5] << 16) | (cmd[6] << 8) | cmd[7]) >>> 0 };
}

/** "WRITEMEM 0x505b+2", "READMEM 0x8000+6144", "SPEED": how violations name a command block. */
export function swimCommandName(cmd: Uint8Array): string {
  const sub = cmd[1];
  const name = SWIM_NAMES.get(sub) ?? `F4 ${sub.toString(16).padStart(2, '0')}`;
  if (sub !== SWIM.WRITEMEM && sub !== SWIM.READMEM) return name;
  const { len, addr } = memoryOperands(cmd);
  return `${name} 0x${addr.toString(16)}+${len}`;
}

export class StlinkFirmware {
  mode: StlinkMode;
  private readonly replies: Reply[] = [];
  private readonly status = new SwimStatus();
  /** Name of the SWIM command being executed (the status and violation reports name it). */
  private currentCommand = '';
  /** Junk for a READBUF that comes too early (deterministic). */
  private readonly junk = new Xorshift32(0x6a756e6b);
  private readBuf: Uint8Array | null = null;
  private pendingRead: { data: Uint8Array; doneAt: number } | null = null;
  private dataPhase: DataPhase | null = null;
  /** Line speed the probe drives: false = low, true = high. */
  probeHigh = false;
  /** SPEED was sent before SWIM entry: the next ENTER_SEQ fails until SWIM_EXIT or a USB reset (CHOICES.md). */
  speedPoisoned = false;
  /** Why the last command was refused or dropped (for the trace), cleared when read. */
  note: string | undefined;
  /** V3 given a short command block: 'short' = the next IN returns the fragment; 'stuck' = nothing answers until replug. */
  wedge: 'none' | { fragment: Uint8Array } | 'stuck' = 'none';

  constructor(
    readonly variant: VariantInfo,
    private readonly target: Stm8Target,
    private readonly clock: Clock,
    private readonly flags: FirmwareFlags,
    private readonly timing: TimingProfile,
    private readonly violations: ViolationLog,
    initialMode?: StlinkMode,
  ) {
    this.mode = initialMode ?? variant.powerUpMode;
  }

  /** Power-up / USB reset of the probe: everything the firmware held is gone; the probe releases NRST. */
  restart(): void {
    this.mode = this.variant.powerUpMode;
    this.replies.length = 0;
    this.status.reset();
    this.readBuf = null;
    this.pendingRead = null;
    this.dataPhase = null;
    this.probeHigh = false;
    this.speedPoisoned = false;
    this.target.setNrst(false, this.clock.now());
  }

  /**
   * The host closed its handle (a socket client went away). A real probe cannot tell: it
   * finishes what it is doing on its own and then takes the next command, so nothing the
   * gone client left unreported holds up the next one. A half-sent WRITEMEM data phase is
   * dropped (the next client starts with a command block).
   */
  hostGone(): void {
    this.status.waive();
    this.dataPhase = null;
  }

  get stuck(): boolean {
    return this.wedge === 'stuck';
  }

  /** A bulk OUT to the command endpoint, arriving at time t. */
  handleOut(data: Uint8Array, t: number): void {
    if (this.dataPhase) {
      this.receiveData(data, t);
      return;
    }
    if (data.length < CMD_SIZE && this.variant.requiresFullCommand) {
      this.note = `short command block (${data.length} bytes): the probe wedges until replugged`;
      // stm8flash's 2-byte READSTATUS on a V3: "expected 4 bytes but 2 bytes transferred",
      // then the probe needed replugging (issue #148; docs/spec/stlink-swim.md §1.3, §4.3).
      this.wedge = { fragment: data.slice() };
      return;
    }
    const cmd = new Uint8Array(CMD_SIZE);
    cmd.set(data.subarray(0, CMD_SIZE)); // V2 pads a short block; bytes beyond 16 are dropped (CHOICES.md)
    this.dispatch(cmd, t);
  }

  /** The next reply for a bulk IN of at most `length` bytes. */
  takeReply(length: number): TakeResult {
    if (this.wedge !== 'none' && this.wedge !== 'stuck') {
      const frag = this.wedge.fragment;
      this.wedge = 'stuck';
      return { kind: 'data', data: frag.slice(0, Math.min(length, frag.length)), latencyMs: 0 };
    }
    const head = this.replies[0];
    if (!head) return { kind: 'none' };
    if (head.data.length <= length) {
      this.replies.shift();
      return { kind: 'data', data: head.data, latencyMs: head.latencyMs };
    }
    if (length > 0 && length % this.variant.maxPacket === 0) {
      // Whole packets of a longer reply can be read piecewise (bulk semantics).
      this.replies[0] = { data: head.data.subarray(length), latencyMs: 0 };
      return { kind: 'data', data: head.data.slice(0, length), latencyMs: head.latencyMs };
    }
    // The device sends more than the host asked for: libusb reports an overflow and the
    // packet is lost (CHOICES.md).
    this.replies.shift();
    return { kind: 'overflow', length: head.data.length };
  }

  /** Replies queued and not yet read (they stay queued across close/open: CHOICES.md). */
  pendingReplies(): number {
    return this.replies.length;
  }

  private reply(bytes: number[] | Uint8Array, latencyMs = 0): void {
    this.replies.push({ data: Uint8Array.from(bytes), latencyMs });
  }

  private dispatch(cmd: Uint8Array, t: number): void {
    switch (cmd[0]) {
      case CMD.GET_VERSION:
        this.reply(this.variant.version);
        return;
      case CMD.GET_VERSION_EX:
        if (this.variant.versionEx) this.reply(this.variant.versionEx);
        return; // unknown on V2/V2-1: ignored, nothing to read
      case CMD.GET_CURRENT_MODE:
        this.reply([MODE_CODE[this.mode], this.variant.modeByte1]);
        return;
      case CMD.GET_TARGET_VOLTAGE:
        this.reply(this.voltageReply());
        return;
      case CMD.DFU:
        if (cmd[1] === DFU_EXIT && this.mode === 'dfu') this.mode = 'mass';
        return;
      case CMD.DEBUG:
        if (cmd[1] === DEBUG_EXIT && this.mode === 'debug') this.mode = 'mass';
        return;
      case CMD.SWIM:
        if (this.variant.swim) this.swim(cmd, t);
        return; // a probe without SWIM ignores the whole F4 family (CHOICES.md)
      default:
        return; // unknown commands are ignored; nothing to read (CHOICES.md)
    }
  }

  private voltageReply(): number[] {
    if (this.flags.cloneVoltage) return [0, 0, 0, 0, 0, 0, 0, 0];
    const a1 = this.target.powered ? VOLTAGE_A1_POWERED : VOLTAGE_A1_UNPOWERED;
    return [...le32(VOLTAGE_A0), ...le32(a1)];
  }

  /** The operation this command starts ends at `doneAt` with `code`. */
  private setStatus(code: number, doneAt: number, opts?: { isRead?: boolean; byteTimes?: Float64Array }): void {
    this.status.begin(this.currentCommand, code, doneAt, opts);
  }

  /**
   * A SWIM command other than READSTATUS, arriving at t before the previous asynchronous
   * command was reported done: lost, recorded, and (READBUF) answered with junk. The lost
   * command leaves no status of its own: READSTATUS goes on answering for the earlier
   * operation, so a host that polls after a lost command sees that one's OK (CHOICES.md).
   * Returns true when the command was lost.
   */
  private lostWhileBusy(cmd: Uint8Array, t: number): boolean {
    const b = this.status.blocking(t);
    if (!b) return false;
    const sub = cmd[1];
    const why = b.running
      ? `${b.name} still running for ${(b.doneAt - t).toFixed(3)} ms`
      : `${b.name} finished but no READSTATUS has reported it done`;
    const readbufEarly = sub === SWIM.READBUF && b.isRead;
    this.violations.add({
      at: t,
      rule: readbufEarly ? 'readbuf-before-done' : 'command-while-busy',
      command: swimCommandName(cmd),
      reason: why,
    });
    if (sub === SWIM.READBUF) {
      const len = this.pendingRead?.data.length ?? this.readBuf?.length ?? 0;
      if (len > 0) this.reply(Array.from({ length: len }, () => this.junk.byte()));
      this.note = `junk: ${why}`;
    } else this.note = `lost: ${why}`;
    if (sub === SWIM.WRITEMEM) {
      const { len } = memoryOperands(cmd);
      // The data phase of a lost WRITEMEM is swallowed with it, so the framing survives.
      if (len > 8) this.dataPhase = { addr: 0, len, data: new Uint8Array(len), got: 8, refused: true };
    }
    return true;
  }

  private swim(cmd: Uint8Array, t: number): void {
    const sub = cmd[1];
    if (sub === SWIM.READSTATUS) {
      this.reply(this.status.readStatus(t), this.timing.pollLatencyMs(this.variant.usbSpeed));
      return;
    }
    if (sub > SWIM.READBUFSIZE) return; // unknown sub-command: ignored
    if (this.lostWhileBusy(cmd, t)) return;
    this.currentCommand = swimCommandName(cmd);
    this.violations.currentCommand = this.currentCommand;
    switch (sub) {
      case SWIM.ENTER:
        // Does not touch the status word (OpenOCD commit b9a30e089).
        if (this.mode === 'mass' || this.mode === 'swim') {
          if (this.mode !== 'swim') this.probeHigh = false;
          this.mode = 'swim';
        }
        return;
      case SWIM.EXIT:
        if (this.mode === 'swim') {
          this.mode = 'mass';
          this.probeHigh = false;
          this.speedPoisoned = false;
          this.target.setNrst(false, t);
        }
        return;
      case SWIM.READ_CAP:
        this.reply(this.variant.readCap);
        return;
      case SWIM.READBUFSIZE:
        this.reply([SWIM_BUFFER_SIZE & 0xff, SWIM_BUFFER_SIZE >> 8]);
        return;
      case SWIM.READBUF:
        this.readBuffer();
        return;
      case SWIM.WRITEMEM:
        this.startWrite(cmd, t);
        return;
      default:
        this.asyncCommand(cmd, t);
    }
  }

  /** Refusal shared by every asynchronous command: not in SWIM mode. Returns true when refused. */
  private refused(sub: number, t: number): boolean {
    if (this.mode !== 'swim') {
      // Before SWIM_ENTER: refused. SPEED also poisons the next ENTER_SEQ (OpenOCD
      // 044e0f8c9, docs/spec/stlink-swim.md §4.2 and open question 5; CHOICES.md).
      if (sub === SWIM.SPEED) this.speedPoisoned = true;
      this.note = `refused: not in SWIM mode (status 0x05${sub === SWIM.SPEED ? '; next ENTER_SEQ will fail' : ''})`;
      this.setStatus(SWIM_BAD_STATE, t);
      return true;
    }
    return false;
  }

  private asyncCommand(cmd: Uint8Array, t: number): void {
    const sub = cmd[1];
    if (this.refused(sub, t)) return;
    const target = this.target;
    // The line's pulses are timed by the probe and the target's HSI alike (CHOICES.md).
    const f = this.timing.wireFactor();
    switch (sub) {
      case SWIM.SPEED:
        this.probeHigh = cmd[2] === 1;
        this.setStatus(SWIM_OK, t + T_SPEED_MS);
        return;
      case SWIM.ENTER_SEQ: {
        const end = t + T_ENTER_SEQ_MS * f;
        const ok = !this.speedPoisoned && target.enterSwim(end);
        if (ok) this.probeHigh = false;
        this.setStatus(ok ? SWIM_OK : SWIM_NO_RESPONSE, end);
        return;
      }
      case SWIM.GEN_RST: {
        const end = t + T_RESET_MS * f;
        if (!target.linkOk(this.probeHigh)) {
          this.setStatus(SWIM_NO_RESPONSE, end);
          return;
        }
        target.swimSystemReset(t, T_RESET_MS * f);
        this.setStatus(SWIM_OK, end);
        return;
      }
      case SWIM.RESET: {
        const ok = target.commReset();
        this.probeHigh = false;
        this.setStatus(ok ? SWIM_OK : SWIM_NO_RESPONSE, t + T_RESYNC_MS * f);
        return;
      }
      case SWIM.ASSERT_RESET:
        target.setNrst(true, t);
        this.setStatus(SWIM_OK, t + T_RESET_MS);
        return;
      case SWIM.DEASSERT_RESET:
        target.setNrst(false, t + T_RESET_MS);
        this.setStatus(SWIM_OK, t + T_RESET_MS);
        return;
      case SWIM.READMEM:
        this.readMemory(cmd, t);
        return;
    }
  }

  private startWrite(cmd: Uint8Array, t: number): void {
    const { len, addr } = memoryOperands(cmd);
    const refused = this.refused(SWIM.WRITEMEM, t) || len > SWIM_BUFFER_SIZE;
    if (len > SWIM_BUFFER_SIZE && this.mode === 'swim') this.setStatus(SWIM_BAD_STATE, t);
    const data = new Uint8Array(len);
    data.set(cmd.subarray(8, 8 + Math.min(len, 8)));
    if (len > 8) {
      // The rest comes in one extra bulk OUT of len − 8 bytes (docs/spec/stlink-swim.md §3.2).
      this.dataPhase = { addr, len, data, got: 8, refused };
      return;
    }
    if (!refused) this.writeMemory(addr, data, t);
  }

  private receiveData(chunk: Uint8Array, t: number): void {
    const p = this.dataPhase;
    if (!p) return;
    const take = Math.min(chunk.length, p.len - p.got);
    p.data.set(chunk.subarray(0, take), p.got);
    p.got += take;
    if (p.got < p.len) return;
    this.dataPhase = null;
    if (!p.refused) this.writeMemory(p.addr, p.data, t);
  }

  /** Bit time of one operation: the line speed in use, scaled by the timing variation. */
  private opBitMs(): number {
    return swimBitMs(this.probeHigh) * this.timing.wireFactor();
  }

  /** The debug module's bus access for one byte at the chip's CPU clock now (CHOICES.md). */
  private dmByteMs(cycles: number): number {
    return (cycles * 1000) / this.target.cpuClockHz();
  }

  /**
   * WOTF frames of ≤ 255 bytes; each byte reaches the target at its own time: its bits on the
   * wire, then the debug module's write on the bus.
   */
  private writeMemory(addr: number, data: Uint8Array, t0: number): void {
    const bit = this.opBitMs();
    const cycles = this.timing.dmCycles();
    const target = this.target;
    const times = new Float64Array(data.length);
    let t = t0;
    if (!target.linkOk(this.probeHigh) || addr + data.length > 0x1000000) {
      this.setStatus(SWIM_NO_RESPONSE, t + SWIM_FRAME_HEADER_BITS * bit);
      return;
    }
    for (let i = 0; i < data.length; i++) {
      if (i % SWIM_MAX_FRAME_BYTES === 0) t += SWIM_FRAME_HEADER_BITS * bit;
      t += SWIM_BITS_PER_BYTE * bit;
      if (!target.linkOk(this.probeHigh)) {
        this.setStatus(SWIM_NO_RESPONSE, t, { byteTimes: times.subarray(0, i) });
        return;
      }
      t += this.dmByteMs(cycles);
      const r = target.writeByte(addr + i, data[i], t);
      t = r.t;
      times[i] = t;
      if (r.status !== 0) {
        this.setStatus(r.status, t, { byteTimes: times.subarray(0, i + 1) });
        return;
      }
    }
    this.setStatus(SWIM_OK, t, { byteTimes: times });
  }

  private readMemory(cmd: Uint8Array, t0: number): void {
    const { len, addr } = memoryOperands(cmd);
    const bit = this.opBitMs();
    const cycles = this.timing.dmCycles();
    const data = new Uint8Array(Math.min(len, SWIM_BUFFER_SIZE));
    const times = new Float64Array(data.length);
    let t = t0;
    let code = SWIM_OK;
    if (len > SWIM_BUFFER_SIZE) code = SWIM_BAD_STATE;
    else if (!this.target.linkOk(this.probeHigh) || addr + len > 0x1000000) {
      code = SWIM_NO_RESPONSE;
      t += SWIM_FRAME_HEADER_BITS * bit;
    } else {
      for (let i = 0; i < len; i++) {
        if (i % SWIM_MAX_FRAME_BYTES === 0) t += SWIM_FRAME_HEADER_BITS * bit;
        // A flash/EEPROM byte asked for during a program cycle is not read (nor sent) before
        // the cycle ends: the READMEM stays BUSY that much longer (CHOICES.md).
        t = this.target.readReadyAt(addr + i, t);
        t += this.dmByteMs(cycles);
        data[i] = this.target.readByte(addr + i, t);
        t += SWIM_BITS_PER_BYTE * bit;
        times[i] = t;
      }
    }
    this.pendingRead = { data, doneAt: t };
    this.setStatus(code, t, { isRead: true, byteTimes: code === SWIM_OK ? times : undefined });
  }

  /** READBUF once its READMEM was reported done (an earlier one is caught by lostWhileBusy). */
  private readBuffer(): void {
    if (this.pendingRead) {
      this.readBuf = this.pendingRead.data;
      this.pendingRead = null;
    }
    if (this.readBuf) this.reply(this.readBuf);
  }
}

function le32(v: number): number[] {
  return [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
}
