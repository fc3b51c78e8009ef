import { isRopActive } from '#shared/catalogue/rop';
import type { OptionByte, Part } from '#shared/catalogue/types';
import { AppError } from '#shared/errors';
import type { CliIo } from '../command';
import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import { parseNumber, usageError } from '../args';
import { readImageFile } from '../../files/image-files';
import { FORMAT_OPTION, formatFromOption } from '../file-options';
import type { OptionsDoc } from '../json';
import type { Output } from '../output';
import { hexByte } from '../output';
import { hex } from '#shared/hex';
import { jobOptions, partName, requirePart, withConnection } from '../connect';
import { optionByteDocs } from '../job-docs';
import type { OptionBytesReport, TargetConnection } from '../../jobs/index';
import { BROKEN_PAIR_AT_RESET, brokenPairs, requireBrokenPairsResolved, type BrokenPair } from '../../jobs/option-pairs';

/**
 * `swim-studio opt`: show the option bytes decoded by name; `opt set FIELD=VALUE...` changes
 * fields; `opt write FILE` writes a raw option-byte file; `opt factory` restores the
 * catalogue's factory values. Complements are always filled in by the engine, so an
 * STVP-style file with only the primary bytes is fine (docs/spec/anchors.md T4); a value that would turn
 * read-out protection on is refused without --allow-protect.
 */
export const command = defineCommand({
  name: 'opt',
  summary: 'show option bytes decoded; set FIELD=VALUE; write a raw option-byte file',
  usage: [
    'Usage: swim-studio --part PART opt                      show every option byte, decoded',
    '       swim-studio --part PART opt set NAME=VALUE ...   change fields or whole bytes',
    '       swim-studio --part PART opt write FILE           write an option-byte file (hex/s19/bin)',
    '       swim-studio --part PART opt factory              restore factory option bytes',
    '',
    'NAME is a byte (OPT2, UBC, ROP...), BYTE.FIELD (OPT3.HSITRIM) or a field name that only one',
    'byte has (WWDG_HALT). VALUE is a number (0x.., decimal) or on/off for one-bit fields.',
    'Complement bytes are written for you; a file holding only the primary bytes (as STVP saves',
    'them) is fine. A byte whose complement is broken on the chip (an interrupted write) has no',
    'known value: give it whole (OPT2=0x00) or add --from-factory; a field change on it is refused.',
    '  --allow-protect   permit a value that turns read-out protection ON (locks the chip)',
    '  --allow-dangerous permit changes to fields marked dangerous (UBC, hardware watchdogs...)',
    '  --from-factory    bytes whose complement is broken start from their factory value',
    '  --format F        file format for "opt write"; default from the extension',
    '',
    'JSON: {"options":{"part","readProtected","bytes":[{"name","address","value","complement",',
    '       "complementOk","fields":[{"name","value","meaning"}]}],"written":[{"address","value"}]}}',
  ],
  options: [{ name: 'allow-protect' }, { name: 'allow-dangerous' }, { name: 'from-factory' }, FORMAT_OPTION],
  maxPositionals: Infinity,
  reword: withOurFlags,
  async run({ args, out, io, globals }) {
    const [verb = 'show', ...rest] = args.positionals;
    const part = requirePart(partName(globals));
    const allowProtect = args.options.has('allow-protect');
    const allowDangerous = args.options.has('allow-dangerous');
    const fromFactory = args.options.has('from-factory');
    const writeBytes = async (conn: TargetConnection, bytes: { address: number; value: number }[]): Promise<OptionBytesReport> => {
      const rep = await conn.writeOptionBytes({ bytes, confirmProtect: allowProtect, confirmDangerous: allowDangerous, fromFactory }, jobOptions(io));
      return rep.after;
    };
    let after: OptionBytesReport;
    let written: { address: number; value: number }[] = [];
    if (verb === 'show') {
      if (rest.length) throw usageError(`unexpected argument "${rest[0]}"`);
      after = await withConnection(globals, {}, (conn) => conn.readOptionBytes(jobOptions(io)));
    } else if (verb === 'set') {
      if (rest.length === 0) throw usageError('opt set needs at least one NAME=VALUE');
      const assignments = rest.map((a) => parseAssignment(part, a));
      // A whole-byte ROP value is known before connecting: refuse it without USB traffic.
      const wholeBytes = assignments.filter((a) => !a.field || a.field.width === 8);
      guardProtect(part, wholeBytes.map((a) => ({ address: a.byte.address, value: a.value })), allowProtect);
      after = await withConnection(globals, {}, async (conn) => {
        const now = await conn.readOptionBytes(jobOptions(io));
        written = applyAssignments(part, now, assignments, fromFactory);
        guardProtect(part, written, allowProtect);
        return writeBytes(conn, written);
      });
    } else if (verb === 'write') {
      const file = rest[0];
      if (!file || rest.length > 1) throw usageError('opt write needs exactly one FILE');
      const format = formatFromOption(file, args.options.get('format'));
      const { image } = await readImageFile(file, { ...(format ? { format } : {}), base: part.option.start });
      written = primariesFromFile(part, image, file);
      guardProtect(part, written, allowProtect);
      after = await withConnection(globals, {}, (conn) => writeBytes(conn, written));
    } else if (verb === 'factory') {
      if (rest.length) throw usageError(`unexpected argument "${rest[0]}"`);
      written = part.optionBytes.map((b) => ({ address: b.address, value: b.factory }));
      guardProtect(part, written, allowProtect);
      after = await withConnection(globals, {}, (conn) => writeBytes(conn, written));
    } else {
      throw usageError(`unknown opt action "${verb}"`, 'Use "opt", "opt set NAME=VALUE", "opt write FILE" or "opt factory".');
    }
    const doc: OptionsDoc = { options: { part: part.name, readProtected: after.ropActive, bytes: optionByteDocs(after), written } };
    out.result(doc);
    printOptions(out, io, doc.options, written);
    return EXIT.ok;
  },
});

