import { defineWholeRegionCommand } from '../region-jobs';
import { EXIT } from '../command';
import type { BlankDoc } from '../json';
import { hex } from '#shared/hex';

/** `swim-studio blank [--region ...]`: is every byte 0x00? Exit 1 when not. */
export const command = defineWholeRegionCommand({
  name: 'blank',
  summary: 'check that flash and/or EEPROM are erased (all 0x00)',
  explanation: [
    'Exit 0 when every byte of the region (default flash) is 0x00, 1 otherwise.',
    'JSON: {"blank":{"blank","regions":[{"region","start","size","blank","firstNonBlank"}]}}',
  ],
  job: (conn, r, options) => conn.blankCheck({ region: r.kind }, options),
  report(out, checked) {
    const results = checked.map(({ region: r, result: b }) => ({
      region: r.kind,
      start: r.start,
      size: r.size,
      blank: b.blank,
      firstNonBlank: b.firstNonBlank,
    }));
    const blank = results.every((r) => r.blank);
    out.result({ blank: { blank, regions: results } } satisfies BlankDoc);
    for (const r of results) {
      out.line(
        r.blank ? `${r.region} is blank.` : `${r.region} is not blank: first non-zero byte at ${hex(r.firstNonBlank ?? r.start)}.`,
      );
    }
    return blank ? EXIT.ok : EXIT.failed;
  },
});
