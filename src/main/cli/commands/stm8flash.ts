import { allParts, findPart } from '../../../shared/catalogue/index';
import type { Part } from '../../../shared/catalogue/types';
import { AppError, toErrorData } from '../../../shared/errors';
import type { MemoryImage } from '../../../shared/image/index';
import type { CliCommand, CliIo, GlobalOptions } from '../command';
import { EXIT } from '../command';
import { listProbeDocs } from '../engine-adapter';
import { exitCodeFor } from '../exit-codes';
import { checkSaveTarget, loadImageFile, saveImageFile } from '../image-files';
import { hex } from '../../../shared/hex';
import { hexByte } from '../output';
import { placeImage } from '../placement';
import { partName, targetRequest, withTarget } from '../session';
import type { CliTarget } from '../target';
import { FORMAT_WORDS, formatByExtension, parseStm8flashArgs, type Stm8flashArgs } from '../stm8flash/args';
import { planSpan, type Stm8flashSpan } from '../stm8flash/plan';
import { guardProtect, primariesFromFile } from './opt';

/** The version stm8flash -V prints is "DATE-VERSION"; ours says what answers. */
const STM8FLASH_VERSION = '20170616-1.1 (swim-studio 0.1.0 stm8flash-compatible mode)';

const USAGE = [
  'Usage: swim-studio stm8flash [-c programmer] [-S serialno] [-p partno] [-s memtype] [-b bytes] [-r|-w|-v] <filename>',
  '       swim-studio stm8flash [-c programmer] [-S serialno] [-p partno] -u | -R',
  '',
  'stm8flash-compatible mode: stm8flash\'s options with their meanings, and its key output lines',
  '("Determine FLASH area", "N bytes at 0x8000... OK", "Bytes written: N") on stderr. Differences:',
  '-c is a hint (the attached ST-LINK is detected and used), every write is verified, exit codes',
  'are 0 ok, 1 failed, 2 usage, 3 no probe or no target (never 255).',
  '',
  '  -c programmer  stlink, stlinkv2, stlinkv21 or stlinkv3 (a hint; espstlink is not supported)',
  '  -S serialno    the probe with this serial (hex of its serial-string bytes, as -L prints)',
  '  -p partno      STM8 part, stm8flash pattern or name (stm8s103?3, stm8s103f3p6...)',
  '  -s memtype     flash (default), eeprom, ram, opt, or a hex start address',
  '  -b bytes       number of bytes (default: the whole area)',
  '  -r file        read to file      -w file  write file (then verify)      -v file  verify',
  '  -u             unlock: remove read-out protection (erases flash and EEPROM)',
  '  -R             reset the target only',
  '  -l             list parts        -L       list probes                    -V       version',
  '  -h, -?         this help',
  'Format by extension as stm8flash: .ihx .hex .i86 Intel HEX; .s19 .s8 .srec S-record; else binary.',
].join('\n');

export const command: CliCommand = {
  name: 'stm8flash',
  summary: 'stm8flash-compatible mode (for scripts and PlatformIO; see assets/platformio)',
  usage: USAGE,
  run(args, io, globals) {
    return runStm8flash(args, io, globals);
  },
};

