import type { Part } from '#shared/catalogue/types';
import { AppError } from '#shared/errors';
import { hex } from '#shared/hex';
import type { MemoryImage } from '#shared/image/index';
import { readImageFile } from '../../files/image-files';
import { placeImage } from '../placement';
import type { Stm8flashSpan } from './plan';

/**
 * The file's bytes for -w/-v, as stm8flash would place them: a binary file starts at the
 * span's start; HEX/S19 records keep their addresses and must lie inside the span (as in
 * stm8flash, "out of range" is an error, here before anything is written). Gaps inside the
 * file's extent are written as 0x00, exactly what stm8flash leaves there; nothing below the
 * file's first address or above its last is touched.
 */
export async function fileImage(file: string, format: 'ihex' | 'srec' | 'bin', span: Stm8flashSpan, part: Part): Promise<MemoryImage> {
  let { image } = await readImageFile(file, { format, base: span.start });
  if (image.isEmpty) throw new AppError('empty-image', `${file} holds no data`);
  const b = image.bounds as { start: number; end: number };
  const end = span.start + span.bytes - 1;
  if (b.start < span.start || b.end > end) {
    const what = format === 'bin' ? `is ${image.byteCount} bytes, more than the ${span.bytes} of the ${span.area} area` : `has data at ${hex(b.start)}..${hex(b.end)}, outside the ${span.area} area ${hex(span.start)}..${hex(end)}`;
    throw new AppError(
      'image-outside-area',
      `${file} ${what}`,
      format === 'bin'
        ? 'Check the part (-p) and the area (-s). Nothing was written.'
        : 'A file holding EEPROM or option bytes as well must be written once per area (-s eeprom, -s opt), or all at once with "swim-studio write FILE". Nothing was written.',
    );
  }
  if (span.kind !== 'option') {
    image = image.withGapsFilled({ start: b.start, end: b.end }, 0x00);
    placeImage(image, part, ['flash', 'eeprom', 'ram'], file);
  }
  return image;
}
