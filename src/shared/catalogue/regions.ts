/** Which memory region of a part an address falls in (for "address outside the part" errors). */
import type { MemoryRegion, Part } from './types';

export function regionAt(part: Pick<Part, 'regions'>, address: number): MemoryRegion | null {
  return part.regions.find((r) => address >= r.start && address <= r.end) ?? null;
}
