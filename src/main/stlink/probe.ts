/**
 * Layer 2: one opened ST-LINK. Identification, mode changes, target voltage and the SWIM
 * command set, every command as one full 16-byte block (docs/spec/stlink-swim.md §1.3), and bounded
 * READSTATUS polling: only READSTATUS is repeated while BUSY (OO `stlink_cmd_allow_retry`),
 * never the command itself. Nothing here knows which transport it runs on.
 */
import { AppError } from '#shared/errors';
import { RealClock, type Clock } from '../clock';
import { toUsbAppError } from '../usb/errors';
import { DEFAULT_TRANSFER_TIMEOUT_MS, TransportError, type UsbTransport } from '../usb/transport';
import {
  CMD,
  CMD_SIZE,
  DEBUG_EXIT,
  DFU_EXIT,
  LOW_VOLTAGE_WARN,
  REOPEN_DELAY_MS,
  REPLY,
  STLINK_INTERFACE,
  SWIM,
  SWIM_MAX_DATA,
  SWIM_STATUS,
  WRITEMEM_INLINE,
  modeName,
  pidInfo,
  type PidInfo,
  type StlinkMode,
} from './constants';
import { SWIM_CMD_MS, swimWireMs, type SwimSpeed } from './swim-timing';
import { TraceBuffer, hexBytes } from './trace';
import { decodeVersion, formatVersionLine, needsVersionEx } from './version';
import { serialToHex } from './serial';
import { swimStatusError } from './swim-status';
import type { ProbeIdentity, ProbeStats, StlinkOpenOptions, TargetVoltage } from './types';
import { waitFor, waitUntil } from './wait';
import { AccessAllowance, busyBackoffMs, busyBudgetMs, type PendingSwim } from './swim-poll';

export type { ProbeIdentity, ProbeStats, StlinkOpenOptions, TargetVoltage } from './types';

/** Does OO send GET_TARGET_VOLTAGE to this probe (`STLINK_F_HAS_TARGET_VOLT`, `stlink_usb_version`)? */
export function measuresVoltage(id: { stlink: number; jtag: number }): boolean {
  return id.stlink >= 3 || (id.stlink === 2 && id.jtag >= 13);
}

export class StlinkProbe {
  readonly clock: Clock;
  readonly trace: TraceBuffer;
  readonly stats: ProbeStats = { transfers: 0, bytesOut: 0, bytesIn: 0, swimCommands: 0, statusPolls: 0, busyPolls: 0, usbResets: 0 };
  /** Speed the probe's SWIM engine is set to (low after ENTER_SEQ and resync). */
  swimSpeed: SwimSpeed = 'low';
  /** READBUFSIZE answer, bounds READMEM chunks (6144 on V2 and V3). */
  readBufSize = SWIM_MAX_DATA;
  /**
   * Measured cost of one command OUT transfer (ms, running average). The next command
   * reaches the probe this long after it is sent, so waits end this much early.
   */
  usbCostMs: number;
  /** The asynchronous SWIM command sent and not yet reported done by READSTATUS. */
  private swimPending: PendingSwim | null = null;
  /** See swimEndTime. */
  private lastSwimEnd = 0;
  /** Learned extra time of memory operations over the wire model (see memoryOpMs). */
  private readonly accessAllowance = new AccessAllowance();
  private readonly pid: PidInfo;
  private readonly timeoutMs: number;
  private closed = false;
  private _identity: ProbeIdentity | null = null;

  private constructor(
    readonly transport: UsbTransport,
    opts: StlinkOpenOptions,
  ) {
    this.clock = opts.clock ?? transport.clock ?? new RealClock();
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TRANSFER_TIMEOUT_MS;
    this.trace = new TraceBuffer(opts.traceSize ?? 256);
    this.pid = pidInfo(transport.info.productId);
    // docs/spec/simulator.md §4 / USB frame timing: ~0.5 ms per transfer full speed, ~0.06 ms high speed.
    this.usbCostMs = this.pid.highSpeedUsb ? 0.0625 : 0.5;
  }

