/**
 * The last value of each option byte read from this chip with an intact pair (the byte and its
 * complement agree): what the editor offers as "last good" when a write cut short leaves a pair
 * broken.
 */
import type { Part } from '#shared/catalogue/types';
import type { OptionBytesResult } from '#shared/ipc';

/** Adds the bytes of a reading whose pairs are intact to `lastGood` (address → value). */
export function rememberIntact(part: Part, raw: OptionBytesResult['raw'], lastGood: Map<number, number>): void {
  const at = (a: number) => (a >= raw.address && a < raw.address + raw.data.length ? raw.data[a - raw.address] : undefined);
  for (const ob of part.optionBytes) {
    const v = at(ob.address);
    const c = ob.complementAddress === null ? null : at(ob.complementAddress);
    if (v !== undefined && c !== undefined && (c === null || c === (~v & 0xff))) lastGood.set(ob.address, v);
  }
}
