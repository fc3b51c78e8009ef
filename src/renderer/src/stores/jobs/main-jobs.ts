/**
 * Following main's job events: progress and time left for the running job, and a job main was
 * already running when the page loaded (a reload mid-program), taken over so the job bar shows
 * it to the end. Main runs one job at a time, so there is one running job to follow.
 */
import type { ShallowRef } from 'vue';
import type { JobInfo, JobProgress, JobStateEvent } from '#shared/ipc';
import { estimateRemaining } from '../../lib/duration';
import { KIND_TITLE } from './operations';
import { errorWords, startingJob, type Outcome, type CurrentJob } from './outcome';

export interface MainJobFollower {
  onProgress(p: JobProgress): void;
  onState(e: JobStateEvent): void;
  adopt(job: JobInfo): void;
}

export function followMainJobs(running: ShallowRef<CurrentJob | null>, finish: (o: Outcome) => void): MainJobFollower {
  /** The job taken over at start-up, whose end only its jobState event tells. */
  let adoptedId: string | null = null;
  /** Jobs whose end was seen, so one that ends before it is taken over is not shown as running. */
  const ended = new Set<string>();

  function onProgress(p: JobProgress): void {
    const r = running.value;
    if (!r) return;
    const now = Date.now();
    const phaseChanged = p.phase !== r.phase;
    const phaseStartedAt = phaseChanged ? now : r.phaseStartedAt;
    const etaMs = p.etaMs ?? estimateRemaining(p.done, p.total, now - phaseStartedAt);
    running.value = { ...r, jobId: p.jobId, phase: p.phase, done: p.done, total: p.total, etaMs, phaseStartedAt };
  }

  function onState(e: JobStateEvent): void {
    const r = running.value;
    if (r && e.state === 'running' && !r.jobId) running.value = { ...r, jobId: e.jobId };
    if (e.state === 'running') return;
    ended.add(e.jobId);
    if (r && e.jobId === adoptedId) {
      adoptedId = null;
      running.value = null;
      finish({
        ok: e.state === 'done',
        cancelled: e.state === 'cancelled',
        title: r.title,
        op: null,
        scope: null,
        ...(e.error ? errorWords(e.error) : {}),
        message: e.report?.summary ?? e.error?.message ?? `${r.title} ended.`,
        at: Date.now(),
      });
    }
  }

  /** A job main is running that this page did not start (it was loaded while the job ran). */
  function adopt(job: JobInfo): void {
    if (running.value || ended.has(job.jobId)) return;
    adoptedId = job.jobId;
    running.value = startingJob(KIND_TITLE[job.kind], null, null, job.jobId, job.startedAt);
  }

  return { onProgress, onState, adopt };
}
