import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors';
import { MemoryImage, formatFromFileName, parseFormatName, readImage, writeImage } from '../../shared/image/index';
import type { ImageFormat } from '../../shared/image/index';

/**
 * The format to read FILE with: --format when given, else the extension; undefined lets
 * loadImageFile decide from the content (then raw binary, stm8flash's rule).
 */
export function formatFromOption(file: string, option: string | undefined): ImageFormat | undefined {
  return option ? parseFormatName(option) : formatFromFileName(file);
}

/** The format to save FILE in: --format, else the extension, else raw binary. ELF is read-only here. */
export function saveFormat(file: string, option: string | undefined): ImageFormat {
  const f = formatFromOption(file, option) ?? 'bin';
  if (f === 'elf') throw new AppError('usage', 'saving memory as ELF is not supported', 'Save as .hex, .s19 or .bin.');
  return f;
}

/** Reads and parses a firmware file. A missing or corrupt file is an error before any USB traffic. */
export async function loadImageFile(
  path: string,
  format: ImageFormat | undefined,
  base: number,
): Promise<{ image: MemoryImage; format: ImageFormat }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw fileError(path, e, 'read');
  }
  return readImage(basename(path), bytes, { ...(format ? { format } : {}), base });
}

/**
 * Writes bytes read from the chip. Written to a temporary name first and renamed, so a
 * failure never leaves half a file where a good one was.
 */
export async function saveImageFile(path: string, start: number, data: Uint8Array, format: ImageFormat): Promise<void> {
  const image = MemoryImage.fromBytes('target', start, data);
  const bytes = writeImage(image, format);
  const tmp = `${path}.swim-studio-${process.pid}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw fileError(path, e, 'write');
  }
}

function fileError(path: string, e: unknown, verb: 'read' | 'write'): AppError {
  const code = (e as { code?: string }).code;
  const why =
    code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
  return new AppError('file-error', `cannot ${verb} ${path}: ${why}`, verb === 'read' ? 'Check the file name and path.' : 'Check that the folder exists and is writable.');
}
