/**
 * Production programming as the app sees it (docs/production.md): a recipe's preview, a
 * station's status, and the run's totals. Plain data: these cross the IPC boundary.
 */

/** What a recipe will do, shown before anything starts. */
export interface RecipePreview {
  path: string;
  part: string;
  /** One line per step each board goes through, in order. */
  steps: string[];
  firmware: { file: string; sha256: string }[];
  imageBytes: number;
  /** The next serial numbers the journal would issue (a few, as text). */
  nextSerials: string[];
  logPath: string;
  journalPath: string;
  /** Boards already in the log. */
  logged: { passed: number; failed: number };
}

export type StationStateName = 'connecting' | 'waiting-board' | 'programming' | 'pass' | 'fail' | 'remove-board' | 'offline' | 'done';

/** One station's state, sent at each change. */
export interface StationStatus {
  station: string;
  state: StationStateName;
  /** 0..100 while programming. */
  percent?: number;
  phase?: string;
  /** The last board's serial (pass or fail). */
  serial?: string | null;
  code?: string;
  message?: string;
  remedy?: string;
}

/** One board, as logged. */
export interface ProductionRecordInfo {
  time: string;
  station: string;
  uid: string | null;
  serial: string | null;
  result: 'pass' | 'fail';
  code: string | null;
  durationMs: number;
}

export interface ProductionTotals {
  running: boolean;
  passed: number;
  failed: number;
  failedByCode: Record<string, number>;
  boardsPerHour: number;
}
