/**
 * One board, once it answers: identify, program + verify, serial and per-chip data, option
 * bytes, optional ROP, reset. Everything goes through the engine's TargetConnection (which
 * polls every asynchronous SWIM command to completion); nothing here speaks SWIM.
 */
import { AppError } from '#shared/errors';
import { MemoryImage } from '#shared/image/memory-image';
import { partDifferences, readChipEvidence } from '../diagnostics/chip-identity';
import type { TargetConnection } from '../jobs/index';
import type { Recipe } from './recipe';
import { encodeSerial } from './serial-encoding';
import type { Reservation, SerialJournal } from './serial-journal';
import { deriveUidData } from './uid-data';

export type BoardPhase = 'identify' | 'program' | 'serial' | 'option-bytes' | 'protect' | 'reset';

export interface BoardProgress {
  phase: BoardPhase;
  /** 0..100 over the whole board. */
  percent: number;
}

/** What the job got to, also when it failed part-way (for the log). */
export interface BoardFacts {
  uid: string | null;
  reservation: Reservation | null;
  optionBytes: Record<string, number>;
}

export interface BoardJobOptions {
  recipe: Recipe;
  journal: SerialJournal;
  station: string;
  signal?: AbortSignal;
  onProgress?: (p: BoardProgress) => void;
  /** Called right after the serial is durable in the journal and before it goes to the chip. */
  onReserved?: (r: Reservation) => void;
}

const hex = (b: ArrayLike<number>): string => Buffer.from(Uint8Array.from(b)).toString('hex');

/** The serial and UID-derived bytes for one chip, as one image. */
export function perChipImage(recipe: Recipe, serial: Reservation['serial'], uid: Uint8Array | null): MemoryImage {
  const parts = [MemoryImage.fromBytes('serial', recipe.serial.address, encodeSerial(serial, recipe.serial))];
  for (const rule of recipe.uidData) {
    if (!uid) throw new AppError('no-unique-id', 'This chip has no unique ID to derive data from.', 'Take the unique-ID data out of the recipe, or use a part that has a unique ID.');
    parts.push(MemoryImage.fromBytes(`uid-${rule.derive}`, rule.address, deriveUidData(rule, uid)));
  }
  return MemoryImage.mergeAll(parts);
}

/**
 * Program one board. `facts` is filled as the job goes, so a failure still logs the UID and
 * the reserved serial. Throws the engine's AppErrors, plus 'wrong-chip' and 'uid-refused'.
 */
export async function programBoard(conn: TargetConnection, o: BoardJobOptions, facts: BoardFacts): Promise<void> {
  const { recipe, signal } = o;
  const part = recipe.part;
  const step = (phase: BoardPhase, percent: number): void => o.onProgress?.({ phase, percent });

  step('identify', 0);
  const evidence = await readChipEvidence(conn.session);
  const differences = partDifferences(part, evidence);
  if (differences.length) {
    throw new AppError('wrong-chip', `The chip on this board is not a ${part.name}: ${differences.join('; ')}.`, `Check the board, or use a recipe for the chip it carries.`, { differences });
  }
  const uidBytes = evidence.uid ? Uint8Array.from(evidence.uid) : null;
  facts.uid = uidBytes ? hex(uidBytes) : null;
  const uidKey = facts.uid ?? `no-uid:${o.station}:${Date.now()}`;
  const before = o.journal.previous(uidKey);
  if (before?.passed && recipe.repeatedUid === 'refuse') {
    throw new AppError('uid-refused', `This chip (UID ${facts.uid}) was programmed before with serial ${before.serial}; the recipe refuses repeats.`, 'Put it aside, or set "repeatedUid": "same-serial" to re-program it with its old serial.', {
      serial: before.serial,
    });
  }

  await conn.program(recipe.image, { verify: true, signal, onProgress: (p) => step('program', 5 + (80 * p.done) / Math.max(1, p.total)) });

  step('serial', 85);
  const reservation = o.journal.reserve(uidKey, o.station);
  facts.reservation = reservation;
  o.onReserved?.(reservation);
  await conn.program(perChipImage(recipe, reservation.serial, uidBytes), { verify: true, signal });

  if (Object.keys(recipe.optionBytes).length) {
    step('option-bytes', 90);
    // The recipe is the operator's explicit, reviewed request for these fields.
    await conn.writeOptionBytes({ changes: recipe.optionBytes, confirmDangerous: true }, { signal });
    Object.assign(facts.optionBytes, recipe.optionBytes);
  }
  if (recipe.readoutProtection) {
    step('protect', 95);
    // Consent checked when the recipe was loaded (rop-consent.ts).
    await conn.writeOptionBytes({ bytes: [{ address: part.rop.address, value: part.rop.protectValue }], confirmProtect: true }, { signal });
    facts.optionBytes.ROP = part.rop.protectValue;
  }
  step('reset', 98);
  await conn.session.disconnect({ resume: true });
  step('reset', 100);
}
