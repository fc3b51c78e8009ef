/**
 * Loading a recipe: validate the JSON, resolve every path against the recipe's folder, check
 * each pinned file's SHA-256 (a changed firmware is refused, naming both hashes), read the
 * images and check that everything the recipe writes fits the part and overlaps nothing.
 * All of this happens before any probe is touched, so a bad recipe never reaches a chip.
 */
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AppError } from '#shared/errors';
import { findPart, findOptionField } from '#shared/catalogue/index';
import type { MemoryRegion, Part } from '#shared/catalogue/types';
import { MemoryImage } from '#shared/image/memory-image';
import { readImage } from '#shared/image/format';
import { readRegularFile } from '../files/regular-file';
import { MAX_IMAGE_FILE_BYTES } from '../files/image-files';
import { recipeSchema, type RecipeFile, type RepeatedUidPolicy, type WritableRegion } from './recipe-schema';
import { encodeSerial, type SerialFormat, type SerialValue } from './serial-encoding';
import { uidDataSize, type UidDataRule } from './uid-data';
import { ropConsentText } from './rop-consent';

export interface PinnedFile {
  path: string;
  sha256: string;
}

export interface SerialPlan extends SerialFormat {
  region: WritableRegion;
  address: number;
  /** Numbers start, start+step, …; or the list file's lines in order. */
  source: { kind: 'counter'; start: number; step: number } | { kind: 'list'; values: string[]; file: PinnedFile };
}

export interface Recipe {
  path: string;
  part: Part;
  firmware: PinnedFile[];
  eeprom: PinnedFile[];
  /** Firmware and EEPROM data, merged: what every board gets. */
  image: MemoryImage;
  /** The firmware's identity in the log: its SHA-256, or with several files the SHA-256 of their hashes. */
  firmwareHash: string;
  serial: SerialPlan;
  uidData: (UidDataRule & { region: WritableRegion })[];
  optionBytes: Record<string, number>;
  readoutProtection: boolean;
  repeatedUid: RepeatedUidPolicy;
  logPath: string;
  journalPath: string;
}

const MAX_RECIPE_BYTES = 1024 * 1024;
const MAX_LIST_BYTES = 16 * 1024 * 1024;

function badRecipe(path: string, why: string, remedy = 'Fix the recipe (docs/production.md describes every key).', details?: Record<string, unknown>): AppError {
  return new AppError('bad-recipe', `Recipe ${path}: ${why}`, remedy, details);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Read a pinned file and check its hash; 'file-changed' names both hashes. */
async function readPinned(recipePath: string, base: string, f: { file: string; sha256: string }, maxBytes: number): Promise<{ pinned: PinnedFile; bytes: Uint8Array }> {
  const path = isAbsolute(f.file) ? f.file : resolve(base, f.file);
  const bytes = await readRegularFile(path, maxBytes, f.file);
  const actual = sha256Hex(bytes);
  const expected = f.sha256.toLowerCase();
  if (actual !== expected) {
    throw new AppError(
      'file-changed',
      `${f.file} is not the file the recipe was made for: its SHA-256 is ${actual}, the recipe expects ${expected}.`,
      `Put back the right file, or (if the new one is meant) write ${actual} into ${recipePath}.`,
      { file: path, expected, actual },
    );
  }
  return { pinned: { path, sha256: expected }, bytes };
}

async function readPinnedImage(recipePath: string, base: string, f: RecipeFile['firmware'][number], defaultBase: number): Promise<{ pinned: PinnedFile; image: MemoryImage }> {
  const { pinned, bytes } = await readPinned(recipePath, base, f, MAX_IMAGE_FILE_BYTES);
  const { image } = readImage(f.file, bytes, { base: f.address ?? defaultBase });
  return { pinned, image };
}

function regionOf(part: Part, name: WritableRegion): MemoryRegion {
  const r = name === 'eeprom' ? part.eeprom : part.flash;
  if (!r) throw new AppError('no-such-region', `${part.name} has no separate ${name}.`, 'Put the data in flash.');
  return r;
}

interface Placed {
  what: string;
  start: number;
  end: number;
}

function checkInside(recipePath: string, p: Placed, region: MemoryRegion, regionName: string): void {
  if (p.start < region.start || p.end > region.end) {
    throw badRecipe(recipePath, `${p.what} (0x${p.start.toString(16)}..0x${p.end.toString(16)}) is not inside ${regionName} (0x${region.start.toString(16)}..0x${region.end.toString(16)}).`);
  }
}

function checkNoOverlap(recipePath: string, placed: Placed[]): void {
  const sorted = [...placed].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start <= sorted[i - 1].end) throw badRecipe(recipePath, `${sorted[i - 1].what} and ${sorted[i].what} overlap at 0x${sorted[i].start.toString(16)}.`);
  }
}

