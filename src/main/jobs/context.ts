/**
 * What every job shares: progress reporting, cancellation between blocks, timing, and the
 * clean-up that leaves the chip in a known state when a job fails or is cancelled (flash
 * controller locked, target reset and stalled) — unless the probe itself is gone.
 */
import { AppError } from '#shared/errors';
import { isProbeGone } from '../usb/errors';
import type { Stm8Session } from '../stm8/session';
import type { JobOptions, JobPhase, PhaseProgress } from './types';

export class JobContext {
  readonly startedAt: number;
  readonly transfersAtStart: number;

  constructor(
    readonly session: Stm8Session,
    private readonly opts: JobOptions,
  ) {
    this.startedAt = session.clock.now();
    this.transfersAtStart = session.probe.stats.transfers;
  }

  get elapsedMs(): number {
    return this.session.clock.now() - this.startedAt;
  }

  get transfers(): number {
    return this.session.probe.stats.transfers - this.transfersAtStart;
  }

  progress(phase: JobPhase, done: number, total: number, address: number, unit: PhaseProgress['unit'] = 'bytes'): void {
    this.opts.onProgress?.({ phase, done, total, address, unit });
  }

  /** Throw 'cancelled' when the caller aborted. Call between blocks / chunks only. */
  checkAbort(): void {
    if (this.opts.signal?.aborted) {
      throw new AppError('cancelled', 'Cancelled.', 'Run the operation again when you are ready; the chip may hold a partial result.');
    }
  }

  get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }
}

/**
 * After a failure or cancel: lock the flash controller and reset the target (left stalled),
 * as far as the probe is still there. Never throws; returns what it managed, for the log.
 */
async function secureTarget(session: Stm8Session, cause: unknown): Promise<{ locked: boolean; reset: boolean }> {
  const out = { locked: false, reset: false };
  if (isProbeGone(cause) || session.probe.isClosed) return out;
  try {
    await session.flash.lock();
    out.locked = true;
  } catch {
    /* the link may be down; the reset below also locks */
  }
  try {
    await session.reset({ halt: true });
    out.reset = true;
    out.locked = true; // a reset clears PUL/DUL
  } catch {
    /* nothing more we can do */
  }
  return out;
}

/** Run a job body; on any failure secure the target, then rethrow with what was done in details. */
export async function guarded<T>(ctx: JobContext, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    const secured = await secureTarget(ctx.session, e);
    if (e instanceof AppError) {
      throw new AppError(e.code, e.message, e.remedy, { ...(e.details ?? {}), flashLocked: secured.locked, targetReset: secured.reset });
    }
    throw e;
  }
}
