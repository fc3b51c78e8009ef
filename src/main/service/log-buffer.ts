/**
 * The app's log: a bounded ring of time-stamped entries that the Log tab shows (getLog) and
 * that every face receives live (the 'log' event). An optional sink also appends each line
 * to a file (the Electron app writes userData/logs/swim-studio.log: Help → Open log folder).
 */
import type { LogEntry, LogLevel } from '#shared/ipc';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export type LogListener = (entry: LogEntry) => void;

export class LogBuffer {
  private readonly entries: LogEntry[] = [];
  private seq = 0;
  private readonly listeners = new Set<LogListener>();

  constructor(
    private readonly capacity = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  add(level: LogLevel, message: string, details?: Record<string, unknown>): LogEntry {
    const entry: LogEntry = { seq: ++this.seq, time: this.now(), level, message };
    if (details !== undefined) entry.details = details;
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    for (const l of this.listeners) l(entry);
    return entry;
  }

  /** Entries after `afterSeq` (all when absent) at `level` or above. */
  list(afterSeq = 0, level: LogLevel = 'debug'): LogEntry[] {
    const min = LEVEL_RANK[level];
    return this.entries.filter((e) => e.seq > afterSeq && LEVEL_RANK[e.level] >= min);
  }

  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** One line of the log file: ISO time, level, message, details as JSON. */
export function formatLogFileLine(e: LogEntry): string {
  const details = e.details ? ' ' + JSON.stringify(e.details) : '';
  return `${new Date(e.time).toISOString()} ${e.level.toUpperCase().padEnd(5)} ${e.message}${details}`;
}
