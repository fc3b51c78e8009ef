/**
 * The stm8flash mode's actions on the chip (-R, -u, -r, -v, -w), one function each, with the
 * key lines stm8flash prints on stderr ("Determine FLASH area", "Bytes written: N"...).
 * Every file is read and checked before any USB traffic.
 */
import type { Part } from '#shared/catalogue/types';
import { AppError } from '#shared/errors';
import { hex } from '#shared/hex';
import type { MemoryImage } from '#shared/image/index';
import type { TargetConnection } from '../../jobs/index';
import type { CliIo, GlobalOptions } from '../command';
import { EXIT } from '../command';
import { jobOptions, probeDoc, sameFamily, withConnection, type ConnectChoices } from '../connect';
import { saveTarget } from '../../files/atomic-write';
import { saveMemoryFile } from '../../files/image-files';
import { readContent } from '../job-docs';
import { hexByte } from '../output';
import { ProgressBar } from '../progress';
import { guardProtect, primariesFromFile } from '../commands/opt';
import type { Stm8flashArgs } from './args';
import { FORMAT_WORDS } from './args';
import { stm8flashFormat } from '#shared/image/extensions';
import { fileImage } from './file-image';
import type { Stm8flashSpan } from './plan';

/** What every action needs: where to connect, what stm8flash was asked, how to speak. */
export interface Stm8flashRun {
  globals: GlobalOptions;
  io: CliIo;
  args: Stm8flashArgs;
  part: Part;
  span: Stm8flashSpan;
  choices: ConnectChoices;
  say: (line: string) => void;
}

export function resetTarget(run: Stm8flashRun): Promise<number> {
  return withConnection(run.globals, run.choices, async (conn) => {
    announceProbe(run, conn);
    run.say('Resetting board...');
    await conn.reset({ halt: false });
    return EXIT.ok;
  });
}

export function unlockTarget(run: Stm8flashRun): Promise<number> {
  return withConnection(run.globals, run.choices, async (conn) => {
    announceProbe(run, conn);
    const u = await conn.unlock(jobOptions(run.io));
    run.say(`Unlocked device. Option bytes reset to default state.`);
    run.say(`Erased: ${u.erased.map((e) => e.region).join(', ') || 'nothing'}; chip ${u.blank ? 'confirmed blank and unprotected' : 'NOT blank'}.`);
    return u.blank ? EXIT.ok : EXIT.failed;
  });
}

export async function readToFile(run: Stm8flashRun, file: string): Promise<number> {
  const { span, say } = run;
  // Refused before anything is connected: a folder, device, FIFO or read-only file.
  await saveTarget(file);
  const data = await withConnection(run.globals, run.choices, async (conn) => {
    announceProbe(run, conn);
    say(fileLine(file));
    return readContent(conn.part, await conn.read({ start: span.start, length: span.bytes }, jobOptions(run.io)));
  });
  await saveMemoryFile(file, span.start, data, stm8flashFormat(file));
  say(`Reading ${span.bytes} bytes at ${hex0x(span.start)}... OK`);
  say(`Bytes received: ${span.bytes}`);
  return EXIT.ok;
}

export async function verifyFile(run: Stm8flashRun, file: string): Promise<number> {
  const { span, say } = run;
  const image = await fileImage(file, stm8flashFormat(file), span, run.part);
  return withConnection(run.globals, run.choices, async (conn) => {
    announceProbe(run, conn);
    say(fileLine(file));
    const v = await conn.compare(image, jobOptions(run.io));
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

export async function writeFile(run: Stm8flashRun, file: string): Promise<number> {
  const { span, say, part } = run;
  const image = await fileImage(file, stm8flashFormat(file), span, part);
  // Option bytes are checked (complements, protection) before connecting too.
  const optionWrites = span.kind === 'option' ? primariesFromFile(part, image, file, true) : null;
  if (optionWrites) guardStm8flashProtect(part, optionWrites, file);
  return withConnection(run.globals, run.choices, async (conn) => {
    announceProbe(run, conn);
    say(fileLine(file));
    const count = image.byteCount;
    if (optionWrites) {
      await conn.writeOptionBytes({ bytes: optionWrites, confirmProtect: false, confirmDangerous: false, fromFactory: false }, jobOptions(run.io));
      say(`${count} bytes at ${hex0x(span.start)}... OK`);
      say(`Bytes written: ${count}`);
      say(`Option bytes read back: OK (complements filled in)`);
      return EXIT.ok;
    }
    return programFile(run, conn, image);
  });
}

async function programFile(run: Stm8flashRun, conn: TargetConnection, image: MemoryImage): Promise<number> {
  const count = image.byteCount;
  // No bar in stm8flash mode (its output is fixed lines); embedding callers still get the events.
  const r = await conn.program(image, { ...jobOptions(run.io, new ProgressBar(run.io, false)), verify: true, skipUnchanged: true });
  run.say(`${count} bytes at ${hex0x(run.span.start)}... OK`);
  run.say(`Bytes written: ${count}`);
  if (r.verified) run.say(`Bytes verified: ${r.imageBytes}`);
  return EXIT.ok;
}

function fileLine(file: string): string {
  return `Due to its file extension (or lack thereof), "${file}" is considered as ${FORMAT_WORDS[stm8flashFormat(file)]} format!`;
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

/** The probe family a -c value means (stm8flash's stlink/stlinkv2/stlinkv21/stlinkv3 programmers, by their fixed USB ids). */
export function hintVariant(p: Stm8flashArgs['programmer']): string {
  return p === 'stlink' ? 'stlinkv1' : (p as string);
}

/** Names the probe found; says so when it is not what -c asked for (-c is a hint here, not a filter). */
function announceProbe(run: Stm8flashRun, conn: TargetConnection): void {
  const probe = probeDoc(conn, run.globals);
  const fw = probe.firmware ? ` ${probe.firmware}` : '';
  run.say(`Using ${probe.name}${fw} (serial ${probe.serial}), target ${conn.part.name}`);
  const asked = run.args.programmer;
  if (asked && !sameFamily(hintVariant(asked), probe.variant)) {
    run.say(`Found ${probe.name} (${hex(probe.productId)}), you asked for ${asked} - using the detected probe.`);
  }
}

function hex0x(n: number): string {
  return '0x' + n.toString(16);
}
