/**
 * What the option-byte editor shows, computed from the part's option-byte description in the
 * catalogue (never written per part): one row per option byte with its raw value, complement
 * and whether the pair is intact, as on the chip and as edited, and under it the fields with a
 * control that suits them, the meaning of the current choice in words and what changed.
 * Pure functions over plain bytes: no Vue, no DOM, so the rules are tested on their own.
 */
import { dangerousChanges, fieldValue, isRopActive, partFieldMeaning, ubcProtectedBytes } from '#shared/catalogue/index';
import type { OptionByte, OptionField, Part } from '#shared/catalogue/types';
import { hex, hex2 } from '#shared/hex';

/** Reads one byte of the option bytes (edited or as on the chip) by absolute address; undefined when unknown. */
export type ByteReader = (address: number) => number | undefined;

export type FieldControl = 'switch' | 'enum' | 'number';

export interface Choice {
  value: number;
  label: string;
}

export interface FieldView {
  /** Option byte the field lives in ("OPT3"). */
  byte: string;
  name: string;
  description: string;
  control: FieldControl;
  shift: number;
  width: number;
  /** Largest value the field holds (2^width - 1). */
  max: number;
  /** Value as edited. */
  value: number;
  /** Value on the chip, null while the chip was not read. */
  chipValue: number | null;
  /** The edited value differs from the chip's. */
  changed: boolean;
  /** Meaning of the edited value, in words. */
  meaning: string;
  chipMeaning: string | null;
  /** For a switch: what "on" (1) means, the checkbox label. */
  onLabel?: string;
  /** For a list: every defined code, plus the current one when it is not defined. */
  choices?: Choice[];
  /** For a size in pages: bytes one step stands for. */
  unitBytes?: number;
  /** For a size in pages: "512 bytes, 0x008000–0x0081FF" (or "none"). */
  sizeText?: string;
  /** The catalogue's warning when changing this field is risky. */
  dangerous?: string;
}

export interface ByteView {
  name: string;
  address: number;
  description: string;
  complementAddress: number | null;
  factory: number;
  /** As edited: primary, complement and whether they pair up. */
  value: number;
  complement: number | null;
  complementOk: boolean;
  /** On the chip (null while unknown). */
  chipValue: number | null;
  chipComplement: number | null;
  chipComplementOk: boolean | null;
  changed: boolean;
  isFactory: boolean;
  /**
   * The chip's pair is broken and the edit has not said what the byte becomes: the values
   * to offer (docs/option-bytes.md). Fields stay locked until one is chosen, since a field
   * change would keep bits of a byte whose value is unknown.
   */
  repair: ByteRepair | null;
  fields: FieldView[];
}

export interface ByteRepair {
  factory: number;
  /** The last value read from this chip with an intact pair, else what the complement vouches for. */
  lastGood: number;
  lastGoodFrom: 'reading' | 'complement';
}


function controlOf(field: OptionField): FieldControl {
  return field.kind;
}

/** The bytes a size field (UBC, PCODESIZE...) covers from the start of flash, or null for a reserved code. */
function sizeBytes(part: Part, field: OptionField, value: number): number | null {
  if (field.unitBytes === undefined) return null;
  if (field.name === 'UBC' || field.name === 'UCB') return ubcProtectedBytes(part, value);
  return Math.min(value * field.unitBytes, part.flash.size);
}

/** "none", "3 pages = 192 bytes, 0x008000–0x0080BF" or "reserved code". */
export function sizeText(part: Part, field: OptionField, value: number): string {
  const bytes = sizeBytes(part, field, value);
  if (bytes === null) return 'reserved code';
  if (bytes === 0) return 'none';
  return `${bytes} bytes, ${hex(part.flash.start, 6)}–${hex(part.flash.start + bytes - 1, 6)}`;
}

function choicesOf(part: Part, field: OptionField, current: number): Choice[] {
  const list = (field.values ?? []).map((v) => ({ value: v.value, label: `${v.meaning} (${hex2(v.value)})` }));
  if (!list.some((c) => c.value === current)) list.push({ value: current, label: `${partFieldMeaning(part, field, current)} (${hex2(current)})` });
  return list.sort((a, b) => a.value - b.value);
}

