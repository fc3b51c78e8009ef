import type { CliCommand } from '../command';
import { EXIT } from '../command';
import { parseArgs, usageError } from '../args';
import type { BlankDoc } from '../json';
import { createOutput } from '../output';
import { hex } from '#shared/hex';
import { ProgressBar } from '../progress';
import { eraseTargets } from '../regions';
import { jobOptions, partName, requirePart, withConnection } from '../connect';

/** `swim-studio blank [--region ...]`: is every byte 0x00? Exit 1 when not. */
export const command: CliCommand = {
  name: 'blank',
  summary: 'check that flash and/or EEPROM are erased (all 0x00)',
  usage: [
    'Usage: swim-studio --part PART blank [--region flash|eeprom|all]',
    '',
    'Exit 0 when every byte of the region (default flash) is 0x00, 1 otherwise.',
    'JSON: {"blank":{"blank","regions":[{"region","start","size","blank","firstNonBlank"}]}}',
  ].join('\n'),
  async run(args, io, globals) {
    const out = createOutput(io, globals);
    try {
      const p = parseArgs(args, [{ name: 'region', short: 'r', value: true }], 0);
      const part = requirePart(partName(globals));
      const regions = eraseTargets(part, p.options.get('region') ?? 'flash');
      if (regions.length === 0) throw usageError(`${part.name} has no separate EEPROM`);
      const bar = ProgressBar.for(io, out.json);
      const results = await withConnection(globals, {}, async (conn) => {
        const rs = [];
        for (const r of regions) {
          const b = await conn.blankCheck({ region: r.kind }, jobOptions(io, bar, 'blank'));
          bar.finish();
          rs.push({ region: r.kind, start: r.start, size: r.size, blank: b.blank, firstNonBlank: b.firstNonBlank });
        }
        return rs;
      });
      const blank = results.every((r) => r.blank);
      out.result({ blank: { blank, regions: results } } satisfies BlankDoc);
      for (const r of results) {
        out.line(
          r.blank ? `${r.region} is blank.` : `${r.region} is not blank: first non-zero byte at ${hex(r.firstNonBlank ?? r.start)}.`,
        );
      }
      return blank ? EXIT.ok : EXIT.failed;
    } catch (e) {
      return out.fail(e);
    }
  },
};
