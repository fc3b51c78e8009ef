/**
 * Splits an image by the memories of a part: each memory is programmed its own way
 * (flash and EEPROM by blocks, option bytes one by one, RAM by plain writes), and bytes
 * outside every memory must be reported, never dropped in silence (docs/spec/anchors.md T8: combined
 * HEX files with EEPROM and option bytes are common).
 */
import { AppError } from '../errors';
import type { MemoryRegion, Part } from '../catalogue/types';
import { type AddressRange, formatRange, subtractRanges } from './address';
import { MemoryImage } from './memory-image';

export interface PartImageMap {
  /** Bytes in program flash (on STM8L101/TL5x this includes the data area carved out of flash). */
  flash: MemoryImage;
  /** Bytes in the separate data EEPROM (always empty on parts without one). */
  eeprom: MemoryImage;
  /** Bytes in the option-byte window. */
  option: MemoryImage;
  /** Bytes in RAM. */
  ram: MemoryImage;
  /** Bytes in the ROM bootloader (read-only; present in full-memory dumps). */
  bootRom: MemoryImage;
  /** Ranges of the image that fall in no memory of the part, sorted. */
  outside: AddressRange[];
}

const LABELS: Record<MemoryRegion['kind'], string> = {
  ram: 'RAM',
  eeprom: 'EEPROM',
  option: 'option bytes',
  bootrom: 'boot ROM',
  flash: 'flash',
};

/** The part's memories in address order, e.g. "RAM 0x0000–0x03FF, EEPROM 0x4000–0x427F, option bytes 0x4800–0x480A, flash 0x8000–0x9FFF". */
export function describeMemoryMap(part: Part): string {
  return memoriesOf(part)
    .map((r) => `${LABELS[r.kind]} ${formatRange(r)}`)
    .join(', ');
}

/** Splits `image` by the memories of `part`; bytes in no memory are listed in `outside`. */
export function mapImageToPart(image: MemoryImage, part: Part): PartImageMap {
  const memories = memoriesOf(part);
  return {
    flash: image.byRegion(part.flash),
    eeprom: part.eeprom ? image.byRegion(part.eeprom) : MemoryImage.empty(),
    option: image.byRegion(part.option),
    ram: image.byRegion(part.ram),
    bootRom: part.bootRom ? image.byRegion(part.bootRom) : MemoryImage.empty(),
    outside: subtractRanges(image.ranges, memories),
  };
}

/**
 * Like mapImageToPart, but bytes outside every memory are an 'outside-memory' error that
 * names the first stray range and the part's memory map, before anything is written.
 */
export function mapImageToPartStrict(image: MemoryImage, part: Part): PartImageMap {
  const map = mapImageToPart(image, part);
  const [first, ...rest] = map.outside;
  if (first) {
    const more = rest.length > 0 ? ` (and ${rest.length} more range${rest.length > 1 ? 's' : ''})` : '';
    const source = image.sourceAt(first.start);
    throw new AppError(
      'outside-memory',
      `${formatRange(first)}${more} is outside every memory of ${part.name} (${describeMemoryMap(part)})`,
      `Check that ${source ?? 'the file'} was built for ${part.name}, or choose the part it was built for.`,
      { part: part.name, outside: map.outside, source },
    );
  }
  return map;
}

function memoriesOf(part: Part): MemoryRegion[] {
  const list = [part.ram, part.eeprom, part.option, part.bootRom, part.flash].filter((r): r is MemoryRegion => r !== null && r.size > 0);
  return list.sort((a, b) => a.start - b.start);
}
