/**
 * Appends every log entry to a file (the Electron app: userData/logs/swim-studio.log), so a
 * user can attach it to a bug report (Help → Open the log folder). The file is started
 * afresh when it passes 5 MB, keeping one previous generation.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogBuffer } from './log-buffer';
import { formatLogFileLine } from './log-buffer';

const MAX_LOG_BYTES = 5 * 1024 * 1024;

export function attachLogFile(log: LogBuffer, file: string): () => void {
  mkdirSync(dirname(file), { recursive: true });
  try {
    if (statSync(file).size > MAX_LOG_BYTES) renameSync(file, file + '.1');
  } catch {
    // no file yet
  }
  return log.subscribe((e) => {
    try {
      appendFileSync(file, formatLogFileLine(e) + '\n');
    } catch {
      // A full disk must not stop the app; the in-memory log still has it.
    }
  });
}
