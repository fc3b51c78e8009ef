import { defineWholeRegionCommand } from '../region-jobs';
import { EXIT } from '../command';
import type { EraseDoc } from '../json';
import { hex } from '#shared/hex';

/** `swim-studio erase [--region flash|eeprom|all]`: every block to 0x00, the STM8 erased value. */
export const command = defineWholeRegionCommand({
  name: 'erase',
  summary: 'erase flash and/or EEPROM (every byte becomes 0x00)',
  explanation: [
    'Erases the region (default flash) block by block to 0x00, the STM8 erased value.',
    'Option bytes are not touched (use "opt" or "unlock").',
    'JSON: {"erase":{"regions":[{"region","start","size"}]}}',
  ],
  job: (conn, r, options) => conn.erase({ region: r.kind }, options),
  report(out, erased) {
    const regions = erased.map((e) => e.region);
    out.result({ erase: { regions: regions.map((r) => ({ region: r.kind, start: r.start, size: r.size })) } } satisfies EraseDoc);
    for (const r of regions) out.line(`Erased ${r.kind} ${hex(r.start)}..${hex(r.end)} (${r.size} bytes).`);
    return EXIT.ok;
  },
});
