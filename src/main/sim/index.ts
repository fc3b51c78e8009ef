/**
 * The virtual probe: a simulated ST-LINK (V2, V2-1, V3, V3MINIE) with a simulated STM8 of
 * any catalogue part behind it, reached through the layer-1 transport interface. Written
 * from docs/spec/simulator.md, docs/spec/stlink-swim.md and docs/spec/stm8-target.md only — it imports no
 * engine code, so that it can prove the engine wrong. Open questions of the specs are
 * answered in ./CHOICES.md.
 */
import { VirtualClock, type Clock } from '../clock';
import type { UsbDeviceInfo, UsbTransport } from '../usb/transport';
import { findPart } from '#shared/catalogue/index';
import type { Part } from '#shared/catalogue/types';
import { AppError } from '#shared/errors';
import { type Fault, type FaultName, type VirtualVariant } from './faults';
import { StlinkFirmware, type FirmwareFlags } from './firmware';
import type { ProgramCycleCounts, ProgramKind } from './flash-controller';
import { loadBoard, type NewBoard } from './board';
import { captureState, restoreState, type SimState } from './state';
import { Stm8Target, type FirmwareClock } from './target';
import { TimingProfile } from './timing-profile';
import { NOMINAL_TIMING, type TimingVariation } from './timing-variation';
import { Trace, type TraceEntry } from './trace';
import { VirtualUsbDevice, transportFor } from './usb-device';
import { STLINK_VID, VARIANTS, type StlinkMode } from './variants';
import { ViolationLog, type ProtocolViolation } from './violations';

export type { Fault, FaultName, VirtualVariant } from './faults';
export { FAULTS, FAULT_NAMES, VIRTUAL_VARIANTS, formatFault, parseFault, parseVirtualVariant, parseVirtualSpec } from './faults';
export type { SimState } from './state';
export type { NewBoard } from './board';
export { validateState, SIM_STATE_FORMAT } from './state';
export type { TraceEntry } from './trace';
export type { ProgramCycleCounts, ProgramKind } from './flash-controller';
export { hasReadWhileWrite } from './flash-controller';
export { VARIANTS, MODE_CODE } from './variants';
export type { StlinkMode, VariantInfo } from './variants';
export * from './timing';
export type { TimingMode, TimingVariation } from './timing-variation';
export { TIMING_MODES, NOMINAL_TIMING, parseTimingVariation, formatTimingVariation } from './timing-variation';
export type { ProtocolViolation, ViolationRule } from './violations';
export { formatViolation } from './violations';
export { programTimeRange, dmAccessMs, swimOperationMs, DM_CYCLES, STM8L_MAX_OVER_TYP, STM8S_MAX_OVER_TYP, type ProgramTimeRange } from './timing-profile';
export type { ClockSource, FirmwareClock } from './target';

export interface VirtualProbeOptions {
  probe: VirtualVariant;
  /** Catalogue name, stm8flash pattern or alias of the part behind the probe. */
  part: string;
  /** USB serial; default derived from the variant and a per-process counter. The chip's unique ID derives from it. */
  serial?: string;
  faults?: Fault[];
  /** Default: a new VirtualClock. */
  clock?: Clock;
  /** Start from a saved chip (see saveState / the sim serve --state file). */
  state?: SimState;
  /**
   * The probe's mode when the test starts, e.g. 'debug' for a probe another tool left in
   * SWD mode (the engine must send DEBUG_EXIT). Default: the variant's power-up mode.
   * A USB reset or replug returns to the power-up mode.
   */
  initialMode?: StlinkMode;
  /** Timing variation (wire, debug-module access, t_prog, USB latency); default nominal. */
  timing?: TimingVariation;
  /** Called at each protocol violation as it happens (`sim serve` logs them). */
  onViolation?: (v: ProtocolViolation) => void;
}

