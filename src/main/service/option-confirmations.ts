/**
 * The app's option-byte requests in the engine's terms, and the per-field confirmations the
 * app asks for before a risky write (the engine has one switch per kind of risk).
 */
import { AppError } from '#shared/errors';
import { dangerousChanges, isRopActive } from '#shared/catalogue/index';
import type { Part } from '#shared/catalogue/types';
import type { WriteOptionBytesRequest } from '#shared/ipc';
import { targetOptionImage } from '../jobs/index';
import type { OptionBytesChanges } from '../jobs/types';

/** The contract's option-byte request in the engine's terms (fields by name, raw bytes by address). */
export function engineOptionRequest(req: WriteOptionBytesRequest): OptionBytesChanges {
  const out: OptionBytesChanges = {};
  if (req.fields?.length) out.changes = Object.fromEntries(req.fields.map((f) => [f.field, f.value]));
  if (req.raw?.length) out.bytes = req.raw.map((b) => ({ address: b.address, value: b.value }));
  return out;
}

/**
 * Refuses, before anything is written, a change to a dangerous field (or enabling ROP) that
 * the user did not confirm by name. The engine has one switch per kind; the app asks per
 * field, so the renderer can show exactly what will be confirmed (details.confirmations).
 */
export function checkConfirmations(part: Part, current: Uint8Array, start: number, req: WriteOptionBytesRequest): void {
  const now = new Map<number, number>();
  for (let i = 0; i < current.length; i++) now.set(start + i, current[i]);
  const after = targetOptionImage(part, now, engineOptionRequest(req));
  const before = new Map(part.optionBytes.map((ob) => [ob.address, now.get(ob.address) ?? ob.factory] as const));
  const needed = new Map<string, string>();
  for (const d of dangerousChanges(part, before, after)) needed.set(d.field, d.warning);
  const ropAddr = part.rop.address;
  if (!isRopActive(part, now.get(ropAddr) ?? 0) && isRopActive(part, after.get(ropAddr) ?? 0)) {
    needed.set('ROP', 'Read-out protection: the chip can then only be unlocked by erasing it.');
  }
  const missing = [...needed.keys()].filter((f) => !req.confirmations.includes(f));
  if (missing.length > 0) {
    throw new AppError(
      'confirm-required',
      `Confirm the change of ${missing.join(', ')} first: ${missing.map((f) => needed.get(f)).join(' ')}`,
      'Tick the confirmation for each of these fields and write again.',
      { confirmations: missing },
    );
  }
}
