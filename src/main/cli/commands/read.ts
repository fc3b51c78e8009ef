import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import { requireNumber, requirePositional } from '../args';
import { saveTarget } from '../../files/atomic-write';
import { saveMemoryFile } from '../../files/image-files';
import { FORMAT_OPTION, saveFormat } from '../file-options';
import type { ReadDoc } from '../json';
import { hex } from '#shared/hex';
import { ProgressBar } from '../progress';
import { resolveSpan } from '../regions';
import { jobOptions, partName, requirePart, withConnection } from '../connect';
import { readContent } from '../job-docs';

/** `swim-studio read FILE [--region R] [--length N] [--format F]`: memory to a file. */
export const command = defineCommand({
  name: 'read',
  summary: 'read flash, EEPROM, RAM, option bytes or an address range into a file',
  usage: [
    'Usage: swim-studio --part PART read FILE [--region REGION] [--length N] [--format hex|s19|bin]',
    '',
    '  --region REGION  flash (default), eeprom, ram, opt, or an address range:',
    '                   0x8000, 0x8000:256 (start:length) or 0x8000..0x80FF (start..end)',
    '  --length N       bytes to read from the region start (decimal, 0x.., or 8k)',
    '  --format F       hex (Intel HEX), s19 (Motorola S-record) or bin; default from the',
    '                   file extension (.hex/.ihx → hex, .s19/.srec/.s8 → s19, else bin)',
    '',
    'The file is written only after the whole read succeeded (never half a file).',
    'JSON: {"read":{"region","start","size","file","format"}}',
  ],
  options: [
    { name: 'region', short: 'r', value: true },
    { name: 'length', short: 'l', value: true },
    FORMAT_OPTION,
  ],
  maxPositionals: 1,
  async run({ args, out, io, globals }) {
    const file = requirePositional(args, 'read needs the name of the file to write');
    const part = requirePart(partName(globals));
    const length = args.options.has('length') ? requireNumber(args.options.get('length') as string, '--length') : undefined;
    const span = resolveSpan(part, args.options.get('region') ?? 'flash', length);
    const format = saveFormat(file, args.options.get('format'));
    // Refused before anything is connected: a folder, device, FIFO or read-only file.
    await saveTarget(file);
    const bar = ProgressBar.for(io, out.json);
    const data = await withConnection(globals, {}, async (conn) => {
      const r = await conn.read({ start: span.start, length: span.length }, jobOptions(io, bar, 'read'));
      bar.finish();
      return readContent(part, r);
    });
    await saveMemoryFile(file, span.start, data, format);
    out.result({ read: { region: span.kind, start: span.start, size: span.length, file, format } } satisfies ReadDoc);
    out.line(`Read ${span.length} bytes of ${span.kind} at ${hex(span.start)} into ${file} (${format}).`);
    return EXIT.ok;
  },
});
