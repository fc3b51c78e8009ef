/**
 * The STM8 part catalogue's vocabulary. Built from ../shared/spec/stm8-devices.json
 * (stm8flash's table + gicking/STM8_headers) and stm8-target.md. Pure data: no Node, no DOM.
 * All addresses are 24-bit STM8 addresses.
 */

export type RegionKind = 'ram' | 'eeprom' | 'flash' | 'option' | 'bootrom';

export interface MemoryRegion {
  kind: RegionKind;
  start: number;
  /** Size in bytes. */
  size: number;
  /** Inclusive end address (start + size - 1). */
  end: number;
}

/** Flash controller register set: "stm8s" at 0x505A.. (with NCR2), "stm8l" at 0x5050.. */
export type FlashRegsStyle = 'stm8s' | 'stm8l';

export interface FlashRegisters {
  style: FlashRegsStyle;
  CR1: number;
  CR2: number;
  /** Complement of CR2; STM8S style only. */
  NCR2: number | null;
  IAPSR: number;
  PUKR: number;
  DUKR: number;
  /** CLK_CKDIVR (stm8flash writes 0 before programming). */
  CLK_CKDIVR: number;
}

/**
 * ROP style:
 * - "stm8s": 0xAA at 0x4800 = protected, any other value unprotected; option bytes have
 *   complements; removal = write ROP != 0xAA (mass erase at the next reset).
 * - "stm8l": 0xAA = UNprotected, anything else protected; no complements; removal = write
 *   0xAA twice (first starts a global erase, second unprotects).
 * - "stm8s-polarity-no-complements": STM8L101/001: STM8S polarity, no complements.
 */
export type RopStyle = 'stm8s' | 'stm8l' | 'stm8s-polarity-no-complements';

export interface RopInfo {
  style: RopStyle;
  address: number;
  /** The value to write for "protected" in this style. */
  protectValue: number;
  /** The value that means unprotected after a correct removal (0x00 on S, 0xAA on L). */
  unprotectedValue: number;
}

export interface OptionFieldValue {
  value: number;
  meaning: string;
}

/** A bit field of an option byte. */
export interface OptionField {
  name: string;
  /** Lowest bit of the field (0..7). */
  shift: number;
  /** Width in bits (1..8). */
  width: number;
  /** What the field does, in words. */
  description: string;
  /**
   * switch: one bit on/off; enum: coded values listed in `values`; number: a count
   * (e.g. UBC pages) with `unit` telling what one step means.
   */
  kind: 'switch' | 'enum' | 'number';
  /** Meaning of each value (switch: both 0 and 1; enum: every defined code). */
  values?: OptionFieldValue[];
  /** For kind "number": bytes per step (UBC page size), for display. */
  unitBytes?: number;
  /** Changing it needs a second confirmation (ROP, UBC, HW watchdog, SWIM pin remap...). */
  dangerous?: string;
}

export interface OptionByte {
  address: number;
  name: string;
  description: string;
  /** Address of the complement byte (STM8S style: address + 1), or null. */
  complementAddress: number | null;
  /** Factory value of the primary byte. */
  factory: number;
  fields: OptionField[];
}

export interface Part {
  /** Canonical name, lower case, e.g. "stm8s103f3". */
  name: string;
  /** stm8flash pattern this part answers to, e.g. "stm8s103?3" ("?" = one character). */
  pattern: string;
  /** Other names it is known by (upper-case chip names, package variants...). */
  aliases: string[];
  /** Family line, e.g. "STM8S low density" (as in the JSON). */
  family: string;
  /** Coarse family for behaviour: which ROP/option rules apply. */
  series: 'STM8S' | 'STM8AF' | 'STM8L' | 'STM8AL' | 'STM8L101' | 'STM8TL' | 'STLUX' | 'STNRG' | 'STWBC';
  ram: MemoryRegion;
  /** Separate data EEPROM, or null when the data area lives inside program flash. */
  eeprom: MemoryRegion | null;
  /** True on STM8L101/001/TL5x: the data area is carved out of flash (DATASIZE option). */
  dataInFlash: boolean;
  flash: MemoryRegion;
  option: MemoryRegion;
  bootRom: MemoryRegion | null;
  /** Every region above that exists, in address order. */
  regions: MemoryRegion[];
  blockSize: number;
  flashRegs: FlashRegisters;
  rop: RopInfo;
  /** 12-byte unique ID address, or null where none is documented. */
  uidAddress: number | null;
  optionBytes: OptionByte[];
  /** UBC page size in bytes (for display of the UBC field). */
  ubcPageSize: number;
  /** Where sources disagreed, a note saying which value was chosen and why. */
  notes: string[];
}
