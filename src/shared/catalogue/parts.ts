/**
 * Builds one Part per entry of stm8-devices.json (104 entries), applying the source-conflict
 * picks of corrections.ts. Parts are frozen: callers get shared, read-only objects.
 */
import { rawDevices, type RawDevice } from './raw';
import type { MemoryRegion, Part, RegionKind } from './types';
import { chipCorrection, correctionsFor } from './corrections';
import { flashWaitOf, optionLayoutOf, seriesOf, ubcPageSizeOf } from './classify';
import { flashRegisters } from './flash-regs';
import { ropInfo } from './rop';
import { buildOptionBytes, ropOnlyRaw } from './option-bytes/build';

/** ROM bootloader window (GX region "BOOTROM"; docs/spec/stm8-target.md §1.1). */
const BOOT_ROM_START = 0x6000;
const BOOT_ROM_SIZE = 0x800;
const OPTION_START = 0x4800;

export function region(kind: RegionKind, start: number, size: number): MemoryRegion {
  return { kind, start, size, end: start + size - 1 };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

function buildPart(raw: RawDevice): Part {
  const series = seriesOf(raw);
  const notes: string[] = [];
  let ramSize = raw.ram.size;
  let flashSize = raw.flash.size;
  let blockSize = raw.blockSize;
  let optionSize = raw.option.size;
  let eepromSize = raw.eeprom.size;
  for (const c of correctionsFor(raw)) {
    if (c.ramSize !== undefined) ramSize = c.ramSize;
    if (c.flashSize !== undefined) flashSize = c.flashSize;
    if (c.blockSize !== undefined) blockSize = c.blockSize;
    if (c.optionSize !== undefined) optionSize = c.optionSize;
    if (c.eepromSize !== undefined) eepromSize = c.eepromSize;
    notes.push(c.note);
  }
  if (raw.blockSizeInferred) {
    notes.push('Not in stm8flash: block size inferred from flash size (<= 8 KB: 64 B, else 128 B).');
  }
  if (raw.name === 'stm8s208?8' || raw.name === 'stm8s208?b') {
    notes.push('EEPROM 2048 B for the C/M/R packages; the 44-pin S package has 1536 B (naming the full part, with its package letter, applies it).');
  }

  // STM8L101/001 and STM8TL5x: no separate EEPROM; stm8flash's placeholder (0x9FFF, size 0) and
  // GX's null start both mean "the data area lives in flash" (DATASIZE option).
  const dataInFlash = series === 'STM8L101' || series === 'STM8TL' || raw.eeprom.start === null || raw.eeprom.size === 0;
  if (dataInFlash) notes.push('Data EEPROM is carved out of program flash, sized by the DATASIZE option byte.');

  const ram = region('ram', raw.ram.start ?? 0, ramSize);
  const eeprom = dataInFlash ? null : region('eeprom', raw.eeprom.start ?? 0, eepromSize);
  const flash = region('flash', raw.flash.start ?? 0x8000, flashSize);
  const option = region('option', raw.option.start ?? OPTION_START, optionSize);
  const romBootloader = raw.romBootloader === true;
  const bootRom = romBootloader ? region('bootrom', BOOT_ROM_START, BOOT_ROM_SIZE) : null;
  const regions = [ram, eeprom, option, bootRom, flash].filter((r): r is MemoryRegion => r !== null).sort((a, b) => a.start - b.start);

  const layout = optionLayoutOf(raw);
  const ubcPageSize = ubcPageSizeOf(layout, blockSize);
  const rop = ropInfo(raw.ropStyle);
  const rawOptions = raw.optionBytes && raw.optionBytes.length > 0 ? raw.optionBytes : ropOnlyRaw(rop.unprotectedValue);
  if (!raw.optionBytes || raw.optionBytes.length === 0) {
    notes.push('No source describes this part\'s option bytes; only ROP at 0x4800 is listed.');
  }
  // The STM8S903's AFR pin table differs from the 003/103 one and was not retrieved.
  const detailedAfr = !raw.name.startsWith('stm8s903');
  const optionBytes = buildOptionBytes(layout, { ubcPageSize, ropStyle: raw.ropStyle }, rawOptions, detailedAfr);

  // docs/spec/anchors.md STF-001: an 8-pin part whose firmware reuses the shared SWIM pin early stops
  // answering SWIM; connecting under reset is the way back in.
  if (raw.name.endsWith('001j3')) {
    notes.push('8-pin package: the SWIM pin is shared with other functions; if firmware reconfigures it, connect under reset.');
  }
  for (const n of raw.notes ?? []) notes.push(`Source note: ${n}`);

  return {
    name: raw.name,
    pattern: raw.name,
    aliases: [...(raw.matchedChips ?? [])],
    family: raw.family,
    series,
    ram,
    eeprom,
    dataInFlash,
    flash,
    option,
    bootRom,
    regions,
    blockSize,
    blockSizeInferred: raw.blockSizeInferred === true,
    romBootloader,
    flashRegs: flashRegisters(raw.flashRegs, flashWaitOf(series)),
    rop,
    uidAddress: raw.uid && raw.uid.start !== null ? raw.uid.start : null,
    optionBytes,
    optionLayout: layout,
    ubcPageSize,
    stm8flash: raw.stm8flash ? { ...raw.stm8flash } : null,
    notes,
  };
}

let cache: readonly Part[] | null = null;

/** Every catalogue entry (104), in JSON order; `name` is the stm8flash pattern or GX part name. */
export function allParts(): Part[] {
  if (!cache) cache = rawDevices.map((r) => deepFreeze(buildPart(r)));
  return [...cache];
}

/**
 * The Part for one concrete chip answered by a catalogue entry: same data, `name` set to the chip,
 * plus any per-chip correction (STM8S208S8/SB EEPROM). Returns the entry itself when the name is
 * the entry's own name.
 */
export function concretePart(entry: Part, chipName: string): Part {
  const name = chipName.toLowerCase();
  if (name === entry.name) return entry;
  const fix = chipCorrection(name);
  let eeprom = entry.eeprom;
  const notes = [...entry.notes];
  if (fix?.eepromSize !== undefined && eeprom) {
    eeprom = region('eeprom', eeprom.start, fix.eepromSize);
    notes.push(fix.note);
  }
  const regions = entry.regions.map((r) => (r.kind === 'eeprom' && eeprom ? eeprom : r));
  return deepFreeze({ ...entry, name, eeprom, regions, notes });
}
