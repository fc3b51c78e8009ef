/**
 * The device table as stored in stm8-devices.json beside this file (stm8flash's stm8.c table
 * merged with gicking/STM8_headers; docs/spec/stm8-target.md §1.3). This file only gives the
 * JSON a type; parts.ts turns each entry into a Part. Field meanings: docs/spec/stm8-target.md §1.5.
 */
import devices from './stm8-devices.json';

export interface RawRegion {
  /** Null on GX-only STM8L101-type parts that have no separate EEPROM. */
  start: number | null;
  size: number;
}

export interface RawOptionByte {
  /** Hex string, e.g. "0x4805". */
  addr: string;
  name: string;
  /** Hex string, e.g. "0x00". */
  factory: string;
  desc: string;
}

export interface RawDevice {
  name: string;
  family: string;
  ram: RawRegion;
  eeprom: RawRegion;
  flash: RawRegion;
  blockSize: number;
  option: RawRegion;
  flashRegs: 'stm8s' | 'stm8l';
  uid?: RawRegion | null;
  romBootloader?: boolean | null;
  optionBytes?: RawOptionByte[];
  ropStyle: 'stm8s' | 'stm8l' | 'stm8s-polarity-no-complements';
  matchedChips?: string[] | null;
  stm8flash?: { ropMode: string; unlockOptionBytes: number; optAreaReadSize: number } | null;
  altValuesFromGickingXml?: Record<string, unknown> | null;
  blockSizeInferred?: boolean | null;
  sources?: string[];
  notes?: string[] | null;
}

/** Every entry of the JSON, in file order (104 entries). */
export const rawDevices: readonly RawDevice[] = devices as unknown as RawDevice[];

export function parseHexField(s: string): number {
  const n = Number.parseInt(s, 16);
  if (!Number.isFinite(n)) throw new Error(`stm8-devices.json: bad hex "${s}"`);
  return n;
}
