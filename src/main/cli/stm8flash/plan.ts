import type { MemoryRegion, Part } from '#shared/catalogue/types';
import { AppError } from '#shared/errors';
import { hex } from '#shared/hex';
import type { Stm8flashArgs } from './args';

/** The memory span an stm8flash command line works on, decided as stm8flash decides it. */
export interface Stm8flashSpan {
  /** stm8flash's word for the area, as in "Determine FLASH area". */
  area: 'FLASH' | 'EEPROM' | 'RAM' | 'OPT';
  kind: 'flash' | 'eeprom' | 'ram' | 'option';
  start: number;
  bytes: number;
}

/**
 * stm8flash main.c facts: an explicit -s address picks its area by range (option window
 * 0x4800..0x487F, then RAM, flash, EEPROM); a named area starts at its start address; the
 * byte count defaults to (and is capped at) the area's size; -s opt covers 0x40 bytes on
 * parts with ≤ 8 KB flash, else 0x80 (the catalogue's optAreaReadSize when it has one) —
 * here never more than the option bytes the catalogue knows, so no reserved bytes are read
 * or written. Where stm8flash would run past the area's end (an address inside it plus the
 * full size), we stop at the area's end instead of reading unmapped memory.
 */
export function planSpan(part: Part, a: Stm8flashArgs): Stm8flashSpan {
  let kind: Stm8flashSpan['kind'];
  if (a.memtype === 'address') {
    const start = a.start as number;
    const inOpt = start >= part.option.start && start < part.option.start + optSize(part);
    const found = inOpt ? 'option' : areaAt(part, start);
    if (!found) {
      throw new AppError(
        'bad-address',
        `address ${hex(start)} is outside ${part.name}'s memory`,
        `${part.name}: ${part.regions.map((r) => `${r.kind} ${hex(r.start)}-${hex(r.end)}`).join(', ')}.`,
      );
    }
    kind = found;
  } else {
    kind = a.memtype === 'opt' ? 'option' : a.memtype;
  }
  const region = regionFor(part, kind);
  const size = kind === 'option' ? optSize(part) : region.size;
  const start = a.memtype === 'address' ? (a.start as number) : region.start;
  const room = region.start + size - start;
  const bytes = Math.min(a.bytes ?? room, room);
  return { area: kind === 'option' ? 'OPT' : (kind.toUpperCase() as Stm8flashSpan['area']), kind, start, bytes };
}

function optSize(part: Part): number {
  return Math.min(part.option.size, part.stm8flash?.optAreaReadSize ?? (part.flash.size <= 8 * 1024 ? 0x40 : 0x80));
}

function areaAt(part: Part, address: number): Stm8flashSpan['kind'] | null {
  for (const kind of ['ram', 'flash', 'eeprom'] as const) {
    const r = kind === 'eeprom' ? part.eeprom : part[kind];
    if (r && address >= r.start && address <= r.end) return kind;
  }
  return null;
}

function regionFor(part: Part, kind: Stm8flashSpan['kind']): MemoryRegion {
  const r = kind === 'option' ? part.option : kind === 'eeprom' ? part.eeprom : part[kind];
  if (!r) {
    throw new AppError(
      'bad-region',
      `${part.name} has no separate EEPROM`,
      'On this part the data area lives inside flash: give its address with -s instead.',
    );
  }
  return r;
}
