/**
 * One job at a time. The app drives one probe; the ST-LINK protocol is strictly
 * request/response, so two jobs interleaving their transfers would corrupt both. A second
 * job request while one runs is refused at once with 'busy' (never queued behind a long
 * program, never tangled), naming what runs and how to stop it.
 *
 * Each job gets an id, an AbortSignal (cancelJob), and a progress callback that becomes
 * throttled 'jobProgress' events with a time-left estimate; its start and end become
 * 'jobState' events.
 */
import { AppError, toErrorData } from '#shared/errors';
import type { AppErrorData, ErrorCode } from '#shared/errors';
import type { JobInfo, JobKind, JobProgress, JobReport, JobStateEvent } from '#shared/ipc';
import { estimateRemainingMs } from './eta';

/** The job that runs now, as its work sees it (the engine's jobs have their own JobContext). */
export interface RunningJob {
  jobId: string;
  signal: AbortSignal;
  /** Report progress; `phase` in words ("writing flash"), done/total in any unit (bytes, blocks). */
  progress(phase: string, done: number, total: number): void;
}

export interface JobEvents {
  progress(p: JobProgress): void;
  state(s: JobStateEvent): void;
}

const KIND_WORDS: Record<JobKind, string> = {
  connect: 'connect',
  read: 'read',
  program: 'program',
  verify: 'verify',
  erase: 'erase',
  blankCheck: 'blank check',
  writeRam: 'RAM write',
  readOptionBytes: 'option-byte read',
  writeOptionBytes: 'option-byte write',
  unlock: 'unlock',
  diagnostics: 'diagnostics',
};

export function jobWords(kind: JobKind): string {
  return KIND_WORDS[kind];
}

/** True when an error means "stopped because cancelled" rather than "failed". */
export function isCancellation(e: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  const code = (e as { code?: unknown } | null)?.code;
  const name = (e as { name?: unknown } | null)?.name;
  return code === 'cancelled' || code === 'aborted' || name === 'AbortError' || e === signal.reason;
}

export class JobRunner {
  private current: { info: JobInfo; controller: AbortController; settled: Promise<void> } | null = null;
  private counter = 0;

  constructor(
    private readonly events: JobEvents,
    /** Wall-clock milliseconds (for the ETA and throttling; the UI lives in wall time). */
    private readonly now: () => number = () => performance.now(),
    /** Minimum wall time between two progress events of one job. */
    private readonly progressIntervalMs = 50,
    private readonly epoch: () => number = Date.now,
  ) {}

  get running(): JobInfo | null {
    return this.current ? { ...this.current.info } : null;
  }

  /** Throws 'busy' if a job is running (for requests that are not jobs but must not overlap one). */
  assertIdle(what: string): void {
    if (this.current) throw busyError(this.current.info, what);
  }

  /**
   * Runs `work` as the one job. `report` turns its result into the JobReport sent with
   * the 'done' state. Rejects with the work's error (as AppError data) or 'cancelled'.
   */
  async run<T>(kind: JobKind, work: (job: RunningJob) => Promise<T>, report: (result: T, durationMs: number, jobId: string) => JobReport): Promise<T> {
    if (this.current) throw busyError(this.current.info, jobWords(kind));
    const jobId = `job-${++this.counter}`;
    const controller = new AbortController();
    const info: JobInfo = { jobId, kind, startedAt: this.epoch() };
    let settle!: () => void;
    this.current = { info, controller, settled: new Promise<void>((r) => (settle = r)) };
    const t0 = this.now();
    let lastSent = -Infinity;
    let lastPhase = '';
    // Time left is estimated per phase (writing, then verifying...): done/total restart with
    // each phase, so the clock for the estimate restarts too, when the previous phase ended.
    let phase0 = '';
    let phaseStart = t0;
    let lastCall = t0;
    const ctx: RunningJob = {
      jobId,
      signal: controller.signal,
      progress: (phase, done, total) => {
        const t = this.now();
        if (phase !== phase0) {
          phase0 = phase;
          phaseStart = lastCall;
        }
        lastCall = t;
        const finished = total > 0 && done >= total;
        // Throttle, but never drop a phase change or the final step: the UI shows both.
        if (phase === lastPhase && !finished && t - lastSent < this.progressIntervalMs) return;
        lastSent = t;
        lastPhase = phase;
        this.events.progress({ jobId, kind, phase, done, total, etaMs: estimateRemainingMs(t - phaseStart, done, total) });
      },
    };
    this.events.state({ jobId, kind, state: 'running' });
    try {
      const result = await work(ctx);
      const r = report(result, Math.round(this.now() - t0), jobId);
      this.events.state({ jobId, kind, state: 'done', report: r });
      return result;
    } catch (e) {
      const cancelled = isCancellation(e, controller.signal);
      const error: AppErrorData = cancelled
        ? { code: 'cancelled', message: `The ${jobWords(kind)} was cancelled.`, remedy: 'Nothing more was written; run it again when ready.' }
        : toErrorData(e);
      this.events.state({ jobId, kind, state: cancelled ? 'cancelled' : 'failed', error });
      // Passed on as it came (a transport's own code included), only re-wrapped.
      throw new AppError(error.code as ErrorCode, error.message, error.remedy, error.details);
    } finally {
      this.current = null;
      settle();
    }
  }

  /** Resolves when no job runs (at once when idle). */
  idle(): Promise<void> {
    return this.current ? this.current.settled : Promise.resolve();
  }

  /** Asks the running job (or only `jobId`) to stop between blocks. */
  cancel(jobId?: string): boolean {
    const c = this.current;
    if (!c || (jobId !== undefined && c.info.jobId !== jobId)) return false;
    if (!c.controller.signal.aborted) {
      c.controller.abort(new AppError('cancelled', `The ${jobWords(c.info.kind)} was cancelled.`));
    }
    return true;
  }
}

function busyError(running: JobInfo, wanted: string): AppError {
  return new AppError(
    'busy',
    `Cannot start the ${wanted}: a ${jobWords(running.kind)} is still running on this probe.`,
    'Wait for it to finish, or cancel it first.',
    { runningJobId: running.jobId, runningKind: running.kind },
  );
}
