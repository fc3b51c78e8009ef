/**
 * The STM8 part catalogue's vocabulary. Built from src/shared/catalogue/stm8-devices.json
 * (stm8flash's table + gicking/STM8_headers) and docs/spec/stm8-target.md. Pure data: no Node, no DOM.
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
  /** FLASH_FPR / FLASH_NFPR (UBC write-protection mirror); STM8S style only (GX, SPL-S). */
  FPR: number | null;
  NFPR: number | null;
  /** FLASH_WAIT register: STLUX/STNRG 0x5067, STWBC 0x5071, null elsewhere (GX). */
  WAIT: number | null;
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

/** Which option-byte map a part has (one description file per layout under option-bytes/). */
export type OptionLayout =
  | 'stm8s-low' // STM8S001/003/103/903: 0x4800-0x480A
  | 'stm8s-medium' // STM8S005/105: + OPTBL
  | 'stm8s-high' // STM8S007/207/208: + OPT7 wait state + OPTBL
  | 'stm8af-low' // STM8AF621x/622x: like STM8S low density
  | 'stm8af' // STM8AF medium/high density: + TMU, OPT7, OPTBL
  | 'stm8l' // STM8L15x/16x/05x, STM8AL
  | 'stm8l101' // STM8L101/001
  | 'stm8tl' // STM8TL5x
  | 'stlux' // STLUX
  | 'stnrg' // STNRG
  | 'rop-only'; // STWBC, STM8SPLNB1: only ROP is documented

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
  /** Meaning of every value not listed in `values` (e.g. ROP: "any other value: not protected"). */
  otherValues?: string;
}

export interface OptionByte {
  address: number;
  name: string;
  description: string;
  /** Address of the complement byte (STM8S style: address + 1), or null. */
  complementAddress: number | null;
  /** Factory value of the primary byte. */
  factory: number;
  /** Bit fields, lowest bit first; together they may leave reserved bits uncovered. */
  fields: OptionField[];
}

/** One option-byte field as read from a device or file. */
export interface DecodedOptionField {
  name: string;
  description: string;
  shift: number;
  width: number;
  kind: OptionField['kind'];
  value: number;
  /** Meaning of the current value ("watchdog started by hardware at reset", "3 pages = 192 bytes"...). */
  meaning: string;
  dangerous?: string;
}

export interface DecodedOptionByte {
  address: number;
  name: string;
  description: string;
  /** Primary byte value, or null when the reader had no value for that address. */
  value: number | null;
  complementAddress: number | null;
  /** Value read at the complement address (null when there is none or it was not read). */
  complementValue: number | null;
  /** True when the part has no complement for this byte or the complement is exactly ~value. */
  complementOk: boolean;
  factory: number;
  /** True when value equals the factory value. */
  isFactory: boolean;
  fields: DecodedOptionField[];
}

/** One byte to write into the option area. */
export interface OptionWrite {
  address: number;
  value: number;
}

/**
 * One catalogue part. Parts from allParts()/findPart() are deeply frozen, shared objects:
 * copy before changing anything.
 */
export interface Part {
  /**
   * Lower case. From findPart: the chip asked for (e.g. "stm8s103f3", even when it came through
   * a pattern). From allParts: the catalogue entry name, which is the stm8flash pattern
   * ("stm8s103?3") or a gicking part name ("stm8af5168").
   */
  name: string;
  /** The catalogue entry this part comes from: the stm8flash pattern ("?" = one character) or GX name. */
  pattern: string;
  /** Upper-case concrete chips this entry answers to (stm8flash/GX matches, e.g. "STM8S103F3"). */
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
  /** True when no source gave the block size and it follows the density rule (<= 8 KB: 64, else 128). */
  blockSizeInferred: boolean;
  /** True when a ROM bootloader lives at 0x6000-0x67FF (bootRom is then non-null). */
  romBootloader: boolean;
  flashRegs: FlashRegisters;
  rop: RopInfo;
  /** 12-byte unique ID address, or null where none is documented. */
  uidAddress: number | null;
  optionBytes: OptionByte[];
  /** Which option-byte map (and field descriptions) applies. */
  optionLayout: OptionLayout;
  /** UBC page size in bytes: 64 (STM8S/AF low density), 512 (STM8S/AF medium/high), one block on STM8L. See ubc.ts. */
  ubcPageSize: number;
  /** stm8flash's view of the part (SF stm8.c / main.c), or null for parts it does not know. */
  stm8flash: {
    /** ROP_STM8S, ROP_STM8L or ROP_UNKNOWN (stm8flash refuses to unlock the latter). */
    ropMode: string;
    /** Number of option bytes stm8flash's unlock writes. */
    unlockOptionBytes: number;
    /** Bytes `stm8flash -s opt` reads. */
    optAreaReadSize: number;
  } | null;
  /** Where sources disagreed, a note saying which value was chosen and why. */
  notes: string[];
}
