/**
 * The production log: one JSON Lines record per board, appended and fsync'd, never
 * rewritten; plus its CSV export (one row per record, the same columns).
 */
import { DurableLines } from './durable-file';
import type { SerialValue } from './serial-encoding';

export interface BoardRecord {
  /** Wall-clock time the board was finished (ISO 8601, UTC). */
  time: string;
  station: string;
  probeSerial: string;
  /** The chip's 12-byte unique ID in hex, or null when it was not read. */
  uid: string | null;
  /** The serial number written (or reserved for it), null when none was reached. */
  serial: SerialValue | null;
  firmwareSha256: string;
  /** Option-byte fields written by name; "ROP" when read-out protection was set. */
  optionBytes: Record<string, number>;
  result: 'pass' | 'fail';
  /** The error code of a failed board (the same codes as the rest of SWIM Studio), else null. */
  code: string | null;
  message?: string;
  /** Time spent on the board, from detection to the end, on the probe's clock (virtual for a virtual probe). */
  durationMs: number;
}

export const CSV_COLUMNS = ['time', 'station', 'probeSerial', 'uid', 'serial', 'firmwareSha256', 'optionBytes', 'result', 'code', 'message', 'durationMs'] as const;

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${String(x)}`).join(' ') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function recordsToCsv(records: readonly BoardRecord[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const r of records) rows.push(CSV_COLUMNS.map((c) => csvField(r[c])).join(','));
  return rows.join('\r\n') + '\r\n';
}

export class BoardLog {
  private readonly file: DurableLines;
  readonly previous: BoardRecord[];

  constructor(readonly path: string) {
    this.file = new DurableLines(path);
    this.previous = this.file.read<BoardRecord>().records;
  }

  /** The last logged outcome of `serial` in this file (earlier runs included). */
  outcomeOf(serial: SerialValue): { result: 'pass' | 'fail'; code: string | null } | undefined {
    for (let i = this.previous.length - 1; i >= 0; i--) if (this.previous[i].serial === serial) return this.previous[i];
    return undefined;
  }

  append(r: BoardRecord): void {
    this.file.append(r);
  }

  close(): void {
    this.file.close();
  }
}