  /**
   * Open the USB device, claim interface 0 and identify the probe. If the first command
   * fails, the device is reset and the command retried once (OO `stlink_usb_usb_open`).
   * Throws AppError 'probe-no-swim' when the firmware has no SWIM (SWIM version 0), and
   * 'probe-in-dfu' for a V3 in its USB loader.
   */
  static async open(transport: UsbTransport, opts: StlinkOpenOptions = {}): Promise<StlinkProbe> {
    const p = new StlinkProbe(transport, opts);
    try {
      await transport.open();
      await transport.claimInterface(STLINK_INTERFACE);
    } catch (e) {
      await transport.close().catch(() => undefined);
      throw toUsbAppError(e, 'opening the probe');
    }
    try {
      // Refuse by PID before sending anything: a V1 needs SCSI-wrapped commands and a V3 in
      // its USB loader does not speak the ST-LINK protocol at all.
      p.refuseByPid();
      await p.identify(opts.reopenDelayMs ?? REOPEN_DELAY_MS);
      p.requireSwim();
    } catch (e) {
      await p.close().catch(() => undefined);
      throw e;
    }
    return p;
  }

  /** Identity read at open. */
  get identity(): ProbeIdentity {
    if (!this._identity) throw new AppError('internal', 'probe not identified');
    return this._identity;
  }

