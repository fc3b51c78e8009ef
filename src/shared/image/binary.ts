/**
 * Raw binary: the bytes of one contiguous range, placed at a base address the user gives
 * (default 0x8000, where STM8 program flash starts on every part, docs/spec/stm8-target.md §1.1).
 * A binary file cannot say where it belongs or hold gaps, so writing one needs a single
 * range and, for gaps, an explicit fill byte.
 */
import { AppError } from '../errors';
import { MAX_ADDRESS, type AddressRange, formatAddress, formatRange, subtractRanges } from './address';
import { badFile } from './file-error';
import { MemoryImage } from './memory-image';
import { DataBudget } from './parse-steps';

/** Program flash start on every STM8 (docs/spec/stm8-target.md §1.1). */
export const DEFAULT_BINARY_BASE = 0x8000;

/** Places the file's bytes at `base`; bytes that would land past 0xFFFFFF are an error naming their file offset. */
export function parseBinary(fileName: string, bytes: Uint8Array, base: number = DEFAULT_BINARY_BASE, maxDataBytes = Infinity): MemoryImage {
  if (!Number.isInteger(base) || base < 0 || base > MAX_ADDRESS) {
    throw new AppError('invalid-argument', `Base address ${base} is outside the 24-bit STM8 address space`, 'Give a base address from 0x0 to 0xFFFFFF.');
  }
  new DataBudget(fileName, maxDataBytes).spend(bytes.length, 'its end');
  if (base + bytes.length - 1 > MAX_ADDRESS) {
    const offset = MAX_ADDRESS - base + 1;
    throw badFile(
      fileName,
      { offset },
      'beyond-24-bit',
      `byte ${offset} of ${bytes.length} would land at ${formatAddress(base + offset)}, beyond the 24-bit STM8 address space (base ${formatAddress(base)})`,
      'Check the base address, or cut the file to the size of the memory it is meant for.',
    );
  }
  return MemoryImage.fromBytes(fileName, base, bytes);
}

export interface BinaryWriteOptions {
  /** First address to write (default: the image's lowest address). */
  start?: number;
  /** Last address to write, inclusive (default: the image's highest address). */
  end?: number;
  /** Byte for addresses the image has no data for. Without it a gap is an 'image-gap' error. */
  fill?: number;
}

/**
 * The bytes from start to end as one block. Data of the image outside that range is an
 * error rather than silently dropped: slice the image first when only a region is wanted.
 */
export function writeBinary(image: MemoryImage, options: BinaryWriteOptions = {}): Uint8Array {
  const bounds = image.bounds;
  const start = options.start ?? bounds?.start;
  const end = options.end ?? bounds?.end;
  if (start === undefined || end === undefined) {
    if (image.isEmpty) return new Uint8Array(0);
    throw new AppError('invalid-argument', 'A binary file needs both a start and an end address');
  }
  const window: AddressRange = { start, end };
  if (bounds && (bounds.start < start || bounds.end > end)) {
    const outside = subtractRanges(image.ranges, [window])[0];
    throw new AppError(
      'image-outside-range',
      `The image holds data at ${formatRange(outside)}, outside the range to save (${formatRange(window)})`,
      'Save a single region, or choose a format that keeps addresses (Intel HEX, S-record).',
      { range: outside, window },
    );
  }
  return image.toBytes(start, end, options.fill);
}
