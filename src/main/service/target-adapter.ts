/**
 * TargetPort on the engine's TargetConnection (src/main/jobs): converts the contract's
 * segments and options into the engine's image and job options, its progress into words,
 * option-byte confirmations by field name into the engine's switches, and notices when the
 * probe is gone.
 */
import { AppError } from '../../shared/errors';
import { dangerousChanges, isRopActive } from '../../shared/catalogue/index';
import type { Part } from '../../shared/catalogue/types';
import type { ConnectionInfo, MemoryArea, Mismatch, OptionBytesResult, Segment, WriteOptionBytesRequest } from '../../shared/ipc';
import { targetOptionImage } from '../jobs/index';
import type { TargetConnection } from '../jobs/index';
import type { JobOptions, JobPhase, PhaseProgress as EngineProgress, OptionBytesReport, OptionBytesChanges as EngineOptionRequest } from '../jobs/types';
import { isProbeGone } from '../usb/errors';
import type { JobContext } from './job-runner';
import type { BlankOutcome, TargetPort, VerifyOutcome, WorkDone } from './engine-port';
import { areaWords } from './memory-map';

const PHASE_WORDS: Record<JobPhase, string> = {
  read: 'reading',
  compare: 'comparing with the chip',
  erase: 'erasing',
  program: 'writing',
  verify: 'verifying',
  'blank-check': 'blank checking',
  'option-bytes': 'writing option bytes',
  unlock: 'removing read-out protection',
  reset: 'resetting the target',
  ram: 'writing RAM',
};

type LostListener = (reason: { code: string; message: string; remedy?: string }) => void;
type OptionReading = Omit<OptionBytesResult, 'report'>;

/** The engine's job options for one job of the runner: its signal and its progress in words. */
function jobOptions(ctx: JobContext, what?: string): JobOptions {
  return {
    signal: ctx.signal,
    onProgress: (p: EngineProgress) => ctx.progress(what ? `${PHASE_WORDS[p.phase]} ${what}` : PHASE_WORDS[p.phase], p.done, p.total),
  };
}

function imageOf(segments: Segment[]): { segments: { address: number; data: Uint8Array }[] } {
  return { segments: [...segments].sort((a, b) => a.address - b.address).map((s) => ({ address: s.address, data: s.data })) };
}

function areasWords(segments: Segment[]): string {
  return [...new Set(segments.map((s) => areaWords(s.region)))].join(' and ');
}

/** A 'verify-failed' error from the engine, as data; null for any other error. */
export function verifyFailure(e: unknown): { mismatchCount: number; mismatches: Mismatch[] } | null {
  if (!(e instanceof AppError) || e.code !== 'verify-failed') return null;
  const d = e.details as { mismatches?: Mismatch[]; count?: number } | undefined;
  const mismatches = (d?.mismatches ?? []).map((m) => ({ address: m.address, expected: m.expected, actual: m.actual }));
  return { mismatchCount: d?.count ?? mismatches.length, mismatches };
}

export function optionReading(r: OptionBytesReport): OptionReading {
  return {
    raw: { region: 'option', address: r.start, data: r.raw },
    bytes: r.decoded.map((d) => ({
      name: d.name,
      address: d.address,
      value: d.value ?? 0,
      complement: d.complementValue,
      complementOk: d.complementOk,
      fields: d.fields.map((f) => ({ name: f.name, value: f.value, ...(f.meaning ? { meaning: f.meaning } : {}) })),
    })),
    readProtected: r.ropActive,
  };
}

/** The contract's option-byte request in the engine's terms (fields by name, raw bytes by address). */
export function engineOptionRequest(req: WriteOptionBytesRequest): EngineOptionRequest {
  const out: EngineOptionRequest = {};
  if (req.fields?.length) out.changes = Object.fromEntries(req.fields.map((f) => [f.field, f.value]));
  if (req.raw?.length) out.bytes = req.raw.map((b) => ({ address: b.address, value: b.value }));
  return out;
}

