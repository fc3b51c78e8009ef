import type { CliCommand } from '../command';
import { EXIT } from '../command';
import { parseArgs, usageError } from '../args';
import type { EraseDoc } from '../json';
import { createOutput } from '../output';
import { hex } from '#shared/hex';
import { ProgressBar } from '../progress';
import { eraseTargets } from '../regions';
import { jobOptions, partName, requirePart, withConnection } from '../connect';

/** `swim-studio erase [--region flash|eeprom|all]`: every block to 0x00, the STM8 erased value. */
export const command: CliCommand = {
  name: 'erase',
  summary: 'erase flash and/or EEPROM (every byte becomes 0x00)',
  usage: [
    'Usage: swim-studio --part PART erase [--region flash|eeprom|all]',
    '',
    'Erases the region (default flash) block by block to 0x00, the STM8 erased value.',
    'Option bytes are not touched (use "opt" or "unlock").',
    'JSON: {"erase":{"regions":[{"region","start","size"}]}}',
  ].join('\n'),
  async run(args, io, globals) {
    const out = createOutput(io, globals);
    try {
      const p = parseArgs(args, [{ name: 'region', short: 'r', value: true }], 0);
      const part = requirePart(partName(globals));
      const regions = eraseTargets(part, p.options.get('region') ?? 'flash');
      if (regions.length === 0) throw usageError(`${part.name} has no separate EEPROM to erase`);
      const bar = ProgressBar.for(io, out.json);
      await withConnection(globals, {}, async (conn) => {
        for (const r of regions) {
          await conn.erase({ region: r.kind }, jobOptions(io, bar, 'erase'));
          bar.finish();
        }
      });
      out.result({ erase: { regions: regions.map((r) => ({ region: r.kind, start: r.start, size: r.size })) } } satisfies EraseDoc);
      for (const r of regions) out.line(`Erased ${r.kind} ${hex(r.start)}..${hex(r.end)} (${r.size} bytes).`);
      return EXIT.ok;
    } catch (e) {
      return out.fail(e);
    }
  },
};
