/**
 * One entry point for every file format: pick the format from the file name (as stm8flash
 * and STVP do), fall back to the content when the name says nothing, then read or write.
 */
import { AppError } from '../errors';
import { DEFAULT_BINARY_BASE, parseBinary, writeBinary, type BinaryWriteOptions } from './binary';
import { parseElf, writeElf, type ElfWriteOptions } from './elf';
import { maxImageDataBytes } from './data-limit';
import { intelHexSteps, writeIntelHex, type IntelHexWriteOptions } from './intel-hex';
import type { MemoryImage } from './memory-image';
import { runSteps, runStepsPausing, type ParseSteps } from './parse-steps';
import { srecSteps, writeSrec, type SrecWriteOptions } from './srec';
import { textToBytes } from './text';
import { formatFromFileName, IMAGE_FORMATS, type ImageFormat } from './extensions';

export { FORMAT_EXTENSIONS, IMAGE_FORMATS, formatFromFileName } from './extensions';
export type { ImageFormat } from './extensions';

/** Names for people ("Intel HEX"), e.g. for a save dialog's file type list. */
export const FORMAT_NAMES: Readonly<Record<ImageFormat, string>> = {
  ihex: 'Intel HEX',
  srec: 'Motorola S-record',
  bin: 'raw binary',
  elf: 'ELF executable',
};

/** The format the first bytes look like, or undefined (then it is treated as raw binary). */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return 'elf';
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // UTF-8 byte-order mark
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  const isHex = (b: number | undefined): boolean => b !== undefined && /[0-9A-Fa-f]/.test(String.fromCharCode(b));
  if (bytes[i] === 0x3a /* : */ && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) return 'ihex';
  if ((bytes[i] === 0x53 || bytes[i] === 0x73) /* S */ && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39 && isHex(bytes[i + 2])) return 'srec';
  return undefined;
}

/**
 * The format to read a file with: its extension when known, else what its content looks
 * like, else raw binary (stm8flash's rule for unknown extensions).
 */
export function detectFormat(fileName: string, bytes: Uint8Array): ImageFormat {
  return formatFromFileName(fileName) ?? sniffFormat(bytes) ?? 'bin';
}

export interface ReadImageOptions {
  /** Force a format instead of detecting it. */
  format?: ImageFormat;
  /** Where a raw binary starts (default 0x8000). Ignored by the other formats. */
  base?: number;
  /** Most data bytes the file may load (default: the largest part's memory, data-limit.ts). */
  maxDataBytes?: number;
}

/** Reads a file's content in whatever format it is in. Bytes are attributed to `fileName`. */
export function readImage(fileName: string, content: Uint8Array | string, options: ReadImageOptions = {}): { image: MemoryImage; format: ImageFormat } {
  return runSteps(readImageSteps(fileName, content, options));
}

/**
 * readImage that gives the event loop a turn at every pause of the parse: for a process
 * that must keep answering while it reads a file (the app's main process).
 */
export function readImagePausing(
  fileName: string,
  content: Uint8Array,
  options: ReadImageOptions = {},
  pause?: () => Promise<void>,
): Promise<{ image: MemoryImage; format: ImageFormat }> {
  return runStepsPausing(readImageSteps(fileName, content, options), pause);
}

function* readImageSteps(fileName: string, content: Uint8Array | string, options: ReadImageOptions): ParseSteps<{ image: MemoryImage; format: ImageFormat }> {
  const bytes = typeof content === 'string' ? textToBytes(content) : content;
  const format = options.format ?? detectFormat(fileName, bytes);
  const limit = options.maxDataBytes ?? maxImageDataBytes();
  switch (format) {
    case 'ihex':
      return { format, image: yield* intelHexSteps(fileName, content, limit) };
    case 'srec':
      return { format, image: yield* srecSteps(fileName, content, limit) };
    case 'elf':
      return { format, image: parseElf(fileName, bytes, limit) };
    case 'bin':
      return { format, image: parseBinary(fileName, bytes, options.base ?? DEFAULT_BINARY_BASE, limit) };
    default:
      throw unknownFormat(format);
  }
}

export type WriteImageOptions = IntelHexWriteOptions & SrecWriteOptions & BinaryWriteOptions & ElfWriteOptions;

/** Serialises an image; text formats come back as ASCII bytes ready for a file. */
export function writeImage(image: MemoryImage, format: ImageFormat, options: WriteImageOptions = {}): Uint8Array {
  switch (format) {
    case 'ihex':
      return textToBytes(writeIntelHex(image, options));
    case 'srec':
      return textToBytes(writeSrec(image, options));
    case 'bin':
      return writeBinary(image, options);
    case 'elf':
      return writeElf(image, options);
    default:
      throw unknownFormat(format);
  }
}

/** Checks a format name coming from outside (CLI flag, IPC). */
export function parseFormatName(name: string): ImageFormat {
  const lower = name.toLowerCase();
  const aliases: Record<string, ImageFormat> = { hex: 'ihex', ihx: 'ihex', ihex: 'ihex', s19: 'srec', srec: 'srec', s: 'srec', bin: 'bin', binary: 'bin', raw: 'bin', elf: 'elf' };
  const f = aliases[lower];
  if (!f) throw unknownFormat(name);
  return f;
}

function unknownFormat(name: string): AppError {
  return new AppError('unknown-format', `Unknown file format "${name}"`, `Use one of: ${IMAGE_FORMATS.join(', ')}.`);
}
