/**
 * What the request handlers share: the job runner, log, events, settings, the dialogs, and
 * the current connection. One object, so each group of requests can live in its own file.
 */
import { AppError } from '#shared/errors';
import type { Part } from '#shared/catalogue/types';
import type { IpcRequests, JobKind, JobReport, LogLevel, RequestName } from '#shared/ipc';
import type { AppConnection } from './app-connection';
import type { DialogsPort } from './dialogs-port';
import type { WorkDone } from './job-reports';
import type { EventHub } from './event-hub';
import type { JobRunner, RunningJob } from './job-runner';
import type { LogBuffer } from './log-buffer';
import { makeReport } from './report-words';
import type { SettingsStore } from './settings-store';

export type Handlers = { [K in RequestName]: (arg: IpcRequests[K][0]) => Promise<IpcRequests[K][1]> };

export interface ServiceContext {
  readonly jobs: JobRunner;
  readonly log: LogBuffer;
  readonly events: EventHub;
  readonly settings: SettingsStore;
  readonly dialogs: DialogsPort | undefined;
  /** The connected target and its part, or 'not-connected'. */
  connected(): { connection: AppConnection; part: Part };
  /** The part of the connection, else null. */
  connectedPart(): Part | null;
  /** What a job found out about read-out protection, for the connection's facts. */
  noteReadProtection(active: boolean): void;
}

export function notConnected(): AppError {
  return new AppError('not-connected', 'No target is connected.', 'Pick a probe and a part, then press Connect.');
}

/** How a finished job is told: the summary's head, its numbers, and how it turned out. */
export interface JobTelling {
  head: string;
  done: WorkDone;
  outcome?: string;
  /** Log level of the summary line (a verify that found differences is an error). */
  level?: LogLevel;
}

/** Runs `work` as the one job, reports it in words, and logs the summary. */
export async function runReported<T>(
  c: ServiceContext,
  kind: JobKind,
  work: (job: RunningJob) => Promise<T>,
  tell: (result: T) => JobTelling,
): Promise<{ result: T; report: JobReport }> {
  let report: JobReport | undefined;
  let level: LogLevel = 'info';
  const result = await c.jobs.run(kind, work, (r, ms, id) => {
    const t = tell(r);
    level = t.level ?? 'info';
    report = makeReport(id, kind, ms, t.head, t.done, t.outcome);
    return report;
  });
  const r = report as JobReport;
  c.log.add(level, r.summary, { jobId: r.jobId, kind });
  return { result, report: r };
}
