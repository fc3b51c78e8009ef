import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIntelHex, writeIntelHex } from '#shared/image/intel-hex';
import { parseSrec } from '#shared/image/srec';
import { MemoryImage } from '#shared/image/memory-image';
import { expectBadFile, hexRecord, pattern, sampleImage } from './helpers';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/image/${name}`, import.meta.url)));
const EOF_RECORD = ':00000001FF';
const file = (...lines: string[]): string => lines.join('\n') + '\n';

describe('Intel HEX round trip', () => {
  it('read → write → read gives the same image, including addresses above 64 KB', () => {
    const img = sampleImage({ above64k: true });
    const text = writeIntelHex(img);
    const back = parseIntelHex('out.hex', text);
    expect(back.equals(img)).toBe(true);
    const again = parseIntelHex('again.hex', writeIntelHex(back));
    expect(again.equals(img)).toBe(true);
    // The writer switched 64 KB blocks with type 04 records for 0x1xxxx and 0x2xxxx.
    expect(text).toContain(hexRecord(4, 0, [0x00, 0x01]));
    expect(text).toContain(hexRecord(4, 0, [0x00, 0x02]));
    expect(text.trimEnd().endsWith(EOF_RECORD)).toBe(true);
  });

  it('writes an image below 64 KB the way SDCC does: data records and the end record only', () => {
    const text = writeIntelHex(MemoryImage.fromBytes('x', 0x8000, Uint8Array.from([0x82, 0x00, 0x80, 0x80])));
    expect(text).toBe(hexRecord(0, 0x8000, [0x82, 0x00, 0x80, 0x80]) + '\n' + EOF_RECORD + '\n');
  });

  it('keeps gaps as gaps: no record covers a hole, nothing is padded', () => {
    const img = MemoryImage.fromSegments('x', [
      { address: 0x8000, data: pattern(4) },
      { address: 0x9000, data: pattern(4, 9) },
    ]);
    const text = writeIntelHex(img);
    const dataLines = text.split('\n').filter((l) => l.slice(7, 9) === '00');
    expect(dataLines).toHaveLength(2);
    expect(parseIntelHex('x.hex', text).byteCount).toBe(8);
  });

  it('honours bytesPerRecord', () => {
    const text = writeIntelHex(MemoryImage.fromBytes('x', 0x8000, pattern(100)), { bytesPerRecord: 32 });
    const lengths = text.split('\n').filter((l) => l.slice(7, 9) === '00').map((l) => parseInt(l.slice(1, 3), 16));
    expect(lengths).toEqual([32, 32, 32, 4]);
  });

  it('loads an SDCC-style .ihx fixture to the same image as the STVP-style .s19 of the same program', () => {
    const hex = parseIntelHex('blink.ihx', fixture('blink.ihx'));
    const s19 = parseSrec('blink.s19', fixture('blink.s19'));
    expect(hex.equals(s19)).toBe(true);
    expect(hex.byteAt(0x8000)).toBe(0x82); // INT opcode of the reset vector
    expect(hex.byteAt(0x4000)).toBe(0x42);
    expect(hex.sourceAt(0x8080)).toBe('blink.ihx');
  });
});

describe('Intel HEX records', () => {
  it('places data with extended linear (04) and extended segment (02) addresses', () => {
    const img = parseIntelHex(
      'big.hex',
      file(
        hexRecord(4, 0, [0x00, 0x01]),
        hexRecord(0, 0x8000, [1, 2, 3]), // 0x18000
        hexRecord(2, 0, [0x20, 0x00]), // segment 0x2000 → base 0x20000
        hexRecord(0, 0x7ff0, [4, 5]), // 0x27FF0
        hexRecord(3, 0, [0, 0, 0x80, 0]), // start segment address: ignored
        hexRecord(5, 0, [0, 0, 0x80, 0]), // start linear address: ignored
        EOF_RECORD,
      ),
    );
    expect(img.ranges).toEqual([
      { start: 0x18000, end: 0x18002 },
      { start: 0x27ff0, end: 0x27ff1 },
    ]);
    expect(img.byteAt(0x27ff1)).toBe(5);
  });

  it('accepts lower-case digits, CRLF and CR line endings, blank lines, a BOM and a DOS end-of-file byte', () => {
    const text = '\uFEFF' + hexRecord(0, 0x8000, [0xab, 0xcd]).toLowerCase() + '\r\n\r\n' + hexRecord(0, 0x8002, [0xef]) + '\r' + EOF_RECORD + '\r\n\x1a';
    const img = parseIntelHex('dos.hex', text);
    expect(img.toBytes(0x8000, 0x8002)).toEqual(Uint8Array.from([0xab, 0xcd, 0xef]));
  });

  it('a data record with no data loads nothing and does not clash with a real record at its address', () => {
    const img = parseIntelHex('z.hex', file(hexRecord(0, 0x8000), hexRecord(0, 0x8000, [1]), EOF_RECORD));
    expect(img.ranges).toEqual([{ start: 0x8000, end: 0x8000 }]);
  });

  it('an empty file body with only the end record is an empty image', () => {
    expect(parseIntelHex('empty.hex', EOF_RECORD).isEmpty).toBe(true);
  });
});

describe('Intel HEX errors name the file and the line', () => {
  const good = hexRecord(0, 0x8000, [1, 2, 3, 4]);

  it('bad checksum', () => {
    const bad = good.slice(0, -2) + '00';
    const msg = expectBadFile(() => parseIntelHex('app.hex', file(good, bad, EOF_RECORD)), { reason: 'bad-checksum', line: 2, file: 'app.hex' });
    expect(msg).toBe('app.hex:2: bad checksum: the record ends with 0x00, its bytes need 0x' + good.slice(-2));
  });

  it('unknown record type', () => {
    const msg = expectBadFile(() => parseIntelHex('app.hex', file(good, hexRecord(6, 0, [1]), EOF_RECORD)), { reason: 'unknown-record', line: 2 });
    expect(msg).toBe('app.hex:2: unknown record type 0x06 (Intel HEX defines 00 to 05)');
  });

  it('odd number of hex digits', () => {
    const msg = expectBadFile(() => parseIntelHex('app.hex', file(good, good.slice(0, -1), EOF_RECORD)), { reason: 'odd-digits', line: 2 });
    expect(msg).toContain('app.hex:2: odd number of hex digits');
  });

  it('truncated record (fewer data bytes than the length byte says)', () => {
    const cut = ':10800000' + '01020304' + '00'; // says 16 bytes, has 4 + checksum
    const msg = expectBadFile(() => parseIntelHex('app.hex', file(good, good, cut, EOF_RECORD)), { reason: 'truncated', line: 3 });
    expect(msg).toBe('app.hex:3: truncated record: the length byte says 16 data bytes, the line holds 4');
    expectBadFile(() => parseIntelHex('app.hex', file(':0080', EOF_RECORD)), { reason: 'truncated', line: 1 });
  });

  it('record longer than its length byte says', () => {
    const long = hexRecord(0, 0x8000, [1, 2, 3, 4]).replace(/^:04/, ':03');
    expectBadFile(() => parseIntelHex('app.hex', file(long, EOF_RECORD)), { reason: 'too-long', line: 1 });
  });

  it('missing end record names the last line', () => {
    const msg = expectBadFile(() => parseIntelHex('cut.hex', file(good, hexRecord(0, 0x8004, [5]), '')), { reason: 'missing-end', line: 2 });
    expect(msg).toBe('cut.hex:2: missing end-of-file record (:00000001FF) after the last record');
  });

  it('data beyond the 24-bit address space', () => {
    const msg = expectBadFile(() => parseIntelHex('arm.hex', file(hexRecord(4, 0, [0x08, 0x00]), hexRecord(0, 0, [1, 2]), EOF_RECORD)), {
      reason: 'beyond-24-bit',
      line: 2,
    });
    expect(msg).toBe('arm.hex:2: data at 0x8000000–0x8000001 is beyond the 24-bit STM8 address space (highest address 0xFFFFFF)');
    // The last byte of the space is fine, one more is not.
    expect(parseIntelHex('top.hex', file(hexRecord(4, 0, [0x00, 0xff]), hexRecord(0, 0xffff, [7]), EOF_RECORD)).byteAt(0xffffff)).toBe(7);
    expectBadFile(() => parseIntelHex('top.hex', file(hexRecord(4, 0, [0x01, 0x00]), hexRecord(0, 0, [7]), EOF_RECORD)), { reason: 'beyond-24-bit', line: 2 });
  });

  it('a line that is not a record, and a character that is not a hex digit', () => {
    expectBadFile(() => parseIntelHex('notes.hex', file(good, 'hello', EOF_RECORD)), { reason: 'not-a-record', line: 2 });
    const msg = expectBadFile(() => parseIntelHex('app.hex', file(good.slice(0, 9) + 'G' + good.slice(10), EOF_RECORD)), { reason: 'bad-character', line: 1 });
    expect(msg).toContain("'G' at column 10 is not a hex digit");
  });

  it('anything after the end record', () => {
    const msg = expectBadFile(() => parseIntelHex('app.hex', file(good, EOF_RECORD, good)), { reason: 'after-end', line: 3 });
    expect(msg).toContain('follows the end-of-file record of line 2');
  });

  it('two records for the same address, naming both lines', () => {
    const msg = expectBadFile(() => parseIntelHex('dup.hex', file(good, hexRecord(0, 0x9000, [1]), hexRecord(0, 0x8002, [9]), EOF_RECORD)), {
      reason: 'overlap',
      line: 3,
    });
    expect(msg).toBe('dup.hex:3: data at 0x8002 overlaps line 1 (0x8000–0x8003)');
  });

  it('address records of the wrong size', () => {
    expectBadFile(() => parseIntelHex('app.hex', file(hexRecord(4, 0, [1]), EOF_RECORD)), { reason: 'bad-record', line: 1 });
    expectBadFile(() => parseIntelHex('app.hex', file(hexRecord(1, 0, [0]))), { reason: 'bad-record', line: 1 });
  });

  it('a data record that runs past the end of its 64 KB block', () => {
    expectBadFile(() => parseIntelHex('wrap.hex', file(hexRecord(0, 0xfffe, [1, 2, 3]), EOF_RECORD)), { reason: 'bad-record', line: 1 });
  });
});