/** Test and tooling backdoor into the virtual STM8. */
export interface VirtualTarget {
  readonly part: Part;
  /** True contents, bypassing ROP (memories and registers, without read side effects). */
  peek(addr: number, len: number): Uint8Array;
  /** Write true contents of memories (RAM, EEPROM, flash, option page) directly, no timing, no protection. */
  poke(addr: number, bytes: Uint8Array | number[]): void;
  /** Re-run the option load as a reset would (after poking option bytes). */
  reloadOptions(): void;
  /** ROP as latched at the last option load. */
  isRopActive(): boolean;
  /** DM_CSR2.STALL set. */
  isHalted(): boolean;
  isPowered(): boolean;
  isInReset(): boolean;
  /** SWIM entry done and not lost since. */
  isSwimActive(): boolean;
  /** SWIM_CSR.HSIT as it reads now. */
  hsit(): boolean;
  /** SWIM_CSR.HS: the link runs at high speed. */
  highSpeed(): boolean;
  /** Flash controller state (for tests). */
  flashState(): {
    pul: boolean;
    dul: boolean;
    pukrLockedOut: boolean;
    dukrLockedOut: boolean;
    cr2: number;
    ncr2: number;
    busy: boolean;
    /** The program cycle in progress or scheduled by an operation under way (begin may lie ahead), else null. */
    cycle: { kind: ProgramKind; begin: number; end: number } | null;
  };
  /** First flash address that UBC does not protect (flash start when there is no UBC). */
  ubcEnd(): number;
  /** Program cycles started, per mode, since the probe was created. */
  readonly programCycles: ProgramCycleCounts;
  /** The 12-byte unique ID, or null when the part has none. */
  uniqueId(): Uint8Array | null;
  /**
   * Hot-attach scenario: the application switches the CPU to this clock whenever it runs
   * (now, if it is running); null = it keeps the reset clock (HSI/8 = 2 MHz). A reset
   * restores the reset clock until the application runs again.
   */
  setFirmwareClock(clock: FirmwareClock | null): void;
  /** The CPU clock now (Hz), as CLK_CKDIVR and the clock source set it: it paces the debug module. */
  cpuClockHz(): number;
}

export interface VirtualProbe {
  readonly variant: VirtualVariant;
  readonly info: UsbDeviceInfo;
  /** Can be opened and closed repeatedly; the chip persists. */
  readonly transport: UsbTransport;
  readonly clock: Clock;
  readonly target: VirtualTarget;
  setFault(f: Fault): void;
  clearFault(name: FaultName): void;
  faults(): Fault[];
  unplug(): void;
  replug(): void;
  isPlugged(): boolean;
  /** All memories of the chip, for a state file. */
  saveState(): SimState;
  /** The last exchanges on USB. */
  trace(): TraceEntry[];
  /** The timing variation this probe plays. */
  readonly timing: TimingVariation;
  /**
   * Protocol violations since creation or the last clearViolations(), oldest first: every
   * command lost because it arrived while the previous asynchronous SWIM command had not
   * been reported done, every READBUF answered with junk, every write that spoiled a
   * running program cycle (violations.ts, CHOICES.md).
   */
  violations(): ProtocolViolation[];
  /** Forget the recorded violations (e.g. after a test provoked some on purpose). */
  clearViolations(): void;
  /** Take the board off the fixture: the probe stays plugged in and sees no target voltage. */
  removeBoard(): void;
  /** Put a board on the fixture (a fresh chip by default) and power it; see ./board.ts. */
  insertBoard(board: NewBoard): void;
  /** A board is on the fixture (removeBoard was not called, or insertBoard since). */
  hasBoard(): boolean;
}

let probeCounter = 0;

function defaultSerial(prefix: string, n: number): string {
  return (prefix + n.toString(16).toUpperCase().padStart(24 - prefix.length, '0')).slice(0, 24);
}

