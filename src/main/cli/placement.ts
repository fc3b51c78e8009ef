import type { Part, RegionKind } from '../../shared/catalogue/types';
import { AppError } from '../../shared/errors';
import type { MemoryImage } from '../../shared/image/index';
import { formatRange, mapImageToPartStrict } from '../../shared/image/index';

/**
 * Checks, before anything is connected, that an image only holds bytes this command may
 * write: bytes outside every memory of the part are an 'outside-memory' error naming the
 * map (docs/spec/anchors.md T8: nothing dropped in silence), bytes in a memory the command does not
 * handle (option bytes for `write`, boot ROM always) are refused with the command to use.
 */
export function placeImage(image: MemoryImage, part: Part, allowed: RegionKind[], file: string): void {
  if (image.isEmpty) {
    throw new AppError('empty-image', `${file} holds no data`, 'Check that the build wrote the firmware into this file.');
  }
  const map = mapImageToPartStrict(image, part);
  const present: [RegionKind, MemoryImage][] = [
    ['flash', map.flash],
    ['eeprom', map.eeprom],
    ['option', map.option],
    ['ram', map.ram],
    ['bootrom', map.bootRom],
  ];
  for (const [kind, img] of present) {
    if (img.isEmpty || allowed.includes(kind)) continue;
    const where = img.ranges.map((r) => formatRange(r)).join(', ');
    throw new AppError(
      kind === 'option' ? 'image-has-options' : 'image-wrong-region',
      `${file} has data in the ${kind === 'bootrom' ? 'boot ROM' : kind} area of ${part.name} (${where}), which this command does not write`,
      kind === 'option'
        ? 'Write option bytes with "swim-studio opt write FILE" (complements filled in, protection guarded), or remove them from the file.'
        : 'The boot ROM cannot be written; remove those records from the file.',
    );
  }
}