/** The engine words its confirmations generically; name the switch this command has. */
function withOurFlags(e: unknown): unknown {
  if (!(e instanceof AppError)) return e;
  if (e.code === 'confirm-required') {
    const rop = ((e.details?.confirmations ?? []) as string[]).includes('ROP');
    return new AppError(e.code, e.message, `If that is what you want, run again with ${rop ? '--allow-protect' : '--allow-dangerous'}.`, e.details);
  }
  if (e.code === 'option-pair-broken') {
    const pairs = (e.details?.brokenPairs ?? []) as BrokenPair[];
    return new AppError(
      e.code,
      e.message,
      `Give the whole byte (${pairs.map((b) => `opt set ${b.name}=${hex(b.factory, 2)}`).join(', ')} sets the factory value), or run again with --from-factory.`,
      e.details,
    );
  }
  return e;
}

interface Assignment {
  byte: OptionByte;
  /** Field to change, or null for the whole byte. */
  field: OptionByte['fields'][number] | null;
  value: number;
  text: string;
}

export function parseAssignment(part: Part, text: string): Assignment {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new AppError('bad-option-field', `"${text}" is not NAME=VALUE`, 'Write e.g. OPT2=0x80 or AFR0=on.');
  const name = text.slice(0, eq).trim().toUpperCase();
  const valueText = text.slice(eq + 1).trim().toLowerCase();
  let byte: OptionByte | undefined;
  let field: Assignment['field'] = null;
  const dot = name.indexOf('.');
  if (dot > 0) {
    byte = part.optionBytes.find((b) => b.name.toUpperCase() === name.slice(0, dot));
    field = byte?.fields.find((f) => f.name.toUpperCase() === name.slice(dot + 1)) ?? null;
    if (!byte || !field) throw unknownName(part, name);
  } else {
    byte = part.optionBytes.find((b) => b.name.toUpperCase() === name);
    if (!byte) {
      const owners = part.optionBytes.filter((b) => b.fields.some((f) => f.name.toUpperCase() === name));
      if (owners.length > 1) {
        throw new AppError(
          'bad-option-field',
          `field ${name} exists in ${owners.map((b) => b.name).join(' and ')}`,
          `Say which: ${owners.map((b) => `${b.name}.${name}`).join(' or ')}.`,
        );
      }
      byte = owners[0];
      field = byte?.fields.find((f) => f.name.toUpperCase() === name) ?? null;
      if (!byte) throw unknownName(part, name);
    }
  }
  const width = field ? field.width : 8;
  let value: number | undefined;
  if (width === 1 && ['on', 'true', 'yes'].includes(valueText)) value = 1;
  else if (width === 1 && ['off', 'false', 'no'].includes(valueText)) value = 0;
  else value = parseNumber(valueText);
  if (value === undefined || value < 0 || value >= 1 << width) {
    throw new AppError(
      'bad-option-value',
      `${name}=${valueText}: the value must fit in ${width} bit${width > 1 ? 's' : ''} (0..${(1 << width) - 1})`,
      field?.values?.length ? `Values: ${field.values.map((v) => `${v.value} = ${v.meaning}`).join('; ')}.` : undefined,
    );
  }
  return { byte, field, value, text };
}

