/** The part catalogue for the app service: lookups and the list the part picker searches. */
import { allParts, findPart } from '../../shared/catalogue';
import type { PartSummary } from '../../shared/ipc';
import type { CataloguePort } from './engine-port';

let summaries: PartSummary[] | null = null;

export const catalogue: CataloguePort = {
  findPart,
  listParts() {
    summaries ??= allParts().map((p) => ({
      name: p.name,
      family: p.family,
      series: p.series,
      aliases: [...p.aliases],
      flashSize: p.flash.size,
      eepromSize: p.eeprom?.size ?? 0,
      ramSize: p.ram.size,
    }));
    return summaries.map((s) => ({ ...s, aliases: [...s.aliases] }));
  },
};
