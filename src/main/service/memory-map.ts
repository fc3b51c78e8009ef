/**
 * The part's memories in the contract's terms, and the checks that keep a request inside
 * them: an address outside the part is refused before anything reaches the chip.
 */
import { AppError } from '#shared/errors';
import { regionOf } from '#shared/catalogue/regions';
import type { Part, RegionKind } from '#shared/catalogue/types';
import { requireRegion } from '../jobs/index';
import { checkPlacement } from '#shared/image/placement';
import { hex } from '#shared/hex';
import type { MemoryArea, RegionInfo, AreaSegment } from '#shared/ipc';

const AREA_WORDS: Record<MemoryArea, string> = { flash: 'flash', eeprom: 'EEPROM', ram: 'RAM', option: 'option bytes' };

export function areaWords(area: MemoryArea): string {
  return AREA_WORDS[area];
}

export function regionInfos(part: Part): RegionInfo[] {
  const out: RegionInfo[] = [];
  for (const area of ['flash', 'eeprom', 'ram', 'option'] as const) {
    const r = regionOf(part, area);
    if (r) out.push({ region: area, start: r.start, size: r.size, end: r.end });
  }
  return out;
}

function mapWords(part: Part): string {
  return regionInfos(part)
    .map((r) => `${areaWords(r.region)} ${hex(r.start)}–${hex(r.end)}`)
    .join(', ');
}


/** Checks that [address, address+length) lies inside the area; AppError 'outside-memory' otherwise. */
export function checkRange(part: Part, area: MemoryArea, address: number, length: number): void {
  const r = requireRegion(part, area);
  const end = address + length - 1;
  if (length <= 0 || address < r.start || end > r.end) {
    throw new AppError(
      'outside-memory',
      `${hex(address)}–${hex(Math.max(address, end))} is outside the ${areaWords(area)} of ${part.name} (${hex(r.start)}–${hex(r.end)}).`,
      `Its memories: ${mapWords(part)}.`,
      { part: part.name, area, address, length },
    );
  }
}

/** The page's segments against the part (the shared image check; `allowed`: the memories the request writes or compares). */
export function checkSegments(part: Part, segments: AreaSegment[], allowed: RegionKind[]): void {
  checkPlacement(part, segments, allowed);
}