function unknownName(part: Part, name: string): AppError {
  const names = part.optionBytes.map((b) => `${b.name}(${b.fields.map((f) => f.name).join(',')})`).join(' ');
  return new AppError('unknown-option-field', `${part.name} has no option byte or field named ${name}`, `Known: ${names}`);
}

/**
 * New primary values from current ones + assignments, in address order. A field change on a
 * byte whose complement is broken is refused ('option-pair-broken') unless the same command
 * gives the whole byte first or `fromFactory` makes its factory value the base.
 */
export function applyAssignments(part: Part, now: { raw: Uint8Array }, list: Assignment[], fromFactory = false): { address: number; value: number }[] {
  const chip = new Map<number, number>();
  now.raw.forEach((v, i) => chip.set(part.option.start + i, v));
  const broken = brokenPairs(part, chip);
  const whole = new Set<number>();
  const fields = new Map<number, string[]>();
  for (const a of list) {
    if (!a.field) whole.add(a.byte.address);
    else if (!whole.has(a.byte.address)) fields.set(a.byte.address, [...(fields.get(a.byte.address) ?? []), a.field.name]);
  }
  // Only the bytes this command touches: broken bytes it leaves alone are the engine's to refuse.
  requireBrokenPairsResolved(
    broken.filter((b) => whole.has(b.address) || fields.has(b.address)),
    { whole: new Set([...whole].filter((a) => !fields.has(a))), fields, fromFactory },
  );
  const base = (b: OptionByte): number => (fromFactory && broken.some((x) => x.address === b.address) ? b.factory : (chip.get(b.address) ?? b.factory));
  const values = new Map<number, number>();
  for (const a of list) {
    const current = values.get(a.byte.address) ?? base(a.byte);
    if (!a.field) {
      values.set(a.byte.address, a.value);
      continue;
    }
    const mask = ((1 << a.field.width) - 1) << a.field.shift;
    values.set(a.byte.address, (current & ~mask) | ((a.value << a.field.shift) & mask));
  }
  return [...values].sort((x, y) => x[0] - y[0]).map(([address, value]) => ({ address, value }));
}

/**
 * The primary bytes an option-byte file sets. Complement bytes in the file must agree with
 * their primaries (~value) — a file with zero complements (the trap of stm8flash #109) is
 * read as "primary only" only when every complement is absent; a present, wrong complement
 * is an error, never written.
 */
