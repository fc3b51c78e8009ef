import { defineCommand } from '../define-command';
import { forEachChosenRegion, WHOLE_REGION_OPTION } from '../region-jobs';
import { EXIT } from '../command';
import type { EraseDoc } from '../json';
import { hex } from '#shared/hex';

/** `swim-studio erase [--region flash|eeprom|all]`: every block to 0x00, the STM8 erased value. */
export const command = defineCommand({
  name: 'erase',
  summary: 'erase flash and/or EEPROM (every byte becomes 0x00)',
  usage: [
    'Usage: swim-studio --part PART erase [--region flash|eeprom|all]',
    '',
    'Erases the region (default flash) block by block to 0x00, the STM8 erased value.',
    'Option bytes are not touched (use "opt" or "unlock").',
    'JSON: {"erase":{"regions":[{"region","start","size"}]}}',
  ],
  options: [WHOLE_REGION_OPTION],
  async run(ctx) {
    const { out } = ctx;
    const erased = await forEachChosenRegion(ctx, 'erase', (conn, r, options) => conn.erase({ region: r.kind }, options));
    const regions = erased.map((e) => e.region);
    out.result({ erase: { regions: regions.map((r) => ({ region: r.kind, start: r.start, size: r.size })) } } satisfies EraseDoc);
    for (const r of regions) out.line(`Erased ${r.kind} ${hex(r.start)}..${hex(r.end)} (${r.size} bytes).`);
    return EXIT.ok;
  },
});
