import { AppError } from '#shared/errors';

/**
 * Turns a Node file-system error into an AppError that names the file and says what to
 * do, with the system's code kept for the log. Codes: 'file-not-found', 'file-access',
 * 'file-read', 'file-write'.
 */
export function fileSystemError(path: string, e: unknown, verb: 'read' | 'write'): AppError {
  const sys = (e as { code?: unknown } | null)?.code;
  const code = typeof sys === 'string' ? sys : undefined;
  const detail = e instanceof Error ? e.message : String(e);
  const details = { path, systemCode: code, detail };
  switch (code) {
    case 'ENOENT':
      return verb === 'read'
        ? new AppError('file-not-found', `Cannot read ${path}: no such file`, 'Check the file name and folder.', details)
        : new AppError('file-write', `Cannot write ${path}: the folder does not exist`, 'Choose an existing folder.', details);
    case 'EACCES':
    case 'EPERM':
      return new AppError('file-access', `Cannot ${verb} ${path}: permission denied`, `Check the permissions of the file and its folder.`, details);
    case 'EISDIR':
      return new AppError(`file-${verb}`, `Cannot ${verb} ${path}: it is a folder`, 'Give the name of a file.', details);
    case 'ENOSPC':
      return new AppError('file-write', `Cannot write ${path}: the disk is full`, 'Free some space and save again; the old file was left as it was.', details);
    case 'EROFS':
      return new AppError('file-write', `Cannot write ${path}: the file system is read-only`, 'Save to another folder.', details);
    default:
      return new AppError(`file-${verb}`, `Cannot ${verb} ${path}: ${detail}`, verb === 'write' ? 'The old file, if any, was left as it was.' : undefined, details);
  }
}