export function primariesFromFile(
  part: Part,
  image: { byteAt(address: number): number | undefined; ranges: { start: number; end: number }[] },
  file: string,
  /** stm8flash mode: a dump of the whole option window also holds reserved bytes; skip them. */
  ignoreUnknown = false,
): { address: number; value: number }[] {
  const known = new Set<number>();
  const writes: { address: number; value: number }[] = [];
  for (const b of part.optionBytes) {
    known.add(b.address);
    if (b.complementAddress !== null) known.add(b.complementAddress);
    const v = image.byteAt(b.address);
    const c = b.complementAddress !== null ? image.byteAt(b.complementAddress) : undefined;
    if (v === undefined) {
      if (c !== undefined) {
        throw new AppError('bad-option-file', `${file} sets the complement of ${b.name} (${hex(b.complementAddress ?? 0)}) but not ${b.name} itself`);
      }
      continue;
    }
    if (c !== undefined && c !== (~v & 0xff)) {
      throw new AppError(
        'bad-option-file',
        `${file}: ${b.name} = ${hexByte(v)} but its complement at ${hex(b.complementAddress ?? 0)} is ${hexByte(c)}, not ${hexByte(~v & 0xff)}`,
        'Remove the complement bytes from the file (they are filled in automatically) or fix them.',
      );
    }
    writes.push({ address: b.address, value: v });
  }
  for (const r of ignoreUnknown ? [] : image.ranges) {
    for (let a = r.start; a <= r.end; a++) {
      if (!known.has(a)) {
        throw new AppError(
          'bad-option-file',
          `${file} has a byte at ${hex(a)}, which is not an option byte of ${part.name}`,
          `Option bytes of ${part.name}: ${part.optionBytes.map((b) => `${b.name} ${hex(b.address)}`).join(', ')}.`,
        );
      }
    }
  }
  if (writes.length === 0) throw new AppError('bad-option-file', `${file} sets no option byte of ${part.name}`);
  return writes.sort((x, y) => x.address - y.address);
}

/** Refuses a write that would turn read-out protection on unless --allow-protect. */
export function guardProtect(part: Part, writes: { address: number; value: number }[], allow: boolean): void {
  const rop = writes.find((w) => w.address === part.rop.address);
  if (rop && isRopActive(part, rop.value) && !allow) {
    throw new AppError(
      'confirm-required',
      `ROP = ${hexByte(rop.value)} turns read-out protection ON: the firmware can no longer be read, and removing it erases the chip`,
      'If that is what you want, run again with --allow-protect.',
      { confirmations: ['ROP'] },
    );
  }
}

function printOptions(out: Output, io: CliIo, o: OptionsDoc['options'], written: { address: number; value: number }[]): void {
  if (out.json) return;
  if (written.length) out.line(`Wrote ${written.map((w) => `${hex(w.address)}=${hexByte(w.value)}`).join(' ')} (complements filled in).`);
  out.line(`Read-out protection: ${o.readProtected ? 'ON' : 'off'}`);
  for (const b of o.bytes) {
    const c = b.complement === null ? '' : ` /${hexByte(b.complement)}${b.complementOk ? '' : ' COMPLEMENT MISMATCH'}`;
    out.line(`${hex(b.address)} ${b.name.padEnd(8)} ${hexByte(b.value)}${c}`);
    for (const f of b.fields) out.line(`    ${f.name.padEnd(12)} ${String(f.value).padStart(3)}  ${f.meaning ?? ''}`);
  }
  const broken = o.bytes.filter((b) => !b.complementOk);
  if (broken.length > 0) {
    io.err(`${broken.map((b) => b.name).join(', ')} ${broken.length === 1 ? 'does' : 'do'} not match ${broken.length === 1 ? 'its complement' : 'their complements'}. ${BROKEN_PAIR_AT_RESET}`);
    io.err(`Rewrite ${broken.length === 1 ? 'it' : 'them'} whole (${broken.map((b) => `opt set ${b.name}=0x..`).join(', ')}), or "opt factory".`);
  }
}
