/**
 * The bad-input corpus: makes, in a folder, every kind of file a user (or a hostile page, a
 * broken build, an interrupted copy) can hand the CLI, and says for each what a good answer
 * is. Reproducible: the same files every time, nothing random, nothing downloaded. Big files
 * are made with a few large buffer writes (or as sparse files) so the whole corpus is made
 * in a couple of seconds.
 *
 *   npx tsx test/robustness/bad-inputs.ts DIR     makes the files in DIR and lists the cases
 *
 * corpus.test.ts runs the CLI on each and prints the scorecard.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, ftruncateSync, statSync, symlinkSync, writeFileSync, existsSync, lstatSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildElf } from '../unit/image/elf-builder';
import { hexRecord, srecRecord } from '../unit/image/records';

/** One input and what a good answer to it is. */
export interface BadInput {
  /** Short name for the scorecard. */
  name: string;
  /** Arguments after `swim-studio --json` (the virtual probe comes from the environment). */
  argv: string[];
  /** The error code a good answer gives, or 'ok' when the command should succeed. */
  expect: string;
  /** Checked after the run: a description of what went wrong, or undefined. */
  after?: () => string | undefined;
  /** Runs without --json (stm8flash mode has none): judged by exit code and stderr only. */
  plain?: boolean;
}

/** The part of the virtual chip every case runs against. */
export const CORPUS_PART = 'stm8s103f3';

const MB = 1024 * 1024;
const END = hexRecord(1, 0);

