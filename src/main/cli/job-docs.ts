/**
 * The CLI's documents (./json.ts) made from the engine's job reports: small pure functions,
 * so the commands call TargetConnection directly and keep one shape per result.
 */
import type { Part } from '#shared/catalogue/types';
import { AppError, verifyFailure } from '#shared/errors';
import type { MemoryImage } from '#shared/image/memory-image';
import { optionBytesShown } from '#shared/option-byte-readings';
import type { JobOptions, OptionBytesReport, ProgramReport, ReadResult, TargetConnection } from '../jobs/index';
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

export interface VerifyComparison {
  ok: boolean;
  bytes: number;
  mismatchCount: number;
  mismatches: { address: number; expected: number; actual: number }[];
}

/** Verifies; a difference is a result to print (exit 1), not an error. */
export async function verifyResult(conn: TargetConnection, image: MemoryImage, opts: JobOptions): Promise<VerifyComparison> {
  try {
    const r = await conn.verify(image, opts);
    return { ok: true, bytes: r.bytesCompared, mismatchCount: 0, mismatches: [] };
  } catch (e) {
    const f = verifyFailure(e);
    if (!f) throw e;
    return { ok: false, bytes: image.byteCount, ...f };
  }
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
