/**
 * TargetPort on a connected Stm8Session and the engine's jobs (src/main/jobs): converts
 * the contract's segments and options into the engine's image and job options, its
 * progress into the contract's words, and notices when the probe is gone.
 */
import { AppError } from '../../shared/errors';
import type { ConnectionInfo, MemoryArea, Mismatch, Segment } from '../../shared/ipc';
import { blankCheck, eraseMemory } from '../jobs/erase';
import { programImage } from '../jobs/program';
import { writeRam } from '../jobs/ram';
import { readMemory } from '../jobs/read';
import type { JobOptions, JobPhase, JobProgress as EngineProgress } from '../jobs/types';
import { verifyImage } from '../jobs/verify';
import type { Stm8Session } from '../stm8/session';
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

/** A 'verify-failed' error from the engine, as data; anything else is rethrown. */
export function verifyFailure(e: unknown): { mismatchCount: number; mismatches: Mismatch[] } | null {
  if (!(e instanceof AppError) || e.code !== 'verify-failed') return null;
  const d = e.details as { mismatches?: Mismatch[]; count?: number } | undefined;
  const mismatches = (d?.mismatches ?? []).map((m) => ({ address: m.address, expected: m.expected, actual: m.actual }));
  return { mismatchCount: d?.count ?? mismatches.length, mismatches };
}

export class SessionTarget implements TargetPort {
  private readonly lost = new Set<LostListener>();
  private gone = false;
  private closed = false;

  constructor(
    readonly info: ConnectionInfo,
    private readonly session: Stm8Session,
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
    void this.session.probe.close().catch(() => undefined);
  }

  read(region: MemoryArea, address: number, length: number, ctx: JobContext): Promise<Uint8Array> {
    return this.guard(async () => (await readMemory(this.session, { start: address, length }, jobOptions(ctx, areaWords(region)))).data);
  }

  program(segments: Segment[], opts: { verifyAfterWrite: boolean; skipUnchanged: boolean }, ctx: JobContext): Promise<WorkDone & { verify?: VerifyOutcome }> {
    return this.guard(async () => {
      const r = await programImage(this.session, imageOf(segments), { ...jobOptions(ctx, areasWords(segments)), verify: opts.verifyAfterWrite, skipUnchanged: opts.skipUnchanged });
      const done: WorkDone & { verify?: VerifyOutcome } = {
        bytes: r.imageBytes,
        blocksWritten: r.blocksWritten,
        blocksSkipped: r.blocksSkipped,
        verified: r.verified,
      };
      if (r.blocksFast + r.blocksStandard + r.blocksErased > 0) {
        done.note = `${r.blocksFast} fast, ${r.blocksStandard} standard, ${r.blocksErased} by erase`;
      }
      if (r.verified) done.verify = { bytes: r.bytesVerified, mismatchCount: 0, mismatches: [] };
      return done;
    });
  }

  verify(segments: Segment[], ctx: JobContext): Promise<VerifyOutcome> {
    return this.guard(async () => {
      const bytes = segments.reduce((n, s) => n + s.data.length, 0);
      try {
        const r = await verifyImage(this.session, imageOf(segments), jobOptions(ctx, areasWords(segments)));
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
      const r = await eraseMemory(this.session, { region }, jobOptions(ctx, areaWords(region)));
      return { bytes: r.length, blocksWritten: r.blocksErased, blocksSkipped: r.blocksSkipped };
    });
  }

  blankCheck(region: 'flash' | 'eeprom', ctx: JobContext): Promise<BlankOutcome> {
    return this.guard(async () => {
      const r = await blankCheck(this.session, { region }, jobOptions(ctx, areaWords(region)));
      return { bytes: r.length, firstNonBlank: r.firstNonBlank, nonBlankCount: r.nonBlankBytes };
    });
  }

  writeRam(address: number, data: Uint8Array, ctx: JobContext): Promise<WorkDone> {
    return this.guard(async () => {
      const r = await writeRam(this.session, address, data, { ...jobOptions(ctx), verify: true });
      return { bytes: r.length, verified: r.verified };
    });
  }

  readOptionBytes(): ReturnType<TargetPort['readOptionBytes']> {
    return Promise.reject(new AppError('not-supported', 'Reading option bytes is not wired yet.'));
  }

  writeOptionBytes(): ReturnType<TargetPort['writeOptionBytes']> {
    return Promise.reject(new AppError('not-supported', 'Writing option bytes is not wired yet.'));
  }

  unlock(): ReturnType<TargetPort['unlock']> {
    return Promise.reject(new AppError('not-supported', 'Unlock is not wired yet.'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.gone) return;
    try {
      // Leave the target running its firmware (the engine's default after a job).
      await this.session.disconnect({ resume: true });
    } catch {
      // The link may already be down; releasing the probe below still matters.
    }
    try {
      await this.session.probe.close();
    } catch {
      // Nothing more can be done; the next connect reopens from scratch.
    }
  }
}