function listValues(bytes: Uint8Array): string[] {
  return new TextDecoder()
    .decode(bytes)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Parse and check a recipe already read as text (the app's preview shares this). */
export async function parseRecipe(recipePath: string, text: string): Promise<Recipe> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw badRecipe(recipePath, `not valid JSON (${(e as Error).message}).`);
  }
  const parsed = recipeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : 'top level';
    throw badRecipe(recipePath, `${where}: ${issue.message}.`, undefined, { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  const r = parsed.data;
  const base = dirname(resolve(recipePath));
  const part = findPart(r.part);
  const firmware = await Promise.all(r.firmware.map((f) => readPinnedImage(recipePath, base, f, part.flash.start)));
  const eepromRegion = part.eeprom;
  if (r.eeprom?.length && !eepromRegion) throw badRecipe(recipePath, `"eeprom" data given but ${part.name} has no separate EEPROM.`);
  const eeprom = await Promise.all((r.eeprom ?? []).map((f) => readPinnedImage(recipePath, base, f, eepromRegion?.start ?? 0)));
  const image = MemoryImage.mergeAll([...firmware, ...eeprom].map((x) => x.image));

  const placed: Placed[] = [];
  for (const x of firmware) {
    for (const s of x.image.segments) {
      const p = { what: `firmware ${x.pinned.path}`, start: s.address, end: s.address + s.data.length - 1 };
      const inFlash = p.start >= part.flash.start && p.end <= part.flash.end;
      if (!inFlash) checkInside(recipePath, p, eepromRegion ?? part.flash, eepromRegion ? 'flash or EEPROM' : 'flash');
      placed.push(p);
    }
  }
  for (const x of eeprom) {
    for (const s of x.image.segments) {
      const p = { what: `EEPROM data ${x.pinned.path}`, start: s.address, end: s.address + s.data.length - 1 };
      checkInside(recipePath, p, eepromRegion as MemoryRegion, 'EEPROM');
      placed.push(p);
    }
  }

  let source: SerialPlan['source'];
  if (r.serial.list) {
    const { pinned, bytes } = await readPinned(recipePath, base, r.serial.list, MAX_LIST_BYTES);
    const values = listValues(bytes);
    if (!values.length) throw badRecipe(recipePath, `the serial list ${r.serial.list.file} is empty.`);
    if (new Set(values).size !== values.length) throw badRecipe(recipePath, `the serial list ${r.serial.list.file} names a serial more than once.`);
    source = { kind: 'list', values, file: pinned };
  } else {
    source = { kind: 'counter', start: r.serial.start ?? 0, step: r.serial.step ?? 1 };
  }
  const serial: SerialPlan = { region: r.serial.region, address: r.serial.address, encoding: r.serial.encoding, source };
  if (r.serial.length !== undefined) serial.length = r.serial.length;
  if (r.serial.format !== undefined) serial.format = r.serial.format;
  const sample: SerialValue = source.kind === 'list' ? source.values[0] : source.start;
  const serialSize = encodeSerial(sample, serial).length;
  const serialPlace = { what: 'the serial number', start: serial.address, end: serial.address + serialSize - 1 };
  checkInside(recipePath, serialPlace, regionOf(part, serial.region), serial.region);
  placed.push(serialPlace);

  const uidData = (r.uidData ?? []).map((u, i) => {
    if (part.uidAddress === null) throw badRecipe(recipePath, `"uidData" needs a unique ID, and ${part.name} has none documented.`);
    const rule = { region: u.region, address: u.address, derive: u.derive, ...(u.length !== undefined ? { length: u.length } : {}), ...(u.key !== undefined ? { key: u.key } : {}) };
    const p = { what: `uidData[${i}]`, start: u.address, end: u.address + uidDataSize(rule) - 1 };
    checkInside(recipePath, p, regionOf(part, u.region), u.region);
    placed.push(p);
    return rule;
  });
  checkNoOverlap(recipePath, placed);

  const optionBytes = r.optionBytes ?? {};
  for (const name of Object.keys(optionBytes)) {
    if (!findOptionField(part, name)) {
      throw badRecipe(recipePath, `${part.name} has no option-byte field "${name}".`, `Fields: ${part.optionBytes.flatMap((o) => o.fields.map((f) => f.name)).join(', ')}.`);
    }
  }
  if (r.readoutProtection && r.readoutProtection.consent !== ropConsentText(part)) {
    throw badRecipe(recipePath, 'read-out protection needs the exact consent sentence.', `Write "consent": "${ropConsentText(part)}" (docs/production.md).`);
  }

  const logPath = resolve(base, r.log);
  const hashes = firmware.map((f) => f.pinned.sha256);
  return {
    path: resolve(recipePath),
    part,
    firmware: firmware.map((f) => f.pinned),
    eeprom: eeprom.map((f) => f.pinned),
    image,
    firmwareHash: hashes.length === 1 ? hashes[0] : sha256Hex(new TextEncoder().encode(hashes.join('\n'))),
    serial,
    uidData,
    optionBytes,
    readoutProtection: r.readoutProtection !== undefined,
    repeatedUid: r.repeatedUid ?? 'same-serial',
    logPath,
    journalPath: r.journal ? resolve(base, r.journal) : `${logPath}.journal`,
  };
}

/** Read, validate and check a recipe file. Errors: 'bad-recipe', 'file-changed', file errors, 'unknown-part'. */
export async function loadRecipe(recipePath: string): Promise<Recipe> {
  const bytes = await readRegularFile(recipePath, MAX_RECIPE_BYTES, recipePath);
  return parseRecipe(recipePath, new TextDecoder().decode(bytes));
}
