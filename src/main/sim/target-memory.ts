/**
 * The arrays behind a virtual STM8: RAM, data EEPROM, program flash, the option/system
 * page (option bytes, unique ID) and the boot ROM, placed by the part's memory map
 * (docs/spec/stm8-target.md §1.1). Registers live in the target, not here.
 */
import type { Part } from '#shared/catalogue/types';

/**
 * The option/system page modelled as one array: 0x4800..0x49FF holds the option window
 * (writable only through the flash controller's OPT mode), the unique ID (0x4865, 0x48CD,
 * 0x4925 or 0x4926 depending on the part) and, elsewhere, read-only zeros (CHOICES.md).
 */
export const INFO_START = 0x4800;
export const INFO_SIZE = 0x200;

export type AreaKind = 'ram' | 'eeprom' | 'flash' | 'info' | 'bootrom';

export interface Located {
  kind: AreaKind;
  bytes: Uint8Array;
  offset: number;
}

export class TargetMemory {
  readonly ram: Uint8Array;
  readonly flash: Uint8Array;
  readonly eeprom: Uint8Array | null;
  readonly info: Uint8Array;
  readonly bootRom: Uint8Array | null;

  constructor(readonly part: Part) {
    this.ram = new Uint8Array(part.ram.size);
    this.flash = new Uint8Array(part.flash.size);
    this.eeprom = part.eeprom && part.eeprom.size > 0 ? new Uint8Array(part.eeprom.size) : null;
    this.info = new Uint8Array(INFO_SIZE);
    this.bootRom = part.bootRom ? makeBootRom(part.bootRom.size) : null;
  }

  /** Which array backs `addr`, or null for an unmapped address (registers are not here). */
  locate(addr: number): Located | null {
    const p = this.part;
    if (addr >= p.ram.start && addr < p.ram.start + this.ram.length) return { kind: 'ram', bytes: this.ram, offset: addr - p.ram.start };
    if (this.eeprom && p.eeprom && addr >= p.eeprom.start && addr < p.eeprom.start + this.eeprom.length) {
      return { kind: 'eeprom', bytes: this.eeprom, offset: addr - p.eeprom.start };
    }
    if (addr >= p.flash.start && addr < p.flash.start + this.flash.length) {
      return { kind: 'flash', bytes: this.flash, offset: addr - p.flash.start };
    }
    if (addr >= INFO_START && addr < INFO_START + INFO_SIZE) return { kind: 'info', bytes: this.info, offset: addr - INFO_START };
    if (this.bootRom && p.bootRom && addr >= p.bootRom.start && addr < p.bootRom.start + this.bootRom.length) {
      return { kind: 'bootrom', bytes: this.bootRom, offset: addr - p.bootRom.start };
    }
    return null;
  }

  /** Is `addr` inside the part's option window (writable option bytes)? */
  isOptionByte(addr: number): boolean {
    const o = this.part.option;
    return addr >= o.start && addr < o.start + o.size;
  }

  /** Fill the option window with the factory values (OPTx and their complements). */
  loadFactoryOptions(): void {
    const o = this.part.option;
    this.info.fill(0x00, o.start - INFO_START, o.start - INFO_START + o.size);
    for (const ob of this.part.optionBytes) {
      this.info[ob.address - INFO_START] = ob.factory & 0xff;
      if (ob.complementAddress !== null) this.info[ob.complementAddress - INFO_START] = ~ob.factory & 0xff;
    }
  }
}

/** Any fixed bytes will do for the boot ROM (simulator brief); a recognisable pattern. */
function makeBootRom(size: number): Uint8Array {
  const rom = new Uint8Array(size);
  for (let i = 0; i < size; i++) rom[i] = (i * 37 + 0x5a) & 0xff;
  return rom;
}
