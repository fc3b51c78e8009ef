/**
 * Decoded option bytes as both faces show them (the app's OptionByteReading, the CLI's
 * OptionByteDoc): one mapping, so a new field of the decoder reaches both the same way.
 */
import type { DecodedOptionByte } from './catalogue/types';

export interface OptionByteShown {
  name: string;
  address: number;
  value: number;
  complement: number | null;
  complementOk: boolean;
  fields: { name: string; value: number; meaning: string }[];
}

export function optionBytesShown(decoded: readonly DecodedOptionByte[]): OptionByteShown[] {
  return decoded.map((b) => ({
    name: b.name,
    address: b.address,
    value: b.value ?? 0,
    complement: b.complementValue,
    complementOk: b.complementOk,
    fields: b.fields.map((f) => ({ name: f.name, value: f.value, meaning: f.meaning })),
  }));
}
