/**
 * Whether a process with this id exists (signal 0 checks without sending anything). EPERM means
 * it exists but belongs to someone else: alive too. Used to notice npm going away (the CLI's
 * npm wrapper) and a production run that died holding the serial journal's lock.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
