/**
 * Issue 13 item 4: large and hostile image files. The text formats are read line by line
 * from the bytes (no array of lines, no whole-file string), a file may load no more data
 * than the largest part has memory, overlapping ELF segments are refused like overlapping
 * HEX/S-record records, and the app's parse gives the event loop turns while it runs.
 * Speed is not asserted here (bench/ shows it); what is asserted is what happens.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '#shared/errors';
import { readImage, readImagePausing } from '#shared/image/format';
import { maxImageDataBytes } from '#shared/image/data-limit';
import { MAX_LINE_CHARS } from '#shared/image/record-lines';
import { allParts } from '#shared/catalogue/parts';
import { loadImage } from '../../src/main/service/image-load';
import { findPart } from '#shared/catalogue/lookup';
import { buildElf } from '../unit/image/elf-builder';
import { expectBadFile, hexRecord, srecRecord } from '../unit/image/helpers';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const END = hexRecord(1, 0);

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

/** A valid Intel HEX file with `bytes` bytes of data from 0, in 16-byte records. */
function hexOf(bytes: number): string {
  const lines: string[] = [];
  const data = new Uint8Array(16).fill(0x5a);
  for (let a = 0; a < bytes; a += 16) {
    if (a % 0x10000 === 0) lines.push(hexRecord(4, 0, [a >>> 24, (a >>> 16) & 0xff]));
    lines.push(hexRecord(0, a & 0xffff, data));
  }
  return [...lines, END, ''].join('\n');
}

describe('text formats, line by line', () => {
  it('millions of blank lines cost a scan: the record after them is read, with its line number', () => {
    const blanks = 4_000_000;
    const file = ascii('\n'.repeat(blanks) + hexRecord(0, 0x8000, [1, 2]) + '\r\n\r\n' + END + '\n');
    const { image } = readImage('blank.hex', file);
    expect([...image.toBytes(0x8000, 0x8001)]).toEqual([1, 2]);
    expectBadFile(() => readImage('blank.hex', ascii('\n'.repeat(blanks) + ':zz\n')), { reason: 'bad-character', line: blanks + 1 });
  });

  it('a line longer than any record is refused at that line, without reading it all', () => {
    const long = 'S1' + '0'.repeat(MAX_LINE_CHARS * 10);
    expectBadFile(() => readImage('long.s19', ascii(srecRecord(0, 0) + '\n' + long + '\n')), { reason: 'too-long', line: 2 });
  });

  it('lone CR, CRLF and LF endings count lines the same way', () => {
    expectBadFile(() => readImage('mixed.hex', ascii('\r\n\r\n\n\r:zz')), { reason: 'bad-character', line: 5 });
  });
});

describe('what a file may load is capped to the largest part', () => {
  const cap = maxImageDataBytes();

  it('is the memory of the largest catalogue part', () => {
    const largest = Math.max(...allParts().map((p) => p.regions.reduce((n, r) => n + r.size, 0)));
    expect(cap).toBe(largest);
    expect(cap).toBeGreaterThanOrEqual(128 * 1024); // 128 KB flash parts exist
  });

  it('a valid HEX holding more is refused at the line that passes the mark', () => {
    const e = refusal(() => readImage('huge.hex', ascii(hexOf(cap + 4096))));
    expect(e.code).toBe('file-too-large');
    // 16 bytes a record, plus one extended address record every 4096 records.
    const record = Math.floor(cap / 16) + 1;
    expect(e.message).toContain(`line ${record + Math.ceil(record / 4096)}`);
    expect(readImage('fits.hex', ascii(hexOf(cap - 16))).image.byteCount).toBe(cap - 16);
  });

  it('S-record, binary and ELF files too', () => {
    const lines = [srecRecord(0, 0)];
    for (let a = 0; a <= cap; a += 32) lines.push(srecRecord(3, a, new Uint8Array(32)));
    expect(refusal(() => readImage('huge.s19', ascii(lines.join('\n')))).code).toBe('file-too-large');
    expect(refusal(() => readImage('huge.bin', new Uint8Array(cap + 1))).code).toBe('file-too-large');
    const elf = buildElf({ segments: [{ paddr: 0x8000, data: new Uint8Array(cap + 1) }] });
    expect(refusal(() => readImage('huge.elf', elf)).code).toBe('file-too-large');
  });
});

describe('ELF segments', () => {
  it('two segments loading the same address are refused, naming both', () => {
    const elf = buildElf({
      segments: [
        { paddr: 0x8000, data: new Uint8Array(0x100) },
        { paddr: 0x9000, data: new Uint8Array(0x10) },
        { paddr: 0x80f0, data: new Uint8Array(0x20) },
      ],
    });
    const message = expectBadFile(() => readImage('overlap.elf', elf), { reason: 'overlap' });
    expect(message).toMatch(/segment 2 .*overlaps segment 0/);
  });

  it('identical overlapping segments are refused too (even when they agree byte for byte)', () => {
    const same = { paddr: 0x8000, data: new Uint8Array(16).fill(7) };
    const segments = Array.from({ length: 4000 }, () => same);
    expectBadFile(() => readImage('many.elf', buildElf({ segments })), { reason: 'overlap' });
  });
});

describe('the app never freezes on a file', () => {
  it('the parse gives the event loop turns all along a long file', async () => {
    const file = ascii('\n'.repeat(8 * 1024 * 1024) + hexRecord(0, 0x8000, [1]) + '\n' + END + '\n');
    let pauses = 0;
    const { image } = await readImagePausing('slow.hex', file, {}, async () => {
      pauses++;
    });
    expect(image.byteAt(0x8000)).toBe(1);
    expect(pauses).toBeGreaterThanOrEqual(16); // at least one every 512 KB

    // The service's loader: other work (here a counter on setImmediate) runs during the parse.
    let turns = 0;
    let running = true;
    const spin = (): void => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const loaded = await loadImage('slow.hex', file, findPart('stm8s103f3'));
    running = false;
    expect(loaded.segments).toHaveLength(1);
    expect(turns).toBeGreaterThanOrEqual(16);
  });
});
