/**
 * Pure helpers over a part's option-byte description, shared by the simulator, the engine, the
 * CLI and the app: decode what was read, encode what to write (with complements on STM8S-style
 * parts, docs/spec/stm8-target.md §3.2), change named fields, and build the factory image.
 * An "option image" is a map address → byte value.
 */
import { AppError } from '../errors';
import { hex } from '../hex';
import type { DecodedOptionByte, DecodedOptionField, OptionByte, OptionField, OptionWrite, Part } from './types';
import { ubcProtectedBytes } from './ubc';

export type OptionImage = Map<number, number>;
export type ReadonlyOptionImage = ReadonlyMap<number, number>;

function mask(width: number): number {
  return (1 << width) - 1;
}

export function fieldValue(field: OptionField, byte: number): number {
  return (byte >> field.shift) & mask(field.width);
}

/** Words for one value of one field ("IWDG started by hardware at reset", "3 pages = 192 bytes"). */
export function fieldMeaning(field: OptionField, value: number): string {
  const listed = field.values?.find((v) => v.value === value);
  if (listed) return listed.meaning;
  if (field.kind === 'number') {
    if (field.unitBytes !== undefined) {
      if (value === 0) return 'none';
      return `${value} × ${field.unitBytes} B = ${value * field.unitBytes} bytes`;
    }
    return `${value} (${hex(value, 2)})`;
  }
  return field.otherValues ?? `undefined code ${hex(value, 2)}`;
}

/** The UBC size byte (UCB on STLUX/STNRG) follows the part's page rule, not a plain multiply. */
const UBC_FIELDS = new Set(['UBC', 'UCB']);

/** Meaning of a field value in the context of its part (UBC sizes follow ubc.ts). */
export function partFieldMeaning(part: Part, field: OptionField, value: number): string {
  if (UBC_FIELDS.has(field.name)) {
    const bytes = ubcProtectedBytes(part, value);
    if (bytes === null) return `reserved code 0x${value.toString(16).toUpperCase().padStart(2, '0')}`;
    if (bytes === 0) return 'none';
    return `first ${bytes} bytes of flash (0x8000-0x${(0x8000 + bytes - 1).toString(16).toUpperCase()}) write-protected`;
  }
  return fieldMeaning(field, value);
}

function decodeField(part: Part, field: OptionField, byte: number): DecodedOptionField {
  const value = fieldValue(field, byte);
  const d: DecodedOptionField = {
    name: field.name,
    description: field.description,
    shift: field.shift,
    width: field.width,
    kind: field.kind,
    value,
    meaning: partFieldMeaning(part, field, value),
  };
  if (field.dangerous) d.dangerous = field.dangerous;
  return d;
}

/**
 * Decode every option byte of `part` from a reader (e.g. a memory buffer or a read image).
 * A byte the reader has no value for decodes with value null and no fields.
 */
export function decodeOptionBytes(part: Part, read: (address: number) => number | undefined): DecodedOptionByte[] {
  return part.optionBytes.map((ob) => {
    const v = read(ob.address);
    const value = v === undefined ? null : v & 0xff;
    const cv = ob.complementAddress === null ? undefined : read(ob.complementAddress);
    const complementValue = cv === undefined ? null : cv & 0xff;
    const complementOk = ob.complementAddress === null || (value !== null && complementValue !== null && complementValue === (~value & 0xff));
    return {
      address: ob.address,
      name: ob.name,
      description: ob.description,
      value,
      complementAddress: ob.complementAddress,
      complementValue,
      complementOk,
      factory: ob.factory,
      isFactory: value === ob.factory,
      fields: value === null ? [] : ob.fields.map((f) => decodeField(part, f, value)),
    };
  });
}

function checkByte(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new AppError('bad-option-value', `${what}: ${value} is not a byte (0..255).`, 'Give a value from 0x00 to 0xFF.');
  }
}

function byteByKey(part: Part, key: string | number): OptionByte {
  const ob =
    typeof key === 'number'
      ? part.optionBytes.find((o) => o.address === key)
      : part.optionBytes.find((o) => o.name.toUpperCase() === key.toUpperCase());
  if (!ob) {
    const label = typeof key === 'number' ? hex(key, 2) : `"${key}"`;
    throw new AppError(
      'unknown-option-byte',
      `${part.name} has no option byte ${label}.`,
      `Option bytes of ${part.name}: ${part.optionBytes.map((o) => `${o.name}@0x${o.address.toString(16).toUpperCase()}`).join(', ')}.`,
    );
  }
  return ob;
}

/**
 * The bytes to write for the given primary values (keyed by option-byte name like "OPT3", or by
 * address), each followed by its complement where the part has one. Sorted by address.
 */
export function encodeOptionBytes(part: Part, values: Record<string, number> | ReadonlyOptionImage): OptionWrite[] {
  const entries: Array<[string | number, number]> = values instanceof Map ? [...values.entries()] : Object.entries(values as Record<string, number>);
  const out: OptionWrite[] = [];
  for (const [key, value] of entries) {
    const ob = byteByKey(part, key);
    checkByte(ob.name, value);
    out.push({ address: ob.address, value });
    if (ob.complementAddress !== null) out.push({ address: ob.complementAddress, value: ~value & 0xff });
  }
  return out.sort((a, b) => a.address - b.address);
}

