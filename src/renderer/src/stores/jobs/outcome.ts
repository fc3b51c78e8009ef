/**
 * The running job and how a job ended, in the shapes the job bar shows, and the log line the
 * renderer adds for what it found out by itself.
 */
import type { AppErrorData } from '#shared/errors';
import { useLogStore } from '../log';
import { OPERATION_LABEL, scopeLabel, type Operation, type Scope } from './operations';

export interface CurrentJob {
  /** What the job bar calls it, e.g. "Program all tabs" or "Write option bytes". */
  title: string;
  /** The action-bar operation and scope; null for a job another feature started (runExternal). */
  op: Operation | null;
  scope: Scope | null;
  jobId: string | null;
  phase: string;
  done: number;
  total: number;
  etaMs: number | null;
  startedAt: number;
  phaseStartedAt: number;
  cancelling: boolean;
}

export interface Outcome {
  ok: boolean;
  cancelled: boolean;
  title: string;
  op: Operation | null;
  scope: Scope | null;
  message: string;
  remedy?: string;
  code?: string;
  at: number;
}

/** How a job another feature ran ended, in words (what main reported, or what the feature found). */
export interface ExternalResult {
  ok: boolean;
  message: string;
  remedy?: string;
  code?: string;
}

/** A job that is just starting: no progress yet. */
export function startingJob(title: string, op: Operation | null, scope: Scope | null, jobId: string | null, startedAt: number): CurrentJob {
  return { title, op, scope, jobId, phase: 'starting', done: 0, total: 0, etaMs: null, startedAt, phaseStartedAt: Date.now(), cancelling: false };
}

/** The outcome's words for an error: its message, its remedy when it has one, its code. */
export function errorWords(err: AppErrorData): Pick<Outcome, 'message' | 'remedy' | 'code'> {
  return { message: err.message, ...(err.remedy ? { remedy: err.remedy } : {}), code: err.code };
}

/**
 * Main already logs every request's result and error, so the log only gets what the renderer
 * found out by itself (a verify failure inside a program result, an external job's checked result).
 */
export function logOutcome(o: Outcome): void {
  const what = o.op && o.scope ? `${OPERATION_LABEL[o.op]} (${scopeLabel(o.scope)})` : o.title;
  useLogStore().add(o.ok ? 'info' : 'error', `${what}: ${o.message}${o.remedy ? ' — ' + o.remedy : ''}`, o.code ? { code: o.code } : undefined);
}