export function createVirtualProbe(opts: VirtualProbeOptions): VirtualProbe {
  const variantInfo = VARIANTS[opts.probe];
  if (!variantInfo) {
    throw new AppError('bad-probe-variant', `Unknown virtual probe "${String(opts.probe)}".`, `Use one of: ${Object.keys(VARIANTS).join(', ')}.`);
  }
  const part = findPart(opts.part);
  const n = ++probeCounter;
  const serial = opts.serial ?? opts.state?.serial ?? defaultSerial(variantInfo.serialPrefix, n);
  const clock = opts.clock ?? new VirtualClock();
  /** The target lost power because of power-loss-in-program (restored by replug or clearing the fault). */
  let lostPowerInProgram = false;
  const timing = opts.timing ?? NOMINAL_TIMING;
  const profile = new TimingProfile(timing);
  const violations = new ViolationLog(opts.onViolation);
  const target = new Stm8Target({
    part,
    serial,
    onProgramPowerLoss: () => {
      lostPowerInProgram = true;
    },
    programTimeMs: (kind) => profile.programMs(part, kind),
    onWriteDuringCycle: (t, what, cycle) =>
      violations.add({
        at: t,
        rule: 'write-during-program-cycle',
        command: violations.currentCommand,
        reason: `${what} while a ${cycle.kind} cycle at 0x${cycle.start.toString(16)} runs until ${cycle.end.toFixed(3)} ms: that block is left undefined`,
      }),
  });
  if (opts.state) restoreState(target, opts.state);
  const flags: FirmwareFlags = { cloneVoltage: false };
  const firmware = new StlinkFirmware(variantInfo, target, clock, flags, profile, violations, opts.initialMode);
  const trace = new Trace();
  const info: UsbDeviceInfo = {
    vendorId: STLINK_VID,
    productId: variantInfo.productId,
    serialNumber: serial,
    productName: variantInfo.productName,
    portPath: `virtual-${n}`,
    kind: 'virtual',
  };
  const faults = new Map<FaultName, Fault>();
  const device = new VirtualUsbDevice(info, clock, firmware, trace, profile, () => {
    // Unplugging drops the probe's drive of NRST and SWIM; the firmware starts afresh on replug.
    target.setNrst(false, clock.now());
  });
  const transport = transportFor(device);

  const now = (): number => clock.now();

  /**
   * Each fault's two halves side by side: what playing it does, and what ending it undoes.
   * `set` runs after the fault is recorded, `clear` after it is forgotten.
   */
  const faultEffects: Record<FaultName, { set(f: Fault): void; clear(): void }> = {
    'no-power': {
      set: () => target.powerOff(now()),
      clear: () => {
        if (!lostPowerInProgram || !faults.has('power-loss-in-program')) target.powerOn(now());
      },
    },
    'no-swim-wire': {
      set: () => (target.noSwimWire = true),
      clear: () => (target.noSwimWire = false),
    },
    'no-nrst': {
      set: () => target.setNoNrstWire(true, now()),
      clear: () => target.setNoNrstWire(false, now()),
    },
    'swim-disabled': {
      set: () => target.setFirmwareDisablesSwim(true),
      clear: () => target.setFirmwareDisablesSwim(false),
    },
    rop: {
      set: () => {
        if (target.mem.flash.every((b) => b === 0)) target.fillWithApplication(2048, 64);
        target.forceRop();
      },
      clear: () => {
        // Backdoor: unprotected again without the erase a real removal costs.
        target.poke(part.rop.address, [part.rop.unprotectedValue], now());
        target.restoreRopLatch(false);
      },
    },
    'bad-complement': {
      set: (f) => {
        const pair = target.complementPairForFault();
        if (!pair || pair.complementAddress === null) {
          faults.delete(f.name);
          throw new AppError(
            'bad-fault',
            `Fault "bad-complement" needs a part whose option bytes have complements; ${part.name} has none.`,
            'Choose an STM8S/STM8AF part, e.g. stm8s103f3.',
          );
        }
        const v = target.peek(pair.address, 1, now())[0];
        // The complement is off by one bit: visible to an engine that checks the pairs.
        target.poke(pair.complementAddress, [~v & 0xfe], now());
      },
      clear: () => {
        const pair = target.complementPairForFault();
        if (pair && pair.complementAddress !== null) {
          const v = target.peek(pair.address, 1, now())[0];
          target.poke(pair.complementAddress, [~v & 0xff], now());
        }
      },
    },
    ubc: {
      set: (f) => target.forceUbc(f.arg ?? 2),
      clear: () => target.forceUbc(0),
    },
    busy: {
      set: () => (device.faults.busy = true),
      clear: () => (device.faults.busy = false),
    },
    'unplug-after': {
      set: (f) => (device.faults.unplugAfter = f.arg ?? 0),
      clear: () => (device.faults.unplugAfter = null),
    },
    'timeout-after': {
      set: (f) => (device.faults.timeoutAfter = f.arg ?? 0),
      clear: () => {
        device.faults.timeoutAfter = null;
        device.hung = false;
      },
    },
    'power-loss-in-program': {
      set: (f) => target.armPowerLoss(f.arg ?? 1),
      clear: () => {
        target.armPowerLoss(null);
        if (lostPowerInProgram && !faults.has('no-power')) target.powerOn(now());
        lostPowerInProgram = false;
      },
    },
    'clone-voltage': {
      set: () => (flags.cloneVoltage = true),
      clear: () => (flags.cloneVoltage = false),
    },
    'lsi-clock': {
      set: () => target.setFirmwareClock({ source: 'lsi', ckdivr: 0x00 }),
      // The firmware stops switching; the clock it set stays until the next reset.
      clear: () => target.setFirmwareClock(null),
    },
  };

  function setFault(f: Fault): void {
    faults.set(f.name, f);
    faultEffects[f.name].set(f);
  }

  function clearFault(name: FaultName): void {
    faults.delete(name);
    faultEffects[name].clear();
  }

  for (const f of opts.faults ?? []) setFault(f);

  let boardOn = true;

  const vt: VirtualTarget = {
    part,
    peek: (addr, len) => target.peek(addr, len, now()),
    poke: (addr, bytes) => target.poke(addr, bytes, now()),
    reloadOptions: () => target.reloadOptions(now()),
    isRopActive: () => target.isRopActive(),
    isHalted: () => target.isHalted(),
    isPowered: () => target.powered,
    isInReset: () => target.isInReset(),
    isSwimActive: () => target.swimActive,
    hsit: () => target.hsit(now()),
    highSpeed: () => target.highSpeed(),
    flashState: () => {
      const f = target.flash;
      return { pul: f.pul, dul: f.dul, pukrLockedOut: f.pukrLockedOut, dukrLockedOut: f.dukrLockedOut, cr2: f.cr2, ncr2: f.ncr2, busy: f.busyAt(now()), cycle: f.cycleAt(now()) };
    },
    ubcEnd: () => target.ubcEnd(),
    get programCycles() {
      return target.programCycles();
    },
    uniqueId: () => (part.uidAddress === null ? null : target.peek(part.uidAddress, 12, now())),
    setFirmwareClock: (c) => target.setFirmwareClock(c),
    cpuClockHz: () => target.cpuClockHz(),
  };

  return {
    variant: opts.probe,
    info,
    transport,
    clock,
    target: vt,
    setFault,
    clearFault,
    faults: () => [...faults.values()],
    unplug: () => device.unplug(),
    replug: () => {
      if (device.plugged) return;
      device.plugged = true;
      device.hung = false;
      firmware.wedge = 'none';
      firmware.restart();
      if (lostPowerInProgram) {
        lostPowerInProgram = false;
        faults.delete('power-loss-in-program');
        target.armPowerLoss(null);
        if (!faults.has('no-power')) target.powerOn(now());
      }
    },
    isPlugged: () => device.plugged,
    saveState: () => captureState(target, serial, opts.probe, now()),
    trace: () => trace.entries(),
    timing,
    violations: () => violations.entries(),
    clearViolations: () => violations.clear(),
    removeBoard: () => {
      boardOn = false;
      target.powerOff(now());
    },
    insertBoard: (board) => {
      target.powerOff(now());
      loadBoard(target, board);
      boardOn = true;
      if (!faults.has('no-power') && !lostPowerInProgram) target.powerOn(now());
    },
    hasBoard: () => boardOn,
  };
}
