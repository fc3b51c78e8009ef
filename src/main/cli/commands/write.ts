import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import { requirePositional } from '../args';
import { FIRMWARE_FILE_OPTIONS, FIRMWARE_FILE_USAGE, loadFirmwareFile } from '../file-options';
import type { WriteDoc } from '../json';
import { hex } from '#shared/hex';
import { ProgressBar } from '../progress';
import { jobOptions, requirePart, partName, withConnection } from '../connect';
import { writtenRegionDocs } from '../job-docs';

/** `swim-studio write FILE`: program flash/EEPROM (and RAM) from an image, verify after. */
export const command = defineCommand({
  name: 'write',
  summary: 'program flash and EEPROM from a HEX, S19, ELF or binary file (verifies after)',
  usage: [
    'Usage: swim-studio --part PART write FILE [options]',
    '',
    'Programs every byte the file holds: flash and EEPROM (and RAM) records each go to their',
    'memory; blocks that already hold the data are skipped; partial blocks keep what the chip',
    'has around the file\'s bytes. Verifies after writing unless --no-verify. Then the target',
    'runs its firmware unless --halt.',
    '',
    ...FIRMWARE_FILE_USAGE,
    '  --no-verify      do not read back and compare',
    '  --no-skip        rewrite blocks even when they already hold the data',
    '  --halt           leave the target halted instead of running it',
    '',
    'A file with option-byte records is refused here: use "opt write FILE".',
    'A file with bytes outside the part\'s memory is refused before anything is written.',
    'JSON: {"write":{"file","format","regions":[{"region","start","size","blocksWritten",',
    '       "blocksSkipped"}],"bytes","verified","durationMs"}}',
  ],
  options: [...FIRMWARE_FILE_OPTIONS, { name: 'no-verify' }, { name: 'no-skip' }, { name: 'halt' }],
  maxPositionals: 1,
  async run({ args, out, io, globals }) {
    const file = requirePositional(args, 'write needs the name of the file to program');
    const part = requirePart(partName(globals));
    const { image, format } = await loadFirmwareFile(file, part, args.options, ['flash', 'eeprom', 'ram']);
    const verify = !args.options.has('no-verify');
    const bar = ProgressBar.for(io, out.json);
    const started = performance.now();
    const report = await withConnection(globals, { runAfter: !args.options.has('halt') }, async (conn) => {
      const r = await conn.program(image, { ...jobOptions(io, bar), verify, skipUnchanged: !args.options.has('no-skip') });
      bar.finish();
      return r;
    });
    const durationMs = Math.round(performance.now() - started);
    const regions = writtenRegionDocs(part, image, report);
    out.result({ write: { file, format, regions, bytes: report.imageBytes, verified: report.verified, durationMs } } satisfies WriteDoc);
    for (const r of regions) {
      const blocks =
        r.blocksWritten !== null ? ` (${r.blocksWritten} blocks written, ${r.blocksSkipped ?? 0} unchanged)` : '';
      out.line(`Wrote ${r.size} bytes of ${r.region} at ${hex(r.start)}${blocks}.`);
    }
    out.line(report.verified ? `Verified ${report.imageBytes} bytes: OK.` : 'Not verified (--no-verify).');
    return EXIT.ok;
  },
});
