/**
 * Small constructors for option-byte bit fields, so the per-family tables read like the
 * datasheet option-byte description tables they come from.
 */
import type { OptionField, OptionFieldValue } from '../types';

/** A one-bit switch with the meaning of 0 and of 1. */
export function bit(name: string, shift: number, description: string, off: string, on: string, dangerous?: string): OptionField {
  const f: OptionField = {
    name,
    shift,
    width: 1,
    kind: 'switch',
    description,
    values: [
      { value: 0, meaning: off },
      { value: 1, meaning: on },
    ],
  };
  if (dangerous) f.dangerous = dangerous;
  return f;
}

/** A coded field; `otherValues` describes every code not listed. */
export function choice(
  name: string,
  shift: number,
  width: number,
  description: string,
  values: Array<[number, string]>,
  extra: { otherValues?: string; dangerous?: string } = {},
): OptionField {
  const f: OptionField = {
    name,
    shift,
    width,
    kind: 'enum',
    description,
    values: values.map(([value, meaning]): OptionFieldValue => ({ value, meaning })),
  };
  if (extra.otherValues) f.otherValues = extra.otherValues;
  if (extra.dangerous) f.dangerous = extra.dangerous;
  return f;
}

/** A count (pages, keys, raw byte); `unitBytes` says how many bytes one step is. */
export function count(
  name: string,
  shift: number,
  width: number,
  description: string,
  extra: { unitBytes?: number; dangerous?: string } = {},
): OptionField {
  const f: OptionField = { name, shift, width, kind: 'number', description };
  if (extra.unitBytes !== undefined) f.unitBytes = extra.unitBytes;
  if (extra.dangerous) f.dangerous = extra.dangerous;
  return f;
}