/**
 * Refuses, before anything is written, a change to a dangerous field (or enabling ROP) that
 * the user did not confirm by name. The engine has one switch per kind; the app asks per
 * field, so the renderer can show exactly what will be confirmed (details.confirmations).
 */
export function checkConfirmations(part: Part, current: Uint8Array, start: number, req: WriteOptionBytesRequest): void {
  const now = new Map<number, number>();
  for (let i = 0; i < current.length; i++) now.set(start + i, current[i]);
  const after = targetOptionImage(part, now, engineOptionRequest(req));
  const before = new Map(part.optionBytes.map((ob) => [ob.address, now.get(ob.address) ?? ob.factory] as const));
  const needed = new Map<string, string>();
  for (const d of dangerousChanges(part, before, after)) needed.set(d.field, d.warning);
  const ropAddr = part.rop.address;
  if (!isRopActive(part, now.get(ropAddr) ?? 0) && isRopActive(part, after.get(ropAddr) ?? 0)) {
    needed.set('ROP', 'Read-out protection: the chip can then only be unlocked by erasing it.');
  }
  const missing = [...needed.keys()].filter((f) => !req.confirmations.includes(f));
  if (missing.length > 0) {
    throw new AppError(
      'confirmation-required',
      `Confirm the change of ${missing.join(', ')} first: ${missing.map((f) => needed.get(f)).join(' ')}`,
      'Tick the confirmation for each of these fields and write again.',
      { confirmations: missing },
    );
  }
}

export class SessionTarget implements TargetPort {
  private readonly lost = new Set<LostListener>();
  private gone = false;
  private closed = false;

  constructor(
    readonly info: ConnectionInfo,
    private readonly conn: TargetConnection,
  ) {}

  onLost(listener: LostListener): void {
    this.lost.add(listener);
  }

  /** Runs one engine call; a probe that vanished during it ends the connection. */
  private async guard<T>(body: () => Promise<T>): Promise<T> {
    if (this.gone || this.closed) {
      throw new AppError('not-connected', 'The probe is no longer connected.', 'Plug the probe back in and connect again.');
    }
    try {
      return await body();
    } catch (e) {
      if (isProbeGone(e)) this.markLost(e);
      throw e;
    }
  }

  private markLost(e: unknown): void {
    if (this.gone) return;
    this.gone = true;
    const err = e instanceof AppError ? e : new AppError('probe-unplugged', 'The probe was unplugged.', 'Plug it back in and connect again.');
    for (const l of this.lost) l({ code: err.code, message: err.message, ...(err.remedy ? { remedy: err.remedy } : {}) });
    void this.conn.close().catch(() => undefined);
  }

  read(region: MemoryArea, address: number, length: number, ctx: JobContext): Promise<{ data: Uint8Array; protected: boolean }> {
    return this.guard(async () => {
      const r = await this.conn.read({ start: address, length }, jobOptions(ctx, areaWords(region)));
      return { data: r.data, protected: r.protected };
    });
  }

  program(segments: Segment[], opts: { verifyAfterWrite: boolean; skipUnchanged: boolean }, ctx: JobContext): Promise<WorkDone & { verify?: VerifyOutcome }> {
    return this.guard(async () => {
      const r = await this.conn.program(imageOf(segments), { ...jobOptions(ctx, areasWords(segments)), verify: opts.verifyAfterWrite, skipUnchanged: opts.skipUnchanged });
      const done: WorkDone & { verify?: VerifyOutcome } = {
        bytes: r.imageBytes,
        blocksWritten: r.blocksWritten,
        blocksSkipped: r.blocksSkipped,
        verified: r.verified,
      };
      // Which programming modes were used (fast block mode needs a block the chip holds erased).
      const modes = [
        r.blocksFast ? `${r.blocksFast} in fast mode` : '',
        r.blocksStandard ? `${r.blocksStandard} in standard mode` : '',
        r.blocksErased ? `${r.blocksErased} by block erase` : '',
      ].filter(Boolean);
      if (modes.length > 1) done.note = modes.join(', ');
      if (r.verified) done.verify = { bytes: r.bytesVerified, mismatchCount: 0, mismatches: [] };
      return done;
    });
  }

