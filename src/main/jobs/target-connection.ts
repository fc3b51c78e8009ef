/**
 * The one object faces use: open a probe (USB, virtual or socket), connect to the target,
 * run jobs, close. CLI, app and diagnostics call this instead of repeating the plumbing.
 * After a job the session stays attached (CPU stalled); `close()` by default resets the chip
 * so it runs its firmware, and releases the probe.
 */
import { AppError } from '#shared/errors';
import { findPart } from '#shared/catalogue/index';
import type { Part } from '#shared/catalogue/types';
import { RealClock } from '../clock';
import { openProbe, virtualSpecPart, type ProbeChoice } from '../probes/index';
import { StlinkProbe, type ProbeIdentity, type StlinkOpenOptions, type TargetVoltage } from '../stlink/probe';
import { Stm8Session, type SwimConnectOptions, type ConnectReport } from '../stm8/session';
import type { UsbTransport } from '../usb/transport';
import type { Clock } from '../clock';
import { blankCheck, eraseMemory } from './erase';
import { readOptionBytes, writeOptionBytes } from './option-bytes';
import { programImage } from './program';
import { writeRam } from './ram';
import { readMemory } from './read';
import { unlockChip } from './unlock';
import { compareImage, verifyImage } from './verify';
import type {
  Comparison,
  BlankCheckReport,
  EraseReport,
  ImageLike,
  JobOptions,
  MemoryRequest,
  OptionBytesReport,
  ProgramJobOptions,
  ProgramReport,
  RamWriteReport,
  ReadResult,
  UnlockReport,
  VerifyReport,
  WriteOptionBytesReport,
  OptionBytesChanges,
} from './types';

export interface ConnectTargetOptions extends ProbeChoice, SwimConnectOptions {
  /** Part name (exact, stm8flash pattern or alias) or a Part. With --virtual it defaults to the spec's part. */
  part?: string | Part;
  /** Use this transport instead of a selection (tests, bench: e.g. a VirtualProbe's transport). */
  transport?: UsbTransport;
  /** Layer-2 options (timeouts, trace size, clock). */
  probeOptions?: StlinkOpenOptions;
}

/** Resolve the part: explicit, else the virtual spec's; none → 'part-required'. */
function resolvePart(opts: Pick<ConnectTargetOptions, 'part' | 'virtual'>): Part {
  if (opts.part && typeof opts.part !== 'string') return opts.part;
  const name = opts.part ?? (opts.virtual ? virtualSpecPart(opts.virtual) : undefined);
  if (!name) {
    throw new AppError('part-required', 'Which STM8 is on the board? No part was given.', 'Name the part, e.g. stm8s103f3 (the catalogue lists them all).');
  }
  return findPart(name);
}

/**
 * Open the probe and connect to the target. On failure the probe is released again.
 * Errors: those of openProbe (no probe, no SWIM, busy, permission…), 'unknown-part',
 * 'part-required', 'target-no-response', 'target-not-powered'.
 */
export async function connectTarget(opts: ConnectTargetOptions): Promise<TargetConnection> {
  const part = resolvePart(opts);
  let probe: StlinkProbe;
  if (opts.transport) {
    const clock: Clock = opts.probeOptions?.clock ?? opts.transport.clock ?? new RealClock();
    probe = await StlinkProbe.open(opts.transport, { ...opts.probeOptions, clock });
  } else {
    probe = await openProbe({ probe: opts.probe, virtual: opts.virtual, simSocket: opts.simSocket }, opts.probeOptions);
  }
  try {
    const session = await Stm8Session.connect(probe, part, opts);
    return new TargetConnection(probe, session);
  } catch (e) {
    await probe.close().catch(() => undefined);
    throw e;
  }
}

export class TargetConnection {
  private closed = false;

  constructor(
    readonly probe: StlinkProbe,
    readonly session: Stm8Session,
  ) {}

  get part(): Part {
    return this.session.part;
  }

  get identity(): ProbeIdentity {
    return this.probe.identity;
  }

  get connectReport(): ConnectReport {
    return this.session.report;
  }

  get clock(): Clock {
    return this.probe.clock;
  }

  get voltage(): TargetVoltage {
    return this.session.report.voltage;
  }

  /** Reattach when an earlier failure or reset left the session detached. */
  private async ready(): Promise<Stm8Session> {
    if (this.closed) throw new AppError('connection-closed', 'This connection was closed.', 'Connect again.');
    if (!this.session.isAttached) await this.session.attach();
    return this.session;
  }

  async read(req: MemoryRequest, opts?: JobOptions): Promise<ReadResult> {
    return readMemory(await this.ready(), req, opts);
  }

  async program(image: ImageLike, opts?: ProgramJobOptions): Promise<ProgramReport> {
    return programImage(await this.ready(), image, opts);
  }

  async verify(image: ImageLike, opts?: JobOptions): Promise<VerifyReport> {
    return verifyImage(await this.ready(), image, opts);
  }

  /** Verify, a difference being a result (its first mismatches) rather than an error. */
  async compare(image: ImageLike, opts?: JobOptions): Promise<Comparison> {
    return compareImage(await this.ready(), image, opts);
  }

  async erase(req: MemoryRequest, opts?: JobOptions): Promise<EraseReport> {
    return eraseMemory(await this.ready(), req, opts);
  }

  async blankCheck(req: MemoryRequest, opts?: JobOptions): Promise<BlankCheckReport> {
    return blankCheck(await this.ready(), req, opts);
  }

  async writeRam(start: number, data: Uint8Array, opts?: JobOptions & { verify?: boolean }): Promise<RamWriteReport> {
    return writeRam(await this.ready(), start, data, opts);
  }

  async readOptionBytes(opts?: JobOptions): Promise<OptionBytesReport> {
    return readOptionBytes(await this.ready(), opts);
  }

  async writeOptionBytes(req: OptionBytesChanges, opts?: JobOptions): Promise<WriteOptionBytesReport> {
    return writeOptionBytes(await this.ready(), req, opts);
  }

  async unlock(opts?: JobOptions): Promise<UnlockReport> {
    return unlockChip(await this.ready(), opts);
  }

  /** Reset the chip; `halt` keeps it stalled and attached, otherwise its firmware runs. */
  async reset(opts: { halt?: boolean } = {}): Promise<void> {
    const s = await this.ready();
    await s.reset({ halt: opts.halt ?? false });
  }

  /**
   * End: by default reset the chip so it runs its firmware (resume: false leaves it
   * stalled), leave SWIM mode and release the probe. Never throws for a probe that is gone.
   */
  async close(opts: { resume?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.probe.isClosed) await this.session.disconnect({ resume: opts.resume !== false });
    } catch {
      /* the target or probe may be gone; releasing the probe still matters */
    }
    await this.probe.close().catch(() => undefined);
  }
}
