/**
 * Reading a file that must be a regular file, with a hard size limit.
 *
 * stat().size cannot be trusted for the limit: it is 0 for /dev/zero, a FIFO or a socket,
 * and a file can grow while it is read. So the file is opened without blocking (O_NONBLOCK:
 * opening a FIFO that has no writer would otherwise wait forever), checked on the open
 * handle (no window between the check and the read), and read in chunks that stop at
 * limit + 1 byte whatever the file turns out to be.
 */
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { AppError } from '#shared/errors';
import { fileSystemError } from './file-errors';

/** Chunk size for bounded reads: large enough to be fast, small enough to stop promptly. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** What a stat says a path is, in words for an error message. */
export function kindOfFile(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** The error for a path that is not a regular file; the code follows what was being done. */
export function notARegularFile(path: string, st: Stats, verb: 'read' | 'write'): AppError {
  const what = kindOfFile(st);
  return new AppError(
    `file-${verb}`,
    `Cannot ${verb} ${path}: it is ${what}, not a regular file`,
    verb === 'read' ? 'Give the name of a firmware file.' : 'Give the name of a regular file (or of a new one).',
    { path, kind: what },
  );
}

/** The error for a file over the size limit (the size may be a lower bound: reading stopped there). */
export function fileTooLarge(path: string, name: string, limit: number): AppError {
  return new AppError(
    'file-too-large',
    `${name} is larger than ${limit} bytes, too large for STM8 firmware`,
    'Check that this is the firmware file you meant.',
    { path, limit },
  );
}

/**
 * The bytes of a regular file of at most `limit` bytes. Anything else (folder, device,
 * FIFO, socket) is refused before one byte is read; a larger file is refused after reading
 * limit + 1 bytes at most. `name` is used in the size error (default: the path).
 */
export async function readRegularFile(path: string, limit: number, name: string = path): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw fileSystemError(path, e, 'read');
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notARegularFile(path, st, 'read');
    // Sized from stat for a regular file (one buffer, no copies), but never trusted: the
    // buffer grows if the file does, and reading stops at limit + 1 bytes regardless.
    let buffer = new Uint8Array(Math.min(st.size, limit) + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > limit) throw fileTooLarge(path, name, limit);
        const grown = new Uint8Array(Math.min(limit + 1, Math.max(READ_CHUNK_BYTES, buffer.length * 2)));
        grown.set(buffer);
        buffer = grown;
      }
      const want = Math.min(READ_CHUNK_BYTES, buffer.length - total);
      const { bytesRead } = await handle.read(buffer, total, want, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > limit) throw fileTooLarge(path, name, limit);
    return buffer.subarray(0, total);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw fileSystemError(path, e, 'read');
  } finally {
    await handle.close().catch(() => undefined);
  }
}
