/** A part's memory regions by kind, and which one an address falls in (for "outside the part" errors). */
import type { MemoryRegion, Part, RegionKind } from './types';

/** The part's region of that kind, or null when it has none (EEPROM on an STM8L101, boot ROM on small parts). */
export function regionOf(part: Pick<Part, 'flash' | 'eeprom' | 'ram' | 'option' | 'bootRom'>, kind: RegionKind): MemoryRegion | null {
  switch (kind) {
    case 'flash':
      return part.flash;
    case 'eeprom':
      return part.eeprom;
    case 'ram':
      return part.ram;
    case 'option':
      return part.option;
    case 'bootrom':
      return part.bootRom;
  }
}

export function regionAt(part: Pick<Part, 'regions'>, address: number): MemoryRegion | null {
  return part.regions.find((r) => address >= r.start && address <= r.end) ?? null;
}
