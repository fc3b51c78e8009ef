/**
 * Layer 2: one opened ST-LINK. Identification, mode changes, target voltage and the SWIM
 * command set, every command as one full 16-byte block (docs/spec/stlink-swim.md §1.3), and bounded
 * READSTATUS polling: only READSTATUS is repeated while BUSY (OO `stlink_cmd_allow_retry`),
 * never the command itself. Nothing here knows which transport it runs on.
 */
import { AppError } from '../../shared/errors';
import { RealClock, type Clock } from '../clock';
import { toUsbAppError } from '../usb/errors';
import { DEFAULT_TRANSFER_TIMEOUT_MS, TransportError, type UsbTransport } from '../usb/transport';
import {
  BUSY_BACKOFF_MS,
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

export type { ProbeIdentity, ProbeStats, StlinkOpenOptions, TargetVoltage } from './types';

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
  /**
   * Clock time at which the last asynchronous SWIM command is expected to be over. A new
   * asynchronous command must not reach the probe before then: a real ST-LINK's behaviour
   * is undocumented (docs/spec/stlink-swim.md §7 Q10) and the virtual probe drops it with status 0x05.
   */
  private swimIdleAt = 0;
  /** Expected wire time of the last unchecked operation (its margin grows with it). */
  private lastUncheckedMs = 0;
  /** Asynchronous commands sent without reading their status (see swimWriteMemUnchecked). */
  private uncheckedSince = 0;
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
      // OO `stlink_usb_usb_open`: reset the device, wait, try once more.
      // A reset does not help a probe that is gone or held by someone else.
      if (first instanceof AppError && ['probe-unplugged', 'probe-closed', 'probe-busy', 'probe-permission'].includes(first.code)) throw first;
      this.stats.usbResets++;
      try {
        await this.transport.reset();
        this.trace.add({ t: this.clock.now(), dir: 'reset', endpoint: 0, length: 0, hex: '' });
      } catch (e) {
        if (!(e instanceof TransportError) || e.code === 'no-device') throw toUsbAppError(e, 'resetting the probe');
      }
      await this.clock.sleep(reopenDelayMs);
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
    else if (mode === 'swim') await this.command([CMD.SWIM, SWIM.EXIT]);
    return mode;
  }

  /**
   * Target voltage. A probe that cannot measure (V1, V2 before J13, a clone answering zeros,
   * or one refusing the command) gives volts = null, never an error.
   * Vtarget = 2 · a1 · 1.2 / a0 (OO `stlink_usb_check_voltage`).
   */
  async targetVoltage(): Promise<TargetVoltage> {
    const id = this.identity;
    if (id.stlink === 2 && id.jtag > 0 && id.jtag < 13 && !id.v21Swap) {
      return { volts: null, note: 'not measured (firmware older than V2J13)' };
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
    await this.command([CMD.SWIM, SWIM.ENTER]);
    this.swimSpeed = 'low';
  }

  /** Leave SWIM mode (F4 01). */
  async swimExit(): Promise<void> {
    await this.command([CMD.SWIM, SWIM.EXIT]);
  }

  /** READ_CAP (F4 02 01), 8 bytes; informative only. */
  async swimReadCap(): Promise<Uint8Array> {
    return this.command([CMD.SWIM, SWIM.READ_CAP, 0x01], undefined, REPLY.READ_CAP);
  }

  /** READBUFSIZE (F4 0D): 2 bytes LE; bounds READMEM chunks. */
  async swimReadBufSize(): Promise<number> {
    const r = await this.command([CMD.SWIM, SWIM.READBUFSIZE], undefined, REPLY.READBUFSIZE);
    const n = r[0] | (r[1] << 8);
    this.readBufSize = n > 0 ? Math.min(n, SWIM_MAX_DATA) : SWIM_MAX_DATA;
    return n;
  }

  /** READSTATUS (F4 09): the 4-byte status of the last asynchronous SWIM command. */
  async swimReadStatus(): Promise<Uint8Array> {
    this.stats.statusPolls++;
    return this.command([CMD.SWIM, SWIM.READSTATUS], undefined, REPLY.READSTATUS);
  }

  /**
   * Sleep until a command sent now reaches the probe no earlier than `t` (the send itself
   * takes one USB transfer).
   */
  /** Sleep so that the next command sent reaches the probe no earlier than `t`. */
  async waitArrival(t: number): Promise<void> {
    await this.arriveNoEarlierThan(t);
  }

  private async arriveNoEarlierThan(t: number): Promise<void> {
    await waitUntil(this.clock, t + this.arrivalMarginMs - this.sendLeadMs);
  }

  /**
   * How much earlier than the wanted arrival a command may be sent. Only on a virtual clock,
   * where a transfer's duration is exact; real transfer times vary (and a command that
   * reaches a busy probe is lost), so in real time the engine waits the full time.
   */
  get sendLeadMs(): number {
    return this.clock.kind === 'virtual' ? this.usbCostMs : 0;
  }

  /**
   * Safety margin on arrival: 2 µs against float sums on a virtual clock. In real time 50 µs
   * plus 5 % of the unchecked operation's wire time — the SWIM clock is the target's HSI/2,
   * trimmed to about ±1 % but a few % off over temperature (INFERENCE from HSI specs).
   */
  get arrivalMarginMs(): number {
    return this.clock.kind === 'virtual' ? 0.002 : 0.05 + 0.05 * this.lastUncheckedMs;
  }

  /** Before a new asynchronous command: let the previous one finish on the wire. */
  private async waitSwimIdle(): Promise<void> {
    await this.arriveNoEarlierThan(this.swimIdleAt);
  }

  /**
   * Wait for the last asynchronous command. The first READSTATUS is timed to arrive when the
   * expected wire time is over (no point polling earlier); after that, bounded back-off with
   * only READSTATUS repeated (OO `stlink_cmd_allow_retry`). Status other than OK/BUSY →
   * AppError; still BUSY after the back-off → 'swim-busy-timeout'.
   */
  async swimWait(what: string, startedAt: number, expectedMs: number): Promise<void> {
    this.swimIdleAt = startedAt + expectedMs;
    await this.arriveNoEarlierThan(this.swimIdleAt);
    for (let attempt = 0; ; attempt++) {
      const st = await this.swimReadStatus();
      if (st[0] === SWIM_STATUS.OK) {
        this.swimIdleAt = Math.min(this.swimIdleAt, this.clock.now());
        this.uncheckedSince = 0;
        this.lastUncheckedMs = 0;
        return;
      }
      if (st[0] !== SWIM_STATUS.BUSY) {
        this.swimIdleAt = this.clock.now();
        const unchecked = this.uncheckedSince;
        this.uncheckedSince = 0;
        throw swimStatusError(st[0], unchecked > 0 ? `${what}, or one of the ${unchecked} command(s) before it` : what);
      }
      this.stats.busyPolls++;
      if (attempt >= BUSY_BACKOFF_MS.length) {
        throw new AppError('swim-busy-timeout', `The probe stayed busy (${what}).`, 'Reconnect the target; check the SWIM wiring.', { what });
      }
      const step = BUSY_BACKOFF_MS[attempt];
      this.swimIdleAt = this.clock.now() + step;
      await waitFor(this.clock, step);
    }
  }

  /** Send an asynchronous SWIM command and wait for it. */
  private async swimAsync(bytes: number[], what: string, expectedMs: number, dataOut?: Uint8Array): Promise<void> {
    await this.waitSwimIdle();
    this.stats.swimCommands++;
    await this.command(bytes, dataOut);
    await this.swimWait(what, this.clock.now(), expectedMs);
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
   * Sends a SWIM command without polling its status: it is only known to be over on the wire
   * `wireMs` from now, so the next command waits for that (waitSwimIdle). Returns that time.
   */
  private async swimUnchecked(bytes: number[], wireMs: number, dataOut?: Uint8Array): Promise<number> {
    await this.waitSwimIdle();
    this.stats.swimCommands++;
    await this.command(bytes, dataOut);
    this.lastUncheckedMs = wireMs;
    this.swimIdleAt = this.clock.now() + wireMs;
    this.uncheckedSince++;
    return this.swimIdleAt;
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
        swimWireMs(chunk.length, this.swimSpeed),
        StlinkProbe.writeMemRest(chunk),
      );
    }
  }

  /**
   * WRITEMEM without reading its status: for the programming loop, where every write is
   * followed by a checked read (the EOP poll) and by verification. It still never reaches
   * the probe before the previous command's wire time is over. Returns the clock time the
   * operation is expected to end on the wire.
   */
  async swimWriteMemUnchecked(address: number, chunk: Uint8Array): Promise<number> {
    if (chunk.length === 0 || chunk.length > SWIM_MAX_DATA) throw new RangeError(`WRITEMEM length ${chunk.length}`);
    return this.swimUnchecked(StlinkProbe.writeMemBlock(address, chunk), swimWireMs(chunk.length, this.swimSpeed), StlinkProbe.writeMemRest(chunk));
  }

  /** READMEM + READBUF, split into chunks of at most READBUFSIZE bytes, each status-checked. */
  async swimReadMem(address: number, length: number, onChunk?: (done: number) => void): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    const max = this.readBufSize;
    for (let off = 0; off < length; off += max) {
      const n = Math.min(max, length - off);
      const part = await this.swimReadMemChunk(address + off, n, true);
      out.set(part, off);
      onChunk?.(off + n);
    }
    return out;
  }

  /**
   * One READMEM (≤ READBUFSIZE) + READBUF. `checked` polls READSTATUS before READBUF; without
   * it READBUF is timed to arrive after the read's wire time — a READBUF that comes too early
   * returns the previous buffer (docs/spec/stlink-swim.md §7 Q10), so unchecked reads are only for data
   * that is checked again (verification) or re-read checked when it matters.
   */
  async swimReadMemChunk(address: number, len: number, checked: boolean): Promise<Uint8Array> {
    const block = StlinkProbe.memCommand(SWIM.READMEM, address, len);
    const wire = swimWireMs(len, this.swimSpeed);
    if (checked) {
      await this.swimAsync(block, `read ${len} byte(s) at 0x${address.toString(16)}`, wire);
    } else {
      await this.swimUnchecked(block, wire);
      await this.waitSwimIdle();
    }
    return this.command([CMD.SWIM, SWIM.READBUF], undefined, len);
  }

  /** Estimated clock time of one read of `len` bytes, for scheduling work into idle time. */
  estimateReadMs(len: number, checked: boolean): number {
    const transfers = checked ? 5 : 3;
    const perByte = this.pid.highSpeedUsb ? 0.000025 : 0.0008;
    return transfers * this.usbCostMs + len * perByte + swimWireMs(len, this.swimSpeed);
  }

  /** When the last asynchronous command is expected to be (or was seen) over on the wire. */
  get swimIdleTime(): number {
    return this.swimIdleAt;
  }

  /** Is an unchecked read safe enough here? Only when one USB transfer outlasts the margin needed. */
  get fullSpeedUsb(): boolean {
    return !this.pid.highSpeedUsb;
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
