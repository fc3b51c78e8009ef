/** The catalogue as the part picker searches it: one summary per part, built once. */
import { allParts } from '#shared/catalogue/index';
import type { PartSummary } from '#shared/ipc';

let summaries: PartSummary[] | null = null;

export function partSummaries(): PartSummary[] {
  summaries ??= allParts().map((p) => ({
    name: p.name,
    family: p.family,
    series: p.series,
    aliases: [...p.aliases],
    flashSize: p.flash.size,
    eepromSize: p.eeprom?.size ?? 0,
    ramSize: p.ram.size,
  }));
  // A copy: the page may sort or change what it gets.
  return summaries.map((s) => ({ ...s, aliases: [...s.aliases] }));
}
