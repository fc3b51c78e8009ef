import type { Part, RegionKind } from '#shared/catalogue/types';
import { AppError } from '#shared/errors';
import type { MemoryImage } from '#shared/image/index';
import { checkPlacement } from '#shared/image/index';

/**
 * Checks, before anything is connected, that a file holds data and only bytes this command
 * may write (the shared check, src/shared/image/placement.ts); option bytes are sent to the
 * command that writes them.
 */
export function placeImage(image: MemoryImage, part: Part, allowed: RegionKind[], file: string): void {
  if (image.isEmpty) {
    throw new AppError('empty-image', `${file} holds no data`, 'Check that the build wrote the firmware into this file.');
  }
  try {
    checkPlacement(part, image.segments, allowed, file);
  } catch (e) {
    if (e instanceof AppError && e.code === 'image-has-options') {
      throw new AppError(e.code, e.message, 'Write option bytes with "swim-studio opt write FILE" (complements filled in, protection guarded), or remove them from the file.', e.details);
    }
    throw e;
  }
}