export async function runStm8flash(argv: string[], io: CliIo, globals: GlobalOptions): Promise<number> {
  // stm8flash writes its messages to stderr; results of -l/-L/-V go to stdout.
  const say = (line: string): void => io.err(line);
  try {
    if (argv.length === 0) {
      say(USAGE);
      return EXIT.usage;
    }
    const a = parseStm8flashArgs(argv);
    switch (a.action) {
      case 'help':
        io.out(USAGE);
        return EXIT.ok;
      case 'version':
        io.out(STM8FLASH_VERSION);
        return EXIT.ok;
      case 'list-parts':
        io.out(stm8flashPartList().join(' '));
        return EXIT.ok;
      case 'list-programmers':
        return await listProgrammers(io, globals);
      case null:
        throw new AppError('usage', 'no action has been specified', 'Give one of -r FILE, -w FILE, -v FILE, -u or -R.');
      default:
        break;
    }
    if (a.programmer === 'espstlink') {
      throw new AppError(
        'usage',
        'programmer espstlink is not supported',
        'SWIM Studio drives ST-LINK probes (V1 is not supported either); use stm8flash itself for esp-stlink.',
      );
    }
    if (a.port) say(`Note: -d ${a.port} is for espstlink and is ignored.`);
    const wanted = a.part ?? partName(globals);
    if (!wanted) throw new AppError('part-required', 'no part has been specified', 'Give the part with -p, e.g. -p stm8s103f3 (-l lists them).');
    const part = findPart(wanted);
    const span = planSpan(part, a);
    say(`Determine ${span.area} area`);
    const req = targetRequest(globals, {
      part: part.name,
      probe: a.serial ?? globals.probe,
      preferVariant: a.programmer ? hintVariant(a.programmer) : undefined,
    }, io);
    if (a.action === 'reset') {
      return await withTarget(req, async (t) => {
        announceProbe(t, a, say);
        say('Resetting board...');
        await t.reset(true);
        return EXIT.ok;
      });
    }
    if (a.action === 'unlock') {
      return await withTarget(req, async (t) => {
        announceProbe(t, a, say);
        const u = await t.unlock();
        say(`Unlocked device. Option bytes reset to default state.`);
        say(`Erased: ${u.erased.join(', ') || 'nothing'}; chip ${u.blank ? 'confirmed blank and unprotected' : 'NOT blank'}.`);
        return u.blank ? EXIT.ok : EXIT.failed;
      });
    }
    const file = a.file as string;
    const format = formatByExtension(file);
    const fileLine = `Due to its file extension (or lack thereof), "${file}" is considered as ${FORMAT_WORDS[format]} format!`;
    if (a.action === 'read') {
      await checkSaveTarget(file);
      const data = await withTarget(req, async (t) => {
        announceProbe(t, a, say);
        say(fileLine);
        return t.read(span.start, span.bytes);
      });
      await saveImageFile(file, span.start, data, format);
      say(`Reading ${span.bytes} bytes at ${hex0x(span.start)}... OK`);
      say(`Bytes received: ${span.bytes}`);
      return EXIT.ok;
    }
    // -w and -v: the file is read and checked before any USB traffic.
    const image = await fileImage(file, format, span, part);
    if (a.action === 'verify') {
      return await withTarget(req, async (t) => {
        announceProbe(t, a, say);
        say(fileLine);
        const v = await t.verify(image);
        if (!v.ok) {
          say(`Verifying ${image.byteCount} bytes at ${hex0x(span.start)}... FAILED`);
          for (const m of v.mismatches.slice(0, 8)) say(`  ${hex(m.address)}: file ${hexByte(m.expected)}, chip ${hexByte(m.actual)}`);
          say(`${v.mismatchCount} byte(s) differ.`);
          return EXIT.failed;
        }
        say(`Verifying ${v.bytes} bytes at ${hex0x(span.start)}... OK`);
        say(`Bytes verified: ${v.bytes}`);
        return EXIT.ok;
      });
    }
    // -w. Option bytes are checked (complements, protection) before connecting too.
    const optionWrites = span.kind === 'option' ? primariesFromFile(part, image, file, true) : null;
    if (optionWrites) guardStm8flashProtect(part, optionWrites, file);
    return await withTarget(req, async (t) => {
      announceProbe(t, a, say);
      say(fileLine);
      const count = image.byteCount;
      if (optionWrites) {
        await t.writeOptionBytes(optionWrites, { allowProtect: false });
        say(`${count} bytes at ${hex0x(span.start)}... OK`);
        say(`Bytes written: ${count}`);
        say(`Option bytes read back: OK (complements filled in)`);
        return EXIT.ok;
      }
      const r = await t.program(image, { verify: true, skipUnchanged: true, onProgress: (e) => io.onProgress?.(e) });
      say(`${count} bytes at ${hex0x(span.start)}... OK`);
      say(`Bytes written: ${count}`);
      if (r.verified) say(`Bytes verified: ${r.bytes}`);
      return EXIT.ok;
    });
  } catch (e) {
    const data = toErrorData(e);
    say(`stm8flash: ${data.message}`);
    if (data.remedy) say(`  ${data.remedy}`);
    return exitCodeFor(data.code);
  }
}