/** Makes every input in `dir` (which must exist and be empty) and returns the cases. */
export function makeBadInputs(dir: string): BadInput[] {
  const at = (name: string): string => join(dir, name);
  const put = (name: string, content: string | Uint8Array): string => {
    writeFileSync(at(name), content);
    return at(name);
  };
  const hexFile = (name: string, ...records: string[]): string => put(name, [...records, END, ''].join('\n'));
  const data = (n: number, seed = 1): number[] => Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
  const cases: BadInput[] = [];
  const write = (name: string, file: string, expect: string, extra: string[] = []): void => {
    cases.push({ name, argv: ['write', file, ...extra], expect });
  };

  // ---- Intel HEX ----
  const good = hexFile('good.hex', hexRecord(0, 0x8000, data(16)), hexRecord(0, 0x8010, data(16, 2)));
  write('valid HEX (control)', good, 'ok');
  write('empty file', put('empty.hex', ''), 'bad-file');
  write('HEX cut mid-record', put('truncated.hex', `${hexRecord(0, 0x8000, data(16))}\n${hexRecord(0, 0x8010, data(16)).slice(0, 20)}`), 'bad-file');
  write('HEX without end record', put('no-end.hex', `${hexRecord(0, 0x8000, data(16))}\n`), 'bad-file');
  const wrongSum = hexRecord(0, 0x8000, data(16));
  write('HEX wrong checksum', hexFile('checksum.hex', wrongSum.slice(0, -2) + (wrongSum.endsWith('00') ? '01' : '00')), 'bad-file');
  write('HEX bad character', hexFile('bad-char.hex', ':10800000ZZ' + '00'.repeat(16)), 'bad-file');
  write('HEX odd digit count', hexFile('odd.hex', hexRecord(0, 0x8000, data(4)) + '0'), 'bad-file');
  write('HEX unknown record type', hexFile('type.hex', hexRecord(7, 0, [])), 'bad-file');
  write('HEX data after end', put('after-end.hex', `${END}\n${hexRecord(0, 0x8000, data(4))}\n`), 'bad-file');
  write('HEX overlapping records', hexFile('overlap.hex', hexRecord(0, 0x8000, data(16)), hexRecord(0, 0x8008, data(16))), 'bad-file');
  write('HEX beyond 24-bit space', hexFile('beyond.hex', hexRecord(4, 0, [0x01, 0x00]), hexRecord(0, 0, data(4))), 'bad-file');
  write('HEX outside the part', hexFile('outside.hex', hexRecord(0, 0xa000, data(16))), 'outside-memory');
  write('HEX for a bigger part (wrong part)', hexFile('wrong-part.hex', hexRecord(0, 0x8000, data(16)), hexRecord(0, 0xc000, data(16))), 'outside-memory');
  write('HEX with option bytes, given to write', hexFile('options.hex', hexRecord(0, 0x4803, [0x00, 0xff])), 'image-has-options');
  write('HEX with no data', hexFile('no-data.hex'), 'empty-image');
  write('binary garbage named .hex', put('garbage.hex', Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 17) & 0xff)), 'bad-file');
  write('UTF-16 text named .hex', put('utf16.hex', Buffer.from(`\ufeff${good}`, 'utf16le')), 'bad-file');
  write('one 10 MB line', put('long-line.hex', Buffer.alloc(10 * MB, 0x41)), 'bad-file');
  write('60 MB of blank lines + end record', put('blank-lines.hex', blankLinesThenEnd(60 * MB)), 'empty-image');
  write('35 MB valid HEX', put('big-valid.hex', bigValidHex(35 * MB)), 'file-too-large');
  write('70 MB sparse file (over the read limit)', sparse(at('sparse.bin'), 70 * MB), 'file-too-large');
  write('HEX read as ELF (--format elf)', good, 'bad-file', ['--format', 'elf']);

  // ---- S-records ----
  const srec = (name: string, ...records: string[]): string => put(name, [srecRecord(0, 0, [0x41]), ...records, srecRecord(9, 0), ''].join('\n'));
  write('valid S19 (control)', srec('good.s19', srecRecord(1, 0x8000, data(16))), 'ok');
  write('S19 cut mid-record', put('truncated.s19', `${srecRecord(0, 0)}\n${srecRecord(1, 0x8000, data(16)).slice(0, 17)}`), 'bad-file');
  const s19Sum = srecRecord(1, 0x8000, data(16));
  write('S19 wrong checksum', srec('checksum.s19', s19Sum.slice(0, -2) + (s19Sum.endsWith('00') ? '01' : '00')), 'bad-file');
  write('S19 wrong record count', srec('count.s19', srecRecord(1, 0x8000, data(4)), srecRecord(5, 7)), 'bad-file');
  write('S19 overlapping records', srec('overlap.s19', srecRecord(1, 0x8000, data(16)), srecRecord(1, 0x800f, data(4))), 'bad-file');
  write('S19 outside the part', srec('outside.s19', srecRecord(2, 0x10000, data(16))), 'outside-memory');
  write('S19 with NUL bytes', put('nul.s19', Buffer.alloc(4096)), 'bad-file');
  write('S19 with more data than any STM8', put('big.s19', bigSrec(1 * MB)), 'file-too-large');

  // ---- ELF ----
  const elfFile = (name: string, bytes: Uint8Array): string => put(name, bytes);
  const validElf = buildElf({ segments: [{ paddr: 0x8000, data: Uint8Array.from(data(32)) }] });
  write('valid ELF (control)', elfFile('good.elf', validElf), 'ok');
  write('ELF cut inside the header', elfFile('truncated.elf', validElf.subarray(0, 30)), 'bad-file');
  write('ELF cut inside the data', elfFile('cut-data.elf', buildElf({ segments: [{ paddr: 0x8000, data: new Uint8Array(64) }] }).subarray(0, 80)), 'bad-file');
  write('ELF 64-bit', elfFile('class64.elf', buildElf({ elfClass: 2, segments: [{ paddr: 0x8000, data: new Uint8Array(4) }] })), 'bad-file');
  write('ELF for ARM', elfFile('arm.elf', buildElf({ machine: 40, segments: [{ paddr: 0x8000, data: new Uint8Array(4) }] })), 'bad-file');
  write('ELF object file', elfFile('object.elf', buildElf({ type: 1, segments: [{ paddr: 0x8000, data: new Uint8Array(4) }] })), 'bad-file');
  write('ELF without loadable data', elfFile('no-load.elf', buildElf({ segments: [{ type: 4, paddr: 0x8000, data: new Uint8Array(4) }] })), 'bad-file');
  const same = { paddr: 0x8000, data: new Uint8Array(16) };
  write('ELF with 4000 overlapping segments', elfFile('overlap-4000.elf', buildElf({ segments: Array.from({ length: 4000 }, () => same) })), 'bad-file');
  const tiny = { paddr: 0x8000, data: new Uint8Array(1) };
  write('ELF with 65535 overlapping segments', elfFile('overlap-65535.elf', buildElf({ segments: Array.from({ length: 65535 }, () => tiny) })), 'bad-file');
  write('ELF with 65535 segments, more data than any STM8', elfFile('many-65535.elf', buildElf({ segments: Array.from({ length: 65535 }, (_, i) => ({ paddr: i * 16, data: new Uint8Array(16) })) })), 'file-too-large');

  // ---- raw binary ----
  write('binary larger than flash', put('big.bin', new Uint8Array(9 * 1024)), 'outside-memory');
  write('binary at --address beyond 24 bits', put('small.bin', new Uint8Array(64)), 'bad-address', ['--address', '0x1000000']);
  write('empty binary', put('empty.bin', new Uint8Array(0)), 'empty-image');

  // ---- things that are not regular files ----
  write('/dev/zero', '/dev/zero', 'file-read');
  write('/dev/null', '/dev/null', 'file-read');
  const fifo = at('pipe.hex');
  execFileSync('mkfifo', [fifo]);
  write('FIFO with no writer', fifo, 'file-read');
  cases.push({ name: 'opt write FIFO', argv: ['opt', 'write', fifo], expect: 'file-read' });
  mkdirSync(at('folder.hex'));
  write('a folder', at('folder.hex'), 'file-read');
  const socket = at('socket.hex');
  spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.exit(0))`]);
  write('a Unix socket', socket, 'file-read');
  symlinkSync('loop-b.hex', at('loop-a.hex'));
  symlinkSync('loop-a.hex', at('loop-b.hex'));
  write('a symlink loop', at('loop-a.hex'), 'file-read');
  symlinkSync('nowhere.hex', at('dangling.hex'));
  write('a dangling symlink', at('dangling.hex'), 'file-not-found');
  write('a missing file', at('missing.hex'), 'file-not-found');
  write('stdin as a path (/dev/stdin)', '/dev/stdin', 'file-read');

  // ---- where `read` saves ----
  const read = (name: string, file: string, expect: string, after?: () => string | undefined): void => {
    cases.push({ name, argv: ['read', file], expect, ...(after ? { after } : {}) });
  };
  read('read into /dev/null', '/dev/null', 'file-write', () => (statSync('/dev/null').isCharacterDevice() ? undefined : '/dev/null is no longer a device'));
  read('read into a FIFO', fifo, 'file-write', () => (statSync(fifo).isFIFO() ? undefined : 'the FIFO was replaced'));
  read('read into a folder', at('folder.hex'), 'file-write', () => (statSync(at('folder.hex')).isDirectory() ? undefined : 'the folder was replaced'));
  const readOnly = put('read-only.hex', 'keep me');
  chmodSync(readOnly, 0o444);
  read('read into a read-only file', readOnly, 'file-access', () => (readFileSync(readOnly, 'utf8') === 'keep me' ? undefined : 'the read-only file was overwritten'));
  put('link-target.hex', 'old');
  symlinkSync('link-target.hex', at('link.hex'));
  read('read through a symlink', at('link.hex'), 'ok', () =>
    !lstatSync(at('link.hex')).isSymbolicLink() ? 'the symlink was replaced by a file' : readFileSync(at('link-target.hex'), 'latin1').startsWith(':') ? undefined : 'the target was not written',
  );
  read('read into a missing folder', at('no-such-folder/out.hex'), 'file-write', () => (existsSync(at('no-such-folder')) ? 'a folder was created' : undefined));

  // ---- option files ----
  cases.push({ name: 'opt write with a wrong complement', argv: ['opt', 'write', hexFile('bad-complement.hex', hexRecord(0, 0x4803, [0x00, 0x00]))], expect: 'bad-option-file' });
  cases.push({ name: 'opt write with a non-option byte', argv: ['opt', 'write', hexFile('not-option.hex', hexRecord(0, 0x8000, [1]))], expect: 'bad-option-file' });
  cases.push({ name: 'opt write of /dev/zero', argv: ['opt', 'write', '/dev/zero'], expect: 'file-read' });

  // ---- verify and stm8flash mode ----
  cases.push({ name: 'verify a corrupt file', argv: ['verify', at('checksum.hex')], expect: 'bad-file' });
  const stm8flash = ['stm8flash', '-c', 'stlinkv2', '-p', CORPUS_PART, '-s', 'flash'];
  cases.push({ name: 'stm8flash -w /dev/zero', argv: [...stm8flash, '-w', '/dev/zero'], expect: 'file-read', plain: true });
  cases.push({ name: 'stm8flash -w FIFO', argv: [...stm8flash, '-w', fifo], expect: 'file-read', plain: true });
  cases.push({ name: 'stm8flash -w 35 MB HEX', argv: [...stm8flash, '-w', at('big-valid.hex')], expect: 'file-too-large', plain: true });
  cases.push({ name: 'stm8flash -r into /dev/null', argv: [...stm8flash, '-r', '/dev/null'], expect: 'file-write', plain: true });
  return cases;
}

/** `bytes` newlines with an end record after them: one buffer fill. */
function blankLinesThenEnd(bytes: number): Uint8Array {
  const end = Buffer.from(`${END}\n`);
  const out = Buffer.alloc(bytes + end.length, 0x0a);
  end.copy(out, bytes);
  return out;
}

/**
 * A valid Intel HEX file of about `bytes` bytes: 32-byte records of 0x5A from address 0, an
 * 04 record every 64 KB. Only the address and checksum change from record to record, so
 * the lines are made from a template rather than byte by byte.
 */
function bigValidHex(bytes: number): Uint8Array {
  const payload = '5A'.repeat(32);
  const payloadSum = 32 * 0x5a + 32; // data bytes + the length byte
  const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
  const lines: string[] = [];
  let size = 0;
  for (let address = 0; size < bytes; address += 32) {
    if (address % 0x10000 === 0) lines.push(hexRecord(4, 0, [(address >>> 24) & 0xff, (address >>> 16) & 0xff]));
    const offset = address & 0xffff;
    const sum = -(payloadSum + (offset >> 8) + (offset & 0xff)) & 0xff;
    const line = `:20${hex4(offset)}00${payload}${sum.toString(16).toUpperCase().padStart(2, '0')}`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.push(END, '');
  return Buffer.from(lines.join('\n'), 'latin1');
}

/** An S-record file of about `bytes` bytes of data (S3 records, 32 bytes each). */
function bigSrec(bytes: number): Uint8Array {
  const lines = [srecRecord(0, 0)];
  const payload = new Array<number>(32).fill(0xa5);
  for (let address = 0; address < bytes; address += 32) lines.push(srecRecord(3, address, payload));
  lines.push(srecRecord(7, 0), '');
  return Buffer.from(lines.join('\n'), 'latin1');
}

/** A file of `bytes` zero bytes that takes no disk space (and no time to make). */
function sparse(path: string, bytes: number): string {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return path;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: npx tsx test/robustness/bad-inputs.ts EMPTY_DIR');
    process.exit(2);
  }
  mkdirSync(dir, { recursive: true });
  for (const c of makeBadInputs(resolve(dir))) console.log(`${c.expect.padEnd(17)} ${c.name}: swim-studio${c.plain ? '' : ' --json'} ${c.argv.join(' ')}`);
}
