/**
 * The CLI's documents (./json.ts) made from the engine's job reports: small pure functions,
 * so the commands call TargetConnection directly and keep one shape per result.
 */
import type { Part } from '#shared/catalogue/types';
import { AppError } from '#shared/errors';
import type { MemoryImage } from '#shared/image/memory-image';
import { optionBytesShown } from '#shared/option-byte-readings';
import type { OptionBytesReport, ProgramReport, ReadResult } from '../jobs/index';
import type { OptionByteDoc, WrittenRegionDoc } from './json';

/** What one program job wrote, per region, starting where the image's bytes in it start. */
export function writtenRegionDocs(part: Part, image: MemoryImage, rep: ProgramReport): WrittenRegionDoc[] {
  return rep.regions.map((r) => {
    const region = part.regions.find((x) => x.kind === r.region);
    const bounds = region ? image.byRegion({ start: region.start, end: region.end }).bounds : undefined;
    const ram = r.region === 'ram';
    return {
      region: r.region,
      start: bounds?.start ?? region?.start ?? 0,
      size: r.imageBytes,
      blocksWritten: ram ? null : r.blocksWritten,
      blocksSkipped: ram ? null : r.blocksSkipped,
    };
  });
}

export function optionByteDocs(rep: OptionBytesReport): OptionByteDoc[] {
  return optionBytesShown(rep.decoded);
}

/** The bytes read, or 'read-protected' when read-out protection hides them (a file of filler helps nobody). */
export function readContent(part: Part, r: ReadResult): Uint8Array {
  if (r.protected) {
    throw new AppError(
      'read-protected',
      `${part.name} is read-out protected: flash and EEPROM read back as filler, not the firmware`,
      'Nothing can read it back. "swim-studio unlock --yes" removes the protection by erasing the chip.',
    );
  }
  return r.data;
}
