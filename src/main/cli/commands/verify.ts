import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import { requirePositional } from '../args';
import { FIRMWARE_FILE_OPTIONS, FIRMWARE_FILE_USAGE, loadFirmwareFile } from '../file-options';
import type { VerifyDoc } from '../json';
import { hexByte } from '../output';
import { hex } from '#shared/hex';
import { ProgressBar } from '../progress';
import { jobOptions, partName, requirePart, withConnection } from '../connect';

/** `swim-studio verify FILE`: compare the chip with a file; exit 1 on a difference. */
export const command = defineCommand({
  name: 'verify',
  summary: 'compare flash/EEPROM/RAM/option bytes with a file',
  usage: [
    'Usage: swim-studio --part PART verify FILE [--format F] [--address ADDR]',
    '',
    'Reads back every byte the file holds and compares. Exit 0 when all match, 1 when any',
    'differs (the first differing addresses are listed).',
    ...FIRMWARE_FILE_USAGE,
    '',
    'JSON: {"verify":{"file","ok","bytes","mismatchCount","mismatches":[{"address","expected","actual"}]}}',
  ],
  options: [...FIRMWARE_FILE_OPTIONS],
  maxPositionals: 1,
  async run({ args, out, io, globals }) {
    const file = requirePositional(args, 'verify needs the name of the file to compare with');
    const part = requirePart(partName(globals));
    const { image } = await loadFirmwareFile(file, part, args.options, ['flash', 'eeprom', 'ram', 'option']);
    const bar = ProgressBar.for(io, out.json);
    const v = await withConnection(globals, {}, async (conn) => {
      const r = await conn.compare(image, jobOptions(io, bar, 'verify'));
      bar.finish();
      return r;
    });
    out.result({ verify: { file, ...v } } satisfies VerifyDoc);
    if (v.ok) {
      out.line(`Verified ${v.bytes} bytes against ${file}: OK.`);
      return EXIT.ok;
    }
    if (!out.json) {
      io.err(`swim-studio: ${v.mismatchCount} of ${v.bytes} bytes differ from ${file}`);
      for (const m of v.mismatches.slice(0, 8)) {
        io.err(`  ${hex(m.address)}: file ${hexByte(m.expected)}, chip ${hexByte(m.actual)}`);
      }
      if (v.mismatchCount > 8) io.err(`  ... and ${v.mismatchCount - 8} more`);
    }
    return EXIT.failed;
  },
});