/**
 * The file's bytes for -w/-v, as stm8flash would place them: a binary file starts at the
 * span's start; HEX/S19 records keep their addresses and must lie inside the span (as in
 * stm8flash, "out of range" is an error, here before anything is written). Gaps inside the
 * file's extent are written as 0x00, exactly what stm8flash leaves there; nothing below the
 * file's first address or above its last is touched.
 */
async function fileImage(file: string, format: 'ihex' | 'srec' | 'bin', span: Stm8flashSpan, part: Part): Promise<MemoryImage> {
  let { image } = await loadImageFile(file, format, span.start);
  if (image.isEmpty) throw new AppError('empty-image', `${file} holds no data`);
  const b = image.bounds as { start: number; end: number };
  const end = span.start + span.bytes - 1;
  if (b.start < span.start || b.end > end) {
    const what = format === 'bin' ? `is ${image.byteCount} bytes, more than the ${span.bytes} of the ${span.area} area` : `has data at ${hex(b.start)}..${hex(b.end)}, outside the ${span.area} area ${hex(span.start)}..${hex(end)}`;
    throw new AppError(
      'image-outside-area',
      `${file} ${what}`,
      format === 'bin'
        ? 'Check the part (-p) and the area (-s). Nothing was written.'
        : 'A file holding EEPROM or option bytes as well must be written once per area (-s eeprom, -s opt), or all at once with "swim-studio write FILE". Nothing was written.',
    );
  }
  if (span.kind !== 'option') {
    image = image.withGapsFilled({ start: b.start, end: b.end }, 0x00);
    placeImage(image, part, ['flash', 'eeprom', 'ram'], file);
  }
  return image;
}

/** stm8flash has no confirmation switch: a protecting ROP value is sent to `opt`, which has one. */
function guardStm8flashProtect(part: Part, writes: { address: number; value: number }[], file: string): void {
  try {
    guardProtect(part, writes, false);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    throw new AppError(
      e.code,
      e.message,
      `stm8flash mode does not write protection. If you mean it: swim-studio --part ${part.name} opt write ${file} --allow-protect`,
    );
  }
}

/** The probe family a -c value means (docs/spec/stlink-swim.md §1.1: stm8flash's fixed PIDs). */
function hintVariant(p: Stm8flashArgs['programmer']): string {
  return p === 'stlink' ? 'stlinkv1' : (p as string);
}

function sameFamily(hint: string, variant: string): boolean {
  return hint === 'stlinkv3' ? variant.startsWith('stlinkv3') : hint === variant;
}

/** Names the probe found; says so when it is not what -c asked for (docs/spec/anchors.md U6). */
function announceProbe(t: CliTarget, a: Stm8flashArgs, say: (l: string) => void): void {
  const fw = t.probe.firmware ? ` ${t.probe.firmware}` : '';
  say(`Using ${t.probe.name}${fw} (serial ${t.probe.serial}), target ${t.part.name}`);
  if (a.programmer && !sameFamily(hintVariant(a.programmer), t.probe.variant)) {
    say(`Found ${t.probe.name} (${hex(t.probe.productId)}), you asked for ${a.programmer} - using the detected probe.`);
  }
}

async function listProgrammers(io: CliIo, globals: GlobalOptions): Promise<number> {
  const { probes } = await listProbeDocs({ virtual: globals.virtual, simSocket: globals.simSocket });
  // stm8flash -L numbers programmers from 0 and prints "vendor product, Serial Number:HEX".
  probes.forEach((p, i) => io.out(`Programmer ${i}: STMicroelectronics ${p.name}, Serial Number:${p.serial}`));
  if (probes.length === 0) io.err('No ST-LINK found.');
  return probes.length ? EXIT.ok : EXIT.noProbe;
}

/** stm8flash -l prints its part table's names space-separated: here, the catalogue's stm8flash patterns. */
export function stm8flashPartList(): string[] {
  const seen = new Set<string>();
  for (const p of allParts()) if (p.stm8flash) seen.add(p.pattern);
  return [...seen];
}

function hex0x(n: number): string {
  return '0x' + n.toString(16);
}