  verify(segments: Segment[], ctx: JobContext): Promise<VerifyOutcome> {
    return this.guard(async () => {
      const bytes = segments.reduce((n, s) => n + s.data.length, 0);
      try {
        const r = await this.conn.verify(imageOf(segments), jobOptions(ctx, areasWords(segments)));
        return { bytes: r.bytesCompared, mismatchCount: 0, mismatches: [] };
      } catch (e) {
        const f = verifyFailure(e);
        if (!f) throw e;
        return { bytes, ...f };
      }
    });
  }

  erase(region: 'flash' | 'eeprom', ctx: JobContext): Promise<WorkDone> {
    return this.guard(async () => {
      const r = await this.conn.erase({ region }, jobOptions(ctx, areaWords(region)));
      return { bytes: r.length, blocksWritten: r.blocksErased, blocksSkipped: r.blocksSkipped };
    });
  }

  blankCheck(region: 'flash' | 'eeprom', ctx: JobContext): Promise<BlankOutcome> {
    return this.guard(async () => {
      const r = await this.conn.blankCheck({ region }, jobOptions(ctx, areaWords(region)));
      return { bytes: r.length, firstNonBlank: r.firstNonBlank, nonBlankCount: r.nonBlankBytes };
    });
  }

  writeRam(address: number, data: Uint8Array, ctx: JobContext): Promise<WorkDone> {
    return this.guard(async () => {
      const r = await this.conn.writeRam(address, data, { ...jobOptions(ctx, 'RAM'), verify: true });
      return { bytes: r.length, verified: r.verified };
    });
  }

  readOptionBytes(ctx: JobContext): Promise<OptionReading> {
    return this.guard(async () => optionReading(await this.conn.readOptionBytes(jobOptions(ctx, 'option bytes'))));
  }

  writeOptionBytes(req: WriteOptionBytesRequest, ctx: JobContext): Promise<WorkDone & { after: OptionReading }> {
    return this.guard(async () => {
      const part = this.conn.part;
      const now = await this.conn.read({ start: part.option.start, length: part.option.size }, { signal: ctx.signal });
      checkConfirmations(part, now.data, part.option.start, req);
      const r = await this.conn.writeOptionBytes({ ...engineOptionRequest(req), confirmProtect: true, confirmDangerous: true }, jobOptions(ctx));
      return {
        bytes: r.written.length,
        note: r.written.length === 0 ? 'nothing to change' : `${r.unchanged} unchanged; takes effect after a reset`,
        after: optionReading(r.after),
      };
    });
  }

  unlock(ctx: JobContext): ReturnType<TargetPort['unlock']> {
    return this.guard(async () => {
      const r = await this.conn.unlock(jobOptions(ctx));
      const erased = r.erased.map((e) => e.region).filter((x): x is MemoryArea => x === 'flash' || x === 'eeprom' || x === 'option' || x === 'ram');
      const words = erased.map(areaWords).join(' and ');
      return {
        bytes: r.erased.reduce((n, e) => n + e.size, 0),
        note: r.wasProtected ? `${r.method} method; erased ${words || 'nothing'}; ${r.blank ? 'chip blank' : 'chip NOT blank'}` : 'the chip was not protected',
        method: r.method,
        wasProtected: r.wasProtected,
        blank: r.blank,
        erased,
        after: optionReading(r.optionBytes),
      };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.gone) return;
    // Leave the target running its firmware; TargetConnection.close never throws for a gone probe.
    await this.conn.close({ resume: true }).catch(() => undefined);
  }
}
