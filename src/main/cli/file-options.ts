/** The CLI's file options: --format, and --address for where a binary starts. */
import { AppError } from '#shared/errors';
import { formatFromFileName, parseFormatName } from '#shared/image/index';
import type { ImageFormat, MemoryImage } from '#shared/image/index';
import type { Part, RegionKind } from '#shared/catalogue/types';
import { readImageFile } from '../files/image-files';
import { requireNumber, type OptionSpec } from './args';
import { placeImage } from './placement';
import { badAddress } from './regions';
import { regionAt } from '#shared/catalogue/regions';
import { hex } from '#shared/hex';

/** --format F: the file format when the extension does not say it (read, write, verify, opt write). */
export const FORMAT_OPTION: OptionSpec = { name: 'format', short: 'f', value: true };

/** The options loadFirmwareFile reads, and the usage lines that explain them. */
export const FIRMWARE_FILE_OPTIONS: readonly OptionSpec[] = [FORMAT_OPTION, { name: 'address', short: 'a', value: true }];
export const FIRMWARE_FILE_USAGE: readonly string[] = [
  '  --format F       hex, s19, elf or bin; default from the extension',
  '  --address ADDR   where a .bin file starts (default: the flash start)',
];

/**
 * The format to read FILE with: --format when given, else the extension; undefined lets
 * the reader decide from the content (then raw binary, stm8flash's rule).
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

/**
 * The firmware file a command was given, read with its --format and --address options (a
 * .bin starts at --address, else at the flash start) and checked to hold bytes only in the
 * `allowed` memories of the part: every refusal comes before anything is connected.
 */
export async function loadFirmwareFile(
  file: string,
  part: Part,
  options: ReadonlyMap<string, string>,
  allowed: RegionKind[],
): Promise<{ image: MemoryImage; format: ImageFormat }> {
  const address = options.get('address');
  const base = address !== undefined ? binaryBase(part, requireNumber(address, '--address')) : part.flash.start;
  const format = formatFromOption(file, options.get('format'));
  const loaded = await readImageFile(file, { ...(format ? { format } : {}), base });
  placeImage(loaded.image, part, allowed, file);
  return loaded;
}

/** --address must name a byte of the part's memory: anything else is a typing error (exit 2), caught before the file is read. */
function binaryBase(part: Part, address: number): number {
  if (!regionAt(part, address)) throw badAddress(part, `--address ${hex(address)} is not in any memory of ${part.name}`);
  return address;
}
