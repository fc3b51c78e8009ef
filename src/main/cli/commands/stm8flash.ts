import { findPart } from '#shared/catalogue/index';
import { AppError, toErrorData } from '#shared/errors';
import type { CliCommand, CliIo, GlobalOptions } from '../command';
import { EXIT } from '../command';
import { partName } from '../connect';
import { exitCodeFor } from '../exit-codes';
import { hintVariant, readToFile, resetTarget, unlockTarget, verifyFile, writeFile, type Stm8flashRun } from '../stm8flash/actions';
import { parseStm8flashArgs, type Stm8flashArgs } from '../stm8flash/args';
import { listProgrammers, stm8flashPartList } from '../stm8flash/lists';
import { planSpan } from '../stm8flash/plan';

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

/** Parses stm8flash's arguments, answers the listing actions, and runs the one chip action. */
export async function runStm8flash(argv: string[], io: CliIo, globals: GlobalOptions): Promise<number> {
  // stm8flash writes its messages to stderr; results of -l/-L/-V go to stdout.
  const say = (line: string): void => io.err(line);
  try {
    if (argv.length === 0) {
      say(USAGE);
      return EXIT.usage;
    }
    const a = parseStm8flashArgs(argv);
    const listed = await listingAction(a, io, globals);
    if (listed !== null) return listed;
    const run = chipRun(a, io, globals, say);
    say(`Determine ${run.span.area} area`);
    switch (a.action) {
      case 'reset':
        return await resetTarget(run);
      case 'unlock':
        return await unlockTarget(run);
      case 'read':
        return await readToFile(run, a.file as string);
      case 'verify':
        return await verifyFile(run, a.file as string);
      default:
        return await writeFile(run, a.file as string);
    }
  } catch (e) {
    const data = toErrorData(e);
    say(`stm8flash: ${data.message}`);
    if (data.remedy) say(`  ${data.remedy}`);
    return exitCodeFor(data.code);
  }
}

/** -h, -V, -l, -L answer without a chip; null when the action needs one. */
async function listingAction(a: Stm8flashArgs, io: CliIo, globals: GlobalOptions): Promise<number | null> {
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
      return listProgrammers(io, globals);
    case null:
      throw new AppError('usage', 'no action has been specified', 'Give one of -r FILE, -w FILE, -v FILE, -u or -R.');
    default:
      return null;
  }
}

/** The part, the area and how to connect, checked before any USB traffic. */
function chipRun(a: Stm8flashArgs, io: CliIo, globals: GlobalOptions, say: (line: string) => void): Stm8flashRun {
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
  const choices = {
    part: part.name,
    ...(a.serial ? { probe: a.serial } : {}),
    ...(a.programmer ? { preferVariant: hintVariant(a.programmer) } : {}),
  };
  return { globals, io, args: a, part, span: planSpan(part, a), choices, say };
}
