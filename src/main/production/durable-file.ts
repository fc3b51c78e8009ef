/**
 * Append-only JSON Lines files that survive a crash or power cut: every line is written with
 * one write() and fsync'd before the call returns, so what a reader finds after a crash is
 * exactly what was acknowledged. A torn last line (power lost inside write) is ignored on
 * reading and reported, never mistaken for a record.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '#shared/errors';

export class DurableLines {
  private fd: number | null = null;

  constructor(readonly path: string) {}

  /** The records already in the file, and whether its last line was torn. */
  read<T>(): { records: T[]; torn: boolean } {
    if (!existsSync(this.path)) return { records: [], torn: false };
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    const last = lines.pop() ?? '';
    const records: T[] = [];
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        throw new AppError('bad-production-file', `${this.path} line ${i + 1} is not JSON: the file was edited or damaged.`, 'Restore the file from a backup; production never rewrites it.');
      }
    }
    return { records, torn: last.trim() !== '' };
  }

  /** Append one record and fsync it. */
  append(record: unknown): void {
    if (this.fd === null) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a');
      // A torn line left by a power cut must not glue itself to the next record.
      const { torn } = this.read();
      if (torn) writeSync(this.fd, '\n');
    }
    writeSync(this.fd, JSON.stringify(record) + '\n');
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