function fieldView(part: Part, ob: OptionByte, field: OptionField, edited: number, chip: number | null): FieldView {
  const value = fieldValue(field, edited);
  const chipValue = chip === null ? null : fieldValue(field, chip);
  const v: FieldView = {
    byte: ob.name,
    name: field.name,
    description: field.description,
    control: controlOf(field),
    shift: field.shift,
    width: field.width,
    max: (1 << field.width) - 1,
    value,
    chipValue,
    changed: chipValue !== null && chipValue !== value,
    meaning: partFieldMeaning(part, field, value),
    chipMeaning: chipValue === null ? null : partFieldMeaning(part, field, chipValue),
  };
  if (field.kind === 'switch') v.onLabel = field.values?.find((x) => x.value === 1)?.meaning ?? `${field.name} set`;
  if (field.kind === 'enum') v.choices = choicesOf(part, field, value);
  if (field.kind === 'number' && field.unitBytes !== undefined) {
    v.unitBytes = field.unitBytes;
    v.sizeText = sizeText(part, field, value);
  }
  if (field.dangerous) v.dangerous = field.dangerous;
  return v;
}

const pairOk = (v: number, c: number | null): boolean => c === null || c === (~v & 0xff);

/** A byte whose pair is broken on the chip and still broken in the edit: nobody said what it becomes. */
function unresolvedPair(ob: OptionByte, edited: ByteReader, chip: ByteReader): boolean {
  if (ob.complementAddress === null) return false;
  const cv = chip(ob.address);
  const cc = chip(ob.complementAddress);
  if (cv === undefined || cc === undefined || pairOk(cv, cc)) return false;
  const ev = edited(ob.address) ?? ob.factory;
  const ec = edited(ob.complementAddress) ?? (~ev & 0xff);
  return !pairOk(ev, ec);
}

/**
 * The editor's rows. `edited` reads the bytes Write sends; `chip` reads what the chip
 * holds (undefined everywhere while it was not read); `lastGood` the last value of each byte
 * read with an intact pair. A byte missing from `edited` shows its factory value.
 */
export function optionRows(part: Part, edited: ByteReader, chip: ByteReader, lastGood: ByteReader = () => undefined): ByteView[] {
  return part.optionBytes.map((ob) => {
    const value = edited(ob.address) ?? ob.factory;
    const complement = ob.complementAddress === null ? null : (edited(ob.complementAddress) ?? (~value & 0xff));
    const chipValue = chip(ob.address) ?? null;
    const chipComplement = ob.complementAddress === null ? null : (chip(ob.complementAddress) ?? null);
    const remembered = lastGood(ob.address);
    const repair: ByteRepair | null = !unresolvedPair(ob, edited, chip)
      ? null
      : { factory: ob.factory, lastGood: remembered ?? (~(chipComplement ?? 0) & 0xff), lastGoodFrom: remembered === undefined ? 'complement' : 'reading' };
    return {
      name: ob.name,
      address: ob.address,
      description: ob.description,
      complementAddress: ob.complementAddress,
      factory: ob.factory,
      value,
      complement,
      complementOk: pairOk(value, complement),
      chipValue,
      chipComplement,
      chipComplementOk: chipValue === null ? null : ob.complementAddress === null ? true : chipComplement !== null && pairOk(chipValue, chipComplement),
      changed: chipValue !== null && chipValue !== value,
      isFactory: value === ob.factory,
      repair,
      fields: ob.fields.map((f) => fieldView(part, ob, f, value, chipValue)),
    };
  });
}

/** A byte value with one field set to `value` (the other bits kept). */
export function withField(byte: number, field: Pick<OptionField, 'shift' | 'width'>, value: number): number {
  const m = ((1 << field.width) - 1) << field.shift;
  return ((byte & ~m) | ((value << field.shift) & m)) & 0xff;
}

/** One field whose value Write would change, in words. */
export interface FieldChange {
  byte: string;
  field: string;
  from: number;
  to: number;
  fromMeaning: string;
  toMeaning: string;
}

/** One primary byte Write would change (main writes its complement too). */
export interface ByteChange {
  name: string;
  address: number;
  from: number;
  to: number;
  /** The pair is broken on the chip: Write rewrites value and complement whole. */
  repairsPair?: true;
}

/** Why a change needs a second confirmation, and what will happen. */
export interface DangerNotice {
  /** The field name main expects in `confirmations` ("ROP", "UBC", "IWDG_HW"...). */
  field: string;
  title: string;
  consequence: string;
}

export interface WritePlan {
  bytes: ByteChange[];
  /** Bytes whose pair is broken on the chip and not yet given a value: Write must wait. */
  unresolved: string[];
  fields: FieldChange[];
  dangers: DangerNotice[];
  /** True when the write would turn read-out protection on. */
  protects: boolean;
  /** True when the write would turn read-out protection off (erases the chip at the next reset). */
  unprotects: boolean;
}

