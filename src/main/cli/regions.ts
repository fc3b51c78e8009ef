import { AppError } from '#shared/errors';
import { regionAt, regionOf } from '#shared/catalogue/regions';
import type { MemoryRegion, Part, RegionKind } from '#shared/catalogue/types';
import { parseNumber, usageError } from './args';
import { hex } from '#shared/hex';

/** A span of target memory a command works on. */
export interface Span {
  /** The region it lies in. */
  kind: RegionKind;
  start: number;
  length: number;
}

/** Names users type for the regions (the CLI's and stm8flash's words). */
const REGION_WORDS: Record<string, RegionKind> = {
  flash: 'flash',
  eeprom: 'eeprom',
  data: 'eeprom',
  ram: 'ram',
  opt: 'option',
  option: 'option',
  options: 'option',
};

export function badAddress(part: Part, message: string): AppError {
  const map = part.regions.map((r) => `${r.kind} ${hex(r.start)}-${hex(r.end)}`).join(', ');
  return new AppError('bad-address', message, `${part.name} has: ${map}.`);
}

/**
 * Resolves what a user typed for a region: a name (flash, eeprom, ram, opt), or an address
 * with an optional length or end — "0x8000", "0x8000:256", "0x8000..0x80FF". A span must lie
 * inside one region of the part; anything else is a usage error naming the part's map.
 */
export function resolveSpan(part: Part, text: string, length?: number): Span {
  const word = REGION_WORDS[text.toLowerCase()];
  if (word) {
    const r = regionOf(part, word);
    if (!r) {
      throw new AppError(
        'bad-region',
        `${part.name} has no separate ${text} region`,
        part.dataInFlash ? 'On this part the data area lives inside flash: give its address range instead.' : undefined,
      );
    }
    const len = length ?? r.size;
    return checkSpan(part, { kind: r.kind, start: r.start, length: len });
  }
  let m = /^(.+?)\.\.(.+)$/.exec(text);
  if (m) {
    const start = addressOf(m[1]);
    const end = addressOf(m[2]);
    if (end < start) throw new AppError('bad-address', `range ${text} ends before it starts`, 'Write START..END with END ≥ START.');
    return spanAt(part, start, end - start + 1);
  }
  m = /^(.+?):(.+)$/.exec(text);
  if (m) {
    const len = parseNumber(m[2]);
    if (len === undefined || len <= 0) throw new AppError('bad-address', `length "${m[2]}" is not a positive number`);
    return spanAt(part, addressOf(m[1]), len);
  }
  const start = addressOf(text);
  if (length !== undefined) return spanAt(part, start, length);
  const r = regionHolding(part, start);
  return { kind: r.kind, start, length: r.end - start + 1 };
}

function addressOf(text: string): number {
  const n = parseNumber(text);
  if (n === undefined || n > 0xffffff) {
    throw new AppError(
      'bad-region',
      `"${text}" is neither a region (flash, eeprom, ram, opt) nor an address`,
      'Give a region name or an address such as 0x8000, 0x8000:256 or 0x8000..0x80FF.',
    );
  }
  return n;
}

/** The region holding `start`, or a bad-address error naming the part's map. */
function regionHolding(part: Part, start: number): MemoryRegion {
  const r = regionAt(part, start);
  if (!r) throw badAddress(part, `address ${hex(start)} is outside ${part.name}'s memory`);
  return r;
}

function spanAt(part: Part, start: number, length: number): Span {
  return checkSpan(part, { kind: regionHolding(part, start).kind, start, length });
}

function checkSpan(part: Part, span: Span): Span {
  const r = regionAt(part, span.start);
  const end = span.start + span.length - 1;
  if (!r || span.length <= 0 || end > r.end) {
    throw badAddress(
      part,
      `${hex(span.start)}..${hex(end)} (${span.length} bytes) does not fit in one memory region of ${part.name}`,
    );
  }
  return span;
}

/**
 * The regions "flash", "eeprom" or "all" (erase's and blank's --region) stand for on this
 * part; never empty: asking for the EEPROM alone of a part without one is a usage error.
 */
export function eraseTargets(part: Part, word: string): (MemoryRegion & { kind: 'flash' | 'eeprom' })[] {
  const w = word.toLowerCase();
  const flash = { ...part.flash, kind: 'flash' as const };
  const eeprom = part.eeprom ? [{ ...part.eeprom, kind: 'eeprom' as const }] : [];
  if (w !== 'flash' && w !== 'eeprom' && w !== 'data' && w !== 'all') {
    throw usageError(`region "${word}" cannot be erased or blank-checked`, 'Use --region flash, eeprom or all.');
  }
  if ((w === 'eeprom' || w === 'data') && eeprom.length === 0) throw usageError(`${part.name} has no separate EEPROM`, 'Use --region flash.');
  return w === 'flash' ? [flash] : w === 'all' ? [flash, ...eeprom] : eeprom;
}
