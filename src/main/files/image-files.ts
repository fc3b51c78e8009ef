/**
 * Reading and saving firmware images on disk: the thin Node layer over src/shared/image.
 * Every error names the file; a save is serialised completely before the disk is touched
 * and then written atomically, so a bad image or a failed write never damages a file.
 */
import { basename } from 'node:path';
import { formatFromFileName, readImage, writeImage, type ImageFormat, type ReadImageOptions, type WriteImageOptions } from '#shared/image/format';
import { MemoryImage } from '#shared/image/memory-image';
import { writeFileAtomic } from './atomic-write';
import { readRegularFile } from './regular-file';

/**
 * Largest file we read: a full 16 MB STM8 address space as Intel HEX is about 45 MB, so
 * anything larger is not firmware and would only make the app crawl.
 */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

export interface ReadImageFileOptions extends ReadImageOptions {
  /** Name used in errors and as the bytes' source (default: the file's base name). */
  displayName?: string;
}

/** A firmware file's bytes, unparsed (the app parses them with the event loop turning). */
export function readImageBytes(path: string): Promise<Uint8Array> {
  return readRegularFile(path, MAX_IMAGE_FILE_BYTES);
}

/** Reads a firmware file; the format comes from options, else the extension, else the content. */
export async function readImageFile(path: string, options: ReadImageFileOptions = {}): Promise<{ image: MemoryImage; format: ImageFormat }> {
  const name = options.displayName ?? basename(path);
  const bytes = await readRegularFile(path, MAX_IMAGE_FILE_BYTES, name);
  const { displayName: _unused, ...readOptions } = options;
  return readImage(name, bytes, readOptions);
}

/**
 * Reads several files (e.g. flash.hex and eeprom.hex) and merges them into one image.
 * Where two files put different bytes at one address the error names both files.
 */
export async function readImageFiles(paths: readonly string[], options: ReadImageOptions = {}): Promise<MemoryImage> {
  const images = await Promise.all(paths.map(async (p) => (await readImageFile(p, options)).image));
  return MemoryImage.mergeAll(images);
}

export interface WriteImageFileOptions extends WriteImageOptions {
  /** Force a format; default: from the extension, raw binary when it says nothing. */
  format?: ImageFormat;
}

/** Writes bytes read from the chip at `start`; atomically, so a failure never leaves half a file. */
export async function saveMemoryFile(path: string, start: number, data: Uint8Array, format: ImageFormat): Promise<void> {
  await writeImageFile(path, MemoryImage.fromBytes('target', start, data), { format });
}

/**
 * Saves an image. The S-record header defaults to the file's name, as STVP writes it.
 * Returns the format used and the number of bytes written.
 */
export async function writeImageFile(path: string, image: MemoryImage, options: WriteImageFileOptions = {}): Promise<{ format: ImageFormat; bytes: number }> {
  const format = options.format ?? formatFromFileName(path) ?? 'bin';
  const data = writeImage(image, format, { header: basename(path), ...options }); // throws before the disk is touched
  await writeFileAtomic(path, data);
  return { format, bytes: data.length };
}