const PROTECT_CONSEQUENCE =
  'The chip can no longer be read or debugged through SWIM: reads return garbage and flash and data EEPROM refuse writes. ' +
  'Removing the protection later erases everything: program memory, data EEPROM and the option bytes.';
const UNPROTECT_CONSEQUENCE =
  'Removing read-out protection erases program memory and data EEPROM at the next reset; what the chip holds is lost. ' +
  'The unlock wizard does this step by step and checks the chip is blank afterwards.';

/** What Write would change between the chip and the edited bytes, and which changes are dangerous. */
export function writePlan(part: Part, edited: ByteReader, chip: ByteReader): WritePlan {
  const before = new Map<number, number>();
  const after = new Map<number, number>();
  const bytes: ByteChange[] = [];
  const fields: FieldChange[] = [];
  const unresolved: string[] = [];
  for (const ob of part.optionBytes) {
    const from = chip(ob.address) ?? ob.factory;
    const to = edited(ob.address) ?? ob.factory;
    before.set(ob.address, from);
    after.set(ob.address, to);
    if (unresolvedPair(ob, edited, chip)) unresolved.push(ob.name);
    // A pair broken on the chip is rewritten whole, even when the chosen value equals its junk primary.
    const repaired = ob.complementAddress !== null && !pairOk(from, chip(ob.complementAddress) ?? (~from & 0xff)) && !unresolved.includes(ob.name);
    if (from === to) {
      if (repaired) bytes.push({ name: ob.name, address: ob.address, from, to, repairsPair: true });
      continue;
    }
    bytes.push({ name: ob.name, address: ob.address, from, to, ...(repaired ? { repairsPair: true as const } : {}) });
    for (const f of ob.fields) {
      const a = fieldValue(f, from);
      const b = fieldValue(f, to);
      if (a !== b) fields.push({ byte: ob.name, field: f.name, from: a, to: b, fromMeaning: partFieldMeaning(part, f, a), toMeaning: partFieldMeaning(part, f, b) });
    }
  }
  const ropAddr = part.rop.address;
  const ropBefore = isRopActive(part, before.get(ropAddr) ?? 0);
  const ropAfter = isRopActive(part, after.get(ropAddr) ?? 0);
  const protects = !ropBefore && ropAfter;
  const unprotects = ropBefore && !ropAfter;
  const ropField = part.optionBytes.find((o) => o.address === ropAddr)?.fields[0]?.name ?? 'ROP';
  const dangers: DangerNotice[] = [];
  for (const d of dangerousChanges(part, before, after)) {
    if (d.field === ropField) {
      // The consequence depends on the change of state, not on the code written.
      if (protects) dangers.push({ field: d.field, title: 'Turn on read-out protection', consequence: PROTECT_CONSEQUENCE });
      else if (unprotects) dangers.push({ field: d.field, title: 'Remove read-out protection', consequence: UNPROTECT_CONSEQUENCE });
      else dangers.push({ field: d.field, title: `Change the ROP byte (protection stays ${ropAfter ? 'on' : 'off'})`, consequence: d.warning });
      continue;
    }
    const what = fields.find((f) => f.field === d.field);
    dangers.push({ field: d.field, title: `Change ${d.field}${what ? `: ${what.toMeaning}` : ''}`, consequence: d.warning });
  }
  // A remap that gives the SWIM pin (PD1 on STM8S/AF/L15x) to another function locks the probe
  // out of a running chip. The catalogue marks such fields `dangerous` where it knows them; this
  // catches any value whose meaning names the pin, so a table without the flag is still asked about.
  for (const f of fields) {
    if (dangers.some((d) => d.field === f.field)) continue;
    if (SWIM_PIN.test(f.toMeaning)) {
      dangers.push({ field: f.field, title: `Change ${f.field}: ${f.toMeaning}`, consequence: SWIM_PIN_CONSEQUENCE });
    }
  }
  return { bytes, unresolved, fields, dangers, protects, unprotects };
}

const SWIM_PIN = /\bSWIM\b|\bPD1\b/;
const SWIM_PIN_CONSEQUENCE =
  'This gives the SWIM pin to another function once the firmware runs: the probe can then only connect with NRST held low ' +
  '(connect under reset), and not at all where NRST is not wired.';
