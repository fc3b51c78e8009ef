import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileSystemError } from './file-errors';

/**
 * Writes `data` to `path` so that a failure never damages the file already there: the
 * bytes go to a temporary file in the same folder (same file system, so the rename is
 * atomic on POSIX and replaces the target on Windows), are flushed to disk, and only then
 * renamed over the target. On any error the temporary file is removed and the old file is
 * untouched. An existing file keeps its permission bits.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = 0o666;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    mode = st.mode & 0o777;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw fileSystemError(path, e, 'write');
  }
  try {
    const handle = await open(tmp, 'wx', mode); // wx: never follow or reuse an existing name
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw fileSystemError(path, e, 'write');
  }
}