/** Address → value of every described option byte and complement in the factory state. */
export function factoryOptionImage(part: Part): OptionImage {
  const img: OptionImage = new Map();
  for (const ob of part.optionBytes) {
    img.set(ob.address, ob.factory);
    if (ob.complementAddress !== null) img.set(ob.complementAddress, ~ob.factory & 0xff);
  }
  return img;
}

/**
 * Add the missing complement bytes to an image that holds only primaries (STVP saves option
 * files that way, docs/spec/anchors.md §1.4). Complements already present are kept as they are — check
 * them with complementMismatches.
 */
export function fillComplements(part: Part, primaryOnly: ReadonlyOptionImage): OptionImage {
  const img: OptionImage = new Map(primaryOnly);
  for (const ob of part.optionBytes) {
    if (ob.complementAddress === null || img.has(ob.complementAddress)) continue;
    const v = img.get(ob.address);
    if (v !== undefined) img.set(ob.complementAddress, ~v & 0xff);
  }
  return img;
}

export interface ComplementMismatch {
  name: string;
  address: number;
  value: number;
  complementAddress: number;
  complementValue: number;
}

/** Option bytes whose complement in `image` is present but not ~value (would upset the chip, docs/spec/stm8-target.md §3.2). */
export function complementMismatches(part: Part, image: ReadonlyOptionImage): ComplementMismatch[] {
  const out: ComplementMismatch[] = [];
  for (const ob of part.optionBytes) {
    if (ob.complementAddress === null) continue;
    const v = image.get(ob.address);
    const c = image.get(ob.complementAddress);
    if (v === undefined || c === undefined) continue;
    if (c !== (~v & 0xff)) out.push({ name: ob.name, address: ob.address, value: v, complementAddress: ob.complementAddress, complementValue: c });
  }
  return out;
}

/** The option byte and field called `fieldName` (field names are unique within a part). */
export function findOptionField(part: Part, fieldName: string): { byte: OptionByte; field: OptionField } | null {
  const n = fieldName.toUpperCase();
  for (const byte of part.optionBytes) {
    const field = byte.fields.find((f) => f.name.toUpperCase() === n);
    if (field) return { byte, field };
  }
  return null;
}

/**
 * Change named fields in an image of primary option bytes and return the new image (the input is
 * not modified). Bytes missing from `byteValues` start from their factory value.
 * @throws AppError "unknown-option-field" / "bad-option-value".
 */
export function applyFieldChanges(part: Part, byteValues: ReadonlyOptionImage, changes: Record<string, number>): OptionImage {
  const img: OptionImage = new Map(byteValues);
  for (const [name, value] of Object.entries(changes)) {
    const hit = findOptionField(part, name);
    if (!hit) {
      const all = part.optionBytes.flatMap((o) => o.fields.map((f) => f.name));
      throw new AppError('unknown-option-field', `${part.name} has no option field "${name}".`, `Fields of ${part.name}: ${all.join(', ')}.`);
    }
    const { byte, field } = hit;
    const max = mask(field.width);
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new AppError('bad-option-value', `${field.name}: ${value} does not fit in ${field.width} bit(s) (0..${max}).`, describeAllowed(field));
    }
    if (field.kind === 'enum' && field.otherValues === undefined && !field.values?.some((v) => v.value === value)) {
      throw new AppError('bad-option-value', `${field.name}: ${value} is not a defined code.`, describeAllowed(field));
    }
    const current = img.get(byte.address) ?? byte.factory;
    const m = max << field.shift;
    img.set(byte.address, ((current & ~m) | (value << field.shift)) & 0xff);
  }
  return img;
}

function describeAllowed(field: OptionField): string {
  if (field.values && field.values.length > 0) {
    return `Allowed for ${field.name}: ${field.values.map((v) => `${v.value} = ${v.meaning}`).join('; ')}${field.otherValues ? `; other values: ${field.otherValues}` : ''}.`;
  }
  return `Allowed for ${field.name}: 0..${mask(field.width)}.`;
}

export interface DangerousChange {
  field: string;
  from: number;
  to: number;
  warning: string;
}

/** Fields marked dangerous whose value differs between two primary images (ask before writing). */
export function dangerousChanges(part: Part, before: ReadonlyOptionImage, after: ReadonlyOptionImage): DangerousChange[] {
  const out: DangerousChange[] = [];
  for (const ob of part.optionBytes) {
    const a = before.get(ob.address) ?? ob.factory;
    const b = after.get(ob.address) ?? ob.factory;
    if (a === b) continue;
    for (const f of ob.fields) {
      const fa = fieldValue(f, a);
      const fb = fieldValue(f, b);
      if (fa !== fb && f.dangerous) out.push({ field: f.name, from: fa, to: fb, warning: f.dangerous });
    }
  }
  return out;
}
