import { allParts } from '#shared/catalogue/index';
import type { Part } from '#shared/catalogue/types';
import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import type { PartDoc, PartsDoc } from '../json';
import { size } from '../output';

/** `swim-studio parts [FILTER]`: the catalogue, optionally filtered. Needs no probe. */
export const command = defineCommand({
  name: 'parts',
  summary: 'list the STM8 parts SWIM Studio knows (no probe needed)',
  usage: [
    'Usage: swim-studio parts [FILTER]',
    '',
    'Lists every part in the catalogue: name, stm8flash pattern, family, flash/EEPROM/RAM sizes.',
    'FILTER keeps parts whose name, alias, pattern or family contains it (case-insensitive),',
    'e.g. "stm8s103" or "STM8L low".',
    '',
    'JSON: {"parts":[{"name","pattern","aliases","family","series","flash":{"start","size"},',
    '       "eeprom":{"start","size"}|null,"ram":{...},"option":{...},"blockSize"}]}',
  ],
  options: [],
  maxPositionals: 1,
  async run({ args, out }) {
    const filter = args.positionals[0]?.toLowerCase();
    const parts = allParts().filter((p) => !filter || matches(p, filter));
    out.result({ parts: parts.map(partDoc) } satisfies PartsDoc);
    if (!out.json) {
      const w = Math.max(4, ...parts.map((p) => p.name.length));
      const pw = Math.max(7, ...parts.map((p) => p.pattern.length));
      out.line(`${'PART'.padEnd(w)}  ${'PATTERN'.padEnd(pw)}  ${'FLASH'.padStart(7)}  ${'EEPROM'.padStart(7)}  ${'RAM'.padStart(7)}  FAMILY`);
      for (const p of parts) {
        out.line(
          `${p.name.padEnd(w)}  ${p.pattern.padEnd(pw)}  ${size(p.flash.size).padStart(7)}  ${(p.eeprom ? size(p.eeprom.size) : '-').padStart(7)}  ${size(p.ram.size).padStart(7)}  ${p.family}`,
        );
      }
      if (parts.length === 0) out.note(`No part matches "${args.positionals[0]}". Run "swim-studio parts" for the full list.`);
    }
    return parts.length > 0 ? EXIT.ok : EXIT.failed;
  },
});

function matches(p: Part, filter: string): boolean {
  return [p.name, p.pattern, p.family, ...p.aliases].some((s) => s.toLowerCase().includes(filter));
}

export function partDoc(p: Part): PartDoc {
  return {
    name: p.name,
    pattern: p.pattern,
    aliases: [...p.aliases],
    family: p.family,
    series: p.series,
    flash: { start: p.flash.start, size: p.flash.size },
    eeprom: p.eeprom ? { start: p.eeprom.start, size: p.eeprom.size } : null,
    ram: { start: p.ram.start, size: p.ram.size },
    option: { start: p.option.start, size: p.option.size },
    blockSize: p.blockSize,
  };
}