  get pidInfo(): PidInfo {
    return this.pid;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // ---------------------------------------------------------------- transfers

  /**
   * After a stalled pipe, clear the halt so the next transfer can go through (libusb's
   * documented recovery for LIBUSB_ERROR_PIPE); the failed transfer itself is not repeated.
   */
  private async clearStall(e: unknown, endpoint: number): Promise<void> {
    if (!(e instanceof TransportError) || e.code !== 'pipe' || !this.transport.clearHalt) return;
    this.trace.add({ t: this.clock.now(), dir: 'reset', endpoint, length: 0, hex: '', error: 'clear halt' });
    await this.transport.clearHalt(endpoint).catch(() => undefined);
  }

  private async out(data: Uint8Array): Promise<void> {
    const ep = this.pid.outEndpoint;
    if (this.closed) throw new AppError('probe-closed', 'The connection to the ST-LINK was already closed.', 'Connect again.');
    try {
      const t0 = this.clock.now();
      const n = await this.transport.transferOut(ep, data, this.timeoutMs);
      if (data.length === CMD_SIZE) this.usbCostMs = 0.8 * this.usbCostMs + 0.2 * (this.clock.now() - t0);
      this.stats.transfers++;
      this.stats.bytesOut += data.length;
      this.trace.add({ t: this.clock.now(), dir: 'out', endpoint: ep, length: data.length, hex: hexBytes(data) });
      if (n !== data.length) {
        throw new AppError('usb-io', `The ST-LINK accepted ${n} of ${data.length} bytes.`, 'Replug the probe and try again.');
      }
    } catch (e) {
      if (!(e instanceof AppError)) {
        this.trace.add({ t: this.clock.now(), dir: 'out', endpoint: ep, length: data.length, hex: hexBytes(data), error: String((e as Error).message ?? e) });
      }
      await this.clearStall(e, ep);
      throw toUsbAppError(e);
    }
  }

  private async in(length: number): Promise<Uint8Array> {
    const ep = this.pid.inEndpoint;
    if (this.closed) throw new AppError('probe-closed', 'The connection to the ST-LINK was already closed.', 'Connect again.');
    try {
      const d = await this.transport.transferIn(ep, length, this.timeoutMs);
      this.stats.transfers++;
      this.stats.bytesIn += d.length;
      this.trace.add({ t: this.clock.now(), dir: 'in', endpoint: ep, length, hex: hexBytes(d) });
      if (d.length !== length) {
        throw new AppError('usb-io', `The ST-LINK sent ${d.length} bytes where ${length} were expected.`, 'Replug the probe and try again.', {
          expected: length,
          got: d.length,
        });
      }
      return d;
    } catch (e) {
      if (!(e instanceof AppError)) {
        this.trace.add({ t: this.clock.now(), dir: 'in', endpoint: ep, length, hex: '', error: String((e as Error).message ?? e) });
      }
      await this.clearStall(e, ep);
      throw toUsbAppError(e);
    }
  }

  /** One command: a full 16-byte block, an optional data OUT, an optional reply IN. */
  private async command(bytes: readonly number[] | Uint8Array, dataOut?: Uint8Array, inLength = 0): Promise<Uint8Array> {
    const block = new Uint8Array(CMD_SIZE);
    block.set(bytes.length > CMD_SIZE ? bytes.slice(0, CMD_SIZE) : bytes);
    await this.out(block);
    if (dataOut && dataOut.length > 0) await this.out(dataOut);
    if (inLength > 0) return this.in(inLength);
    return new Uint8Array(0);
  }

  // ---------------------------------------------------------------- identification

  private async identify(reopenDelayMs: number): Promise<void> {
    let reply: Uint8Array;
    try {
      reply = await this.command([CMD.GET_VERSION], undefined, REPLY.GET_VERSION);
    } catch (first) {
      // A reset does not help a probe that is gone or held by someone else.
      if (first instanceof AppError && ['probe-unplugged', 'probe-closed', 'probe-busy', 'probe-permission'].includes(first.code)) throw first;
      await this.resetAndReopen(reopenDelayMs);
      try {
        reply = await this.command([CMD.GET_VERSION], undefined, REPLY.GET_VERSION);
      } catch (second) {
        const a = toUsbAppError(second, 'reading the probe version after a USB reset');
        throw new AppError(a.code, a.message, a.remedy, { ...(a.details ?? {}), firstError: toUsbAppError(first).message });
      }
    }
    let ex: Uint8Array | undefined;
    if (needsVersionEx(reply)) ex = await this.command([CMD.GET_VERSION_EX], undefined, REPLY.GET_VERSION_EX);
    const v = decodeVersion(reply, ex);
    const info = this.transport.info;
    this._identity = {
      ...v,
      variant: this.pid.variant,
      variantName: this.pid.name,
      usbVid: info.vendorId,
      usbPid: info.productId,
      serial: serialToHex(info.serialNumber),
      portPath: info.portPath,
      productName: info.productName,
      versionLine: formatVersionLine(v),
      supportsSwim: v.swim !== 0,
    };
  }

  /**
   * The first command failed: release the interface, reset the device, close it, wait for it
   * to re-enumerate and open it again (OO `stlink_usb_usb_open` resets, closes, sleeps 1 s and
   * reopens; a handle is unusable after a reset on nusb, which the shipped `usb` package uses).
   */
  private async resetAndReopen(reopenDelayMs: number): Promise<void> {
    this.stats.usbResets++;
    try {
      await this.transport.reset();
      this.trace.add({ t: this.clock.now(), dir: 'reset', endpoint: 0, length: 0, hex: '' });
    } catch (e) {
      if (!(e instanceof TransportError) || e.code === 'no-device') throw toUsbAppError(e, 'resetting the probe');
    }
    await this.transport.close().catch(() => undefined);
    await this.clock.sleep(reopenDelayMs);
    try {
      await this.transport.open();
      await this.transport.claimInterface(STLINK_INTERFACE);
    } catch (e) {
      throw toUsbAppError(e, 'reopening the probe after a USB reset');
    }
  }

  private refuseByPid(): void {
    if (this.pid.loader) {
      throw new AppError(
        'probe-in-dfu',
        `The ${this.pid.name} is in its USB loader (DFU) mode, not running its debug firmware.`,
        'Unplug and replug the probe, or finish the firmware update with ST-LinkUpgrade.',
        { pid: this.pid.pid },
      );
    }
    if (this.pid.variant === 'stlinkv1') {
      throw new AppError(
        'probe-unsupported',
        'ST-LINK/V1 is not supported (it needs SCSI-wrapped commands; docs/spec/stlink-swim.md §1.4).',
        'Use an ST-LINK/V2, V2-1 (STM8 Nucleo) or STLINK-V3SET.',
      );
    }
  }

  private requireSwim(): void {
    const id = this.identity;
    if (id.stlink === 1) {
      throw new AppError(
        'probe-unsupported',
        'ST-LINK/V1 is not supported (it needs SCSI-wrapped commands; docs/spec/stlink-swim.md §1.4).',
        'Use an ST-LINK/V2, V2-1 (STM8 Nucleo) or STLINK-V3SET.',
      );
    }
    if (!id.supportsSwim) {
      // OO `stlink_open` refuses SWIM when version.swim == 0.
      const hint =
        id.variant === 'stlinkv21'
          ? 'This V2-1 runs the STM32 firmware (no SWIM); only the STM8-Nucleo firmware has SWIM.'
          : id.stlink >= 3
            ? 'ST sells SWIM only on the STLINK-V3SET with its MB1440 adapter; V3MINI/V3MINIE are for STM32 (JTAG/SWD).'
            : 'This firmware reports SWIM version 0.';
      throw new AppError(
        'probe-no-swim',
        `${id.variantName} ${id.versionString} has no SWIM support (SWIM version 0). ${hint}`,
        'Use an ST-LINK/V2, an STM8 Nucleo (V2-1 with STM8 firmware) or an STLINK-V3SET with the MB1440 adapter; or update the probe firmware with ST-LinkUpgrade.',
        { versionString: id.versionString, pid: id.usbPid },
      );
    }
  }

  // ---------------------------------------------------------------- generic commands

  async currentMode(): Promise<StlinkMode> {
    const r = await this.command([CMD.GET_CURRENT_MODE], undefined, REPLY.GET_CURRENT_MODE);
    return modeName(r[0]);
  }

  /** Leave whatever mode the probe is in (OO `stlink_usb_exit_mode`). Returns the mode left. */
  async leaveMode(): Promise<StlinkMode> {
    const mode = await this.currentMode();
    if (mode === 'dfu') await this.command([CMD.DFU, DFU_EXIT]);
    else if (mode === 'debug') await this.command([CMD.DEBUG, DEBUG_EXIT]);
    else if (mode === 'swim') await this.swimExit();
    return mode;
  }

  /**
   * Target voltage. A probe that cannot measure (V1, V2 before J13, a V2-1 whose version
   * carries no JTAG number, a clone answering zeros, or one refusing the command) gives
   * volts = null, never an error. Vtarget = 2 · a1 · 1.2 / a0 (OO `stlink_usb_check_voltage`).
   */
  async targetVoltage(): Promise<TargetVoltage> {
    const id = this.identity;
    // Sent only where OO `stlink_usb_version` sets STLINK_F_HAS_TARGET_VOLT: V2 from J13
    // (a V2-1 with STM8 firmware decodes to JTAG 0, so never), every V3; never V1.
    if (!measuresVoltage(id)) {
      return { volts: null, note: `not measured (OpenOCD does not ask a ${id.versionString} for it)` };
    }
    let r: Uint8Array;
    try {
      r = await this.command([CMD.GET_TARGET_VOLTAGE], undefined, REPLY.GET_TARGET_VOLTAGE);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'probe-unplugged' || e.code === 'probe-closed')) throw e;
      return { volts: null, note: 'not measured (the probe refused the voltage command)' };
    }
    const dv = new DataView(r.buffer, r.byteOffset, r.byteLength);
    const a0 = dv.getUint32(0, true);
    const a1 = dv.getUint32(4, true);
    if (a0 === 0) return { volts: null, note: 'not measured (the probe answers zeros, common on clones)' };
    const volts = Math.round(((2 * a1 * 1.2) / a0) * 1000) / 1000;
    if (volts < LOW_VOLTAGE_WARN) return { volts, note: 'target voltage may be too low for reliable operation' };
    return { volts };
  }

  // ---------------------------------------------------------------- SWIM commands

  /** Enter SWIM mode on the probe (F4 00). No reply, and READSTATUS is not updated by it (OO-git:b9a30e089). */
  async swimEnter(): Promise<void> {
    await this.settleSwim();
    await this.command([CMD.SWIM, SWIM.ENTER]);
    this.swimSpeed = 'low';
  }

  /**
   * Leave SWIM mode (F4 01), after the last asynchronous command was reported done. A probe
   * that stays busy past the bound is left anyway: leaving SWIM mode is how a new attach
   * starts over (OO `stlink_usb_exit_mode` sends it without a status check).
   */
  async swimExit(): Promise<void> {
    await this.settleSwim().catch((e: unknown) => {
      if (!(e instanceof AppError) || e.code !== 'swim-busy-timeout') throw e;
      this.swimPending = null;
    });
    await this.command([CMD.SWIM, SWIM.EXIT]);
  }

  /**
   * READBUFSIZE (F4 0D): 2 bytes LE; bounds READMEM chunks. OO never sends it (it uses a fixed
   * `STLINK_SWIM_DATA_SIZE` of 6144); stm8flash `stlink2_open` does. A probe that refuses it
   * or answers 0 gets the 0x1800 both references work with; only a vanished probe is an error.
   */
  async swimReadBufSize(): Promise<number> {
    await this.settleSwim();
    let n: number;
    try {
      const r = await this.command([CMD.SWIM, SWIM.READBUFSIZE], undefined, REPLY.READBUFSIZE);
      n = r[0] | (r[1] << 8);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'probe-unplugged' || e.code === 'probe-closed')) throw e;
      n = 0;
    }
    this.readBufSize = n > 0 ? Math.min(n, SWIM_MAX_DATA) : SWIM_MAX_DATA;
    return this.readBufSize;
  }

  /** READSTATUS (F4 09): the 4-byte status of the last asynchronous SWIM command. */
  async swimReadStatus(): Promise<Uint8Array> {
    this.stats.statusPolls++;
    return this.command([CMD.SWIM, SWIM.READSTATUS], undefined, REPLY.READSTATUS);
  }

  /**
   * How much earlier than the wanted arrival a command is sent: one OUT transfer. Arriving a
   * little early costs one more READSTATUS, never correctness (READSTATUS is the one command
   * a busy probe takes, OO `stlink_cmd_allow_retry`).
   */
  private get sendLeadMs(): number {
    return this.usbCostMs;
  }

  /** Margin on a scheduled arrival: 2 µs against float sums on a virtual clock, 50 µs in real time. */
  private get arrivalMarginMs(): number {
    return this.clock.kind === 'virtual' ? 0.002 : 0.05;
  }

  /**
   * Before any SWIM command: if the last asynchronous one has not been reported done, poll
   * READSTATUS until it is (OO and stm8flash never send a SWIM command to a busy probe).
   */
  private async settleSwim(): Promise<void> {
    if (this.swimPending) await this.pollSwimDone();
  }

  /**
   * Poll READSTATUS until byte 0 is not BUSY. The first poll is scheduled to arrive when the
   * wire-time model says the command is over — a schedule, not a guarantee: a probe or chip
   * that is slower only costs more polls — then bounded back-off (OO `stlink_cmd_allow_retry`
   * re-sends READSTATUS only). Bytes 1–3 may count progress and are not judged. Status other
   * than OK/BUSY → AppError; still BUSY at the deadline → 'swim-busy-timeout' (the command
   * stays pending, so the next SWIM command polls again first).
   */
  private async pollSwimDone(): Promise<void> {
    const pend = this.swimPending;
    if (!pend) return;
    await waitUntil(this.clock, pend.expectedEnd + this.arrivalMarginMs - this.sendLeadMs);
    const deadline = Math.max(this.clock.now(), pend.expectedEnd) + busyBudgetMs(pend.expectedMs);
    for (let attempt = 0; ; attempt++) {
      // The deadline judges when a poll was sent, not when its answer came (see waitEop).
      const sentAt = this.clock.now();
      const st = await this.swimReadStatus();
      const now = this.clock.now();
      if (attempt === 0 && pend.memoryOp) this.accessAllowance.learn(st[0] === SWIM_STATUS.BUSY);
      if (st[0] === SWIM_STATUS.OK) {
        this.swimPending = null;
        // The command ended before this poll reached the probe (about one transfer ago): take
        // that latest possible end, so that waits counted from it (t_prog) are never short.
        this.lastSwimEnd = Math.min(now, Math.max(pend.expectedEnd, pend.lastBusyAt, now - this.usbCostMs));
        return;
      }
      if (st[0] !== SWIM_STATUS.BUSY) {
        this.swimPending = null;
        this.lastSwimEnd = now;
        throw swimStatusError(st[0], pend.what);
      }
      this.stats.busyPolls++;
      pend.lastBusyAt = now;
      if (sentAt >= deadline) {
        throw new AppError('swim-busy-timeout', `The probe stayed busy (${pend.what}).`, 'Reconnect the target; check the SWIM wiring.', { what: pend.what });
      }
      await waitFor(this.clock, Math.max(0, Math.min(busyBackoffMs(attempt, pend.expectedMs), deadline - now)));
    }
  }

  /**
   * Expected duration of a READMEM/WRITEMEM of `bytes`: the wire time plus a learned
   * allowance for what the wire model leaves out (the debug module's bus access at the CPU
   * clock, the probe's own turnaround). Only the first poll's timing depends on it.
   */
  private memoryOpMs(bytes: number): number {
    return swimWireMs(bytes, this.swimSpeed) * (1 + this.accessAllowance.value);
  }

  /** Send an asynchronous SWIM command and poll until the probe reports it done. */
  private async swimAsync(bytes: number[], what: string, expectedMs: number, dataOut?: Uint8Array): Promise<void> {
    await this.settleSwim();
    this.stats.swimCommands++;
    await this.command(bytes, dataOut);
    const now = this.clock.now();
    const memoryOp = bytes[1] === SWIM.READMEM || bytes[1] === SWIM.WRITEMEM;
    this.swimPending = { what, expectedMs, expectedEnd: now + expectedMs, lastBusyAt: now, memoryOp };
    await this.pollSwimDone();
  }

  /** SPEED (F4 03 00/01). Never send before SWIM entry (OO-git:044e0f8c9). */
  async swimSetSpeed(speed: SwimSpeed): Promise<void> {
    await this.swimAsync([CMD.SWIM, SWIM.SPEED, speed === 'high' ? 1 : 0], `SPEED ${speed}`, SWIM_CMD_MS.speed);
    this.swimSpeed = speed;
  }

  /** ENTER_SEQ (F4 04): the SWIM activation sequence on the wire. The link restarts at low speed. */
  async swimEnterSeq(): Promise<void> {
    this.swimSpeed = 'low';
    await this.swimAsync([CMD.SWIM, SWIM.ENTER_SEQ], 'SWIM entry sequence', SWIM_CMD_MS.enterSeq);
  }

  /** GEN_RST (F4 05): system reset through SWIM. */
  async swimGenRst(): Promise<void> {
    await this.swimAsync([CMD.SWIM, SWIM.GEN_RST], 'SWIM reset', SWIM_CMD_MS.genRst);
  }

  /** RESET (F4 06): SWIM communication reset (resync); the target falls back to low speed. */
  async swimResync(): Promise<void> {
    this.swimSpeed = 'low';
    await this.swimAsync([CMD.SWIM, SWIM.RESET], 'SWIM resync', SWIM_CMD_MS.resync);
  }

  /** ASSERT_RESET (F4 07): drive NRST low. */
  async swimAssertReset(): Promise<void> {
    await this.swimAsync([CMD.SWIM, SWIM.ASSERT_RESET], 'assert NRST', SWIM_CMD_MS.lineReset);
  }

  /** DEASSERT_RESET (F4 08): release NRST. */
  async swimDeassertReset(): Promise<void> {
    await this.swimAsync([CMD.SWIM, SWIM.DEASSERT_RESET], 'release NRST', SWIM_CMD_MS.lineReset);
  }

  /** READMEM/WRITEMEM header: `F4 op len16BE addr32BE` (docs/spec/stlink-swim.md §3.2). */
  private static memCommand(op: number, address: number, len: number): number[] {
    return [
      CMD.SWIM,
      op,
      (len >> 8) & 0xff,
      len & 0xff,
      (address >>> 24) & 0xff,
      (address >> 16) & 0xff,
      (address >> 8) & 0xff,
      address & 0xff,
    ];
  }

  /** WRITEMEM with its first WRITEMEM_INLINE data bytes inside the 16-byte command. */
  private static writeMemBlock(address: number, chunk: Uint8Array): number[] {
    return [...StlinkProbe.memCommand(SWIM.WRITEMEM, address, chunk.length), ...chunk.subarray(0, WRITEMEM_INLINE)];
  }

  /** The WRITEMEM data that does not fit in the command: one extra OUT transfer. */
  private static writeMemRest(chunk: Uint8Array): Uint8Array | undefined {
    return chunk.length > WRITEMEM_INLINE ? chunk.subarray(WRITEMEM_INLINE) : undefined;
  }

  /**
   * WRITEMEM: `F4 0A len16BE addr32BE d0..d7`, the rest as one extra OUT (docs/spec/stlink-swim.md §3.2),
   * each command checked with READSTATUS. Longer data is split into 6144-byte commands.
   */
  async swimWriteMem(address: number, data: Uint8Array): Promise<void> {
    for (let off = 0; off < data.length; off += SWIM_MAX_DATA) {
      const chunk = data.subarray(off, Math.min(data.length, off + SWIM_MAX_DATA));
      await this.swimAsync(
        StlinkProbe.writeMemBlock(address + off, chunk),
        `write ${chunk.length} byte(s) at 0x${(address + off).toString(16)}`,
        this.memoryOpMs(chunk.length),
        StlinkProbe.writeMemRest(chunk),
      );
    }
  }

  /** READMEM + READBUF, split into chunks of at most READBUFSIZE bytes, each status-checked. */
  async swimReadMem(address: number, length: number, onChunk?: (done: number) => void): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    const max = this.readBufSize;
    for (let off = 0; off < length; off += max) {
      const n = Math.min(max, length - off);
      const part = await this.swimReadMemChunk(address + off, n);
      out.set(part, off);
      onChunk?.(off + n);
    }
    return out;
  }

  /**
   * One READMEM (≤ READBUFSIZE) + READBUF. READBUF only after READSTATUS said the READMEM is
   * done: before that a probe may hand back its previous buffer (OO `stlink_swim_readbytes`
   * and stm8flash `stlink2_swim_read_range` both wait for the status first).
   */
  private async swimReadMemChunk(address: number, len: number): Promise<Uint8Array> {
    const block = StlinkProbe.memCommand(SWIM.READMEM, address, len);
    await this.swimAsync(block, `read ${len} byte(s) at 0x${address.toString(16)}`, this.memoryOpMs(len));
    return this.command([CMD.SWIM, SWIM.READBUF], undefined, len);
  }

  /**
   * Best estimate of the clock time the last asynchronous SWIM command ended on the wire —
   * for a flash write, when the program cycle started.
   */
  get swimEndTime(): number {
    return this.lastSwimEnd;
  }

  /**
   * Wait until a one-byte read sent now has its byte sampled on the wire at `sampleAt` at the
   * earliest: the byte is sampled at the end of its ROTF frame, one OUT transfer after the
   * command leaves the host. How the flash controller times its first look at a register
   * that changes at a known moment (EOP at the end of a program cycle).
   */
  async waitToSampleAt(sampleAt: number): Promise<void> {
    await waitUntil(this.clock, sampleAt - swimWireMs(1, this.swimSpeed) - this.sendLeadMs + this.arrivalMarginMs);
  }

  // ---------------------------------------------------------------- close

  /** Leave SWIM mode (best effort) and release the USB device. Safe to call twice. */
  async close(opts: { leaveSwim?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    if (opts.leaveSwim !== false && this._identity?.supportsSwim) {
      try {
        await this.swimExit();
      } catch {
        /* the probe may be gone; closing must still release it */
      }
    }
    this.closed = true;
    try {
      await this.transport.close();
    } catch {
      /* already gone */
    }
  }
}
