import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { access, open, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileSystemError } from './file-errors';
import { notARegularFile } from './regular-file';

/**
 * Writes `data` to `path` so that a failure never damages the file already there: the
 * bytes go to a temporary file in the same folder (same file system, so the rename is
 * atomic on POSIX and replaces the target on Windows), are flushed to disk, and only then
 * renamed over the target. On any error the temporary file is removed and the old file is
 * untouched. An existing file keeps its permission bits.
 *
 * The rename replaces whatever name it lands on, so the target is checked first: a symlink
 * is followed (its target is written, the link stays a link), a folder, device, FIFO or
 * socket is refused, and a file the user may not write is refused with 'file-access' even
 * though the folder would allow the rename (and even as root, who the kernel lets write
 * anything: the permission bits are what the file's owner asked for).
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const target = await saveTarget(path);
  const tmp = join(dirname(target.path), `.${basename(target.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', target.mode); // wx: never follow or reuse an existing name
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target.path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw fileSystemError(path, e, 'write');
  }
}

/**
 * Where the bytes for `path` really go (a symlink's target) and the mode the new file gets;
 * refuses what may not be replaced. Commands call it before a long operation too, so a bad
 * destination fails before the chip is read, not after.
 */
export async function saveTarget(path: string): Promise<{ path: string; mode: number }> {
  let st: Stats;
  try {
    st = await stat(path); // follows symlinks: the target is what gets replaced
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return { path: await danglingLinkTarget(path), mode: 0o666 };
    throw fileSystemError(path, e, 'write');
  }
  if (!st.isFile()) throw notARegularFile(path, st, 'write');
  if (!(await mayWrite(path, st))) {
    throw fileSystemError(path, Object.assign(new Error('the file is read-only'), { code: 'EACCES' }), 'write');
  }
  try {
    return { path: await realpath(path), mode: st.mode & 0o777 };
  } catch (e) {
    throw fileSystemError(path, e, 'write');
  }
}

/**
 * A path that does not exist may still be a symlink pointing nowhere yet: writing through
 * it creates its target, as an ordinary open() would. Anything else is written as named.
 */
async function danglingLinkTarget(path: string): Promise<string> {
  try {
    return resolve(dirname(path), await readlink(path));
  } catch {
    return path;
  }
}

/**
 * Whether the current user may write an existing regular file. As root the kernel would
 * allow it whatever the bits say, so then at least one write bit must be set (a 0444 file
 * stays read-only); otherwise access(W_OK) asks the
 * kernel, which also knows ACLs and read-only mounts.
 */
async function mayWrite(path: string, st: Stats): Promise<boolean> {
  if (process.getuid?.() === 0) return (st.mode & 0o222) !== 0;
  try {
    await access(path, constants.W_OK);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'EROFS') throw fileSystemError(path, e, 'write');
    return false;
  }
}
