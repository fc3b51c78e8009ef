/**
 * One run per journal: two processes (a second terminal, the app and the CLI) drawing from
 * the same journal would each think the next number is theirs. The lock is a file next to
 * the journal holding the owner's process id, created exclusively; a lock whose process is
 * gone (a crash, kill -9, a power cut) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '#shared/errors';
import { processAlive } from '../process-alive';


/** Take the lock of `journalPath`; returns the release function. Error 'journal-in-use'. */
export function lockJournal(journalPath: string): () => void {
  const path = `${journalPath}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
        throw new AppError('journal-in-use', `Another production run (process ${owner}) is using ${journalPath}.`, 'Stop that run first: two runs on one journal could give two chips one serial.', { pid: owner });
      }
      if (owner === process.pid) {
        throw new AppError('journal-in-use', `This process already runs production on ${journalPath}.`, 'Stop the running production first.');
      }
      unlinkSync(path);
    }
  }
  throw new AppError('journal-in-use', `Could not lock ${journalPath}.`, 'Check that no other production run uses it and try again.');
}
