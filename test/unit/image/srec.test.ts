import { describe, expect, it } from 'vitest';
import { parseSrec, writeSrec } from '#shared/image/srec';
import { MemoryImage } from '#shared/image/memory-image';
import { expectBadFile, pattern, sampleImage, srecRecord } from './helpers';

const file = (...lines: string[]): string => lines.join('\n') + '\n';
const types = (text: string): string[] => text.trim().split('\n').map((l) => l.slice(0, 2));

describe('S-record round trip', () => {
  it('read → write → read gives the same image below 64 KB, written as S1 with S9', () => {
    const img = sampleImage();
    const text = writeSrec(img, { header: 'app.s19' });
    expect(parseSrec('app.s19', text).equals(img)).toBe(true);
    expect(parseSrec('again.s19', writeSrec(parseSrec('app.s19', text))).equals(img)).toBe(true);
    const t = types(text);
    expect(t[0]).toBe('S0');
    expect(new Set(t.slice(1, -2))).toEqual(new Set(['S1']));
    expect(t.slice(-2)).toEqual(['S5', 'S9']);
  });

  it('read → write → read gives the same image above 64 KB, written as S2 with S8', () => {
    const img = sampleImage({ above64k: true });
    const text = writeSrec(img);
    expect(parseSrec('big.s28', text).equals(img)).toBe(true);
    const t = types(text);
    expect(new Set(t.slice(1, -2))).toEqual(new Set(['S2']));
    expect(t.at(-1)).toBe('S8');
  });

  it('puts the file name in the S0 header and the data-record count in S5, as STVP does', () => {
    const text = writeSrec(MemoryImage.fromBytes('x', 0x8000, pattern(40)), { header: 'blink.s19' });
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(srecRecord(0, 0, Array.from('blink.s19', (c) => c.charCodeAt(0))));
    expect(lines).toHaveLength(1 + 3 + 2); // header, 16+16+8 bytes of data, S5, S9
    expect(lines[4]).toBe(srecRecord(5, 3));
    expect(lines[5]).toBe(srecRecord(9, 0));
  });
});

describe('S-record reading', () => {
  it('reads S1, S2 and S3 data records with their address widths', () => {
    const img = parseSrec(
      'mix.srec',
      file(srecRecord(0, 0, [0x41]), srecRecord(1, 0x8000, [1, 2]), srecRecord(2, 0x18000, [3]), srecRecord(3, 0x27fff, [4]), srecRecord(7, 0x8000)),
    );
    expect(img.ranges).toEqual([
      { start: 0x8000, end: 0x8001 },
      { start: 0x18000, end: 0x18000 },
      { start: 0x27fff, end: 0x27fff },
    ]);
    expect(img.byteAt(0x27fff)).toBe(4);
  });

  it('accepts CRLF, blank lines and a missing S5 count', () => {
    const img = parseSrec('w.s19', srecRecord(1, 0x4000, [9, 8]) + '\r\n\r\n' + srecRecord(9, 0) + '\r\n');
    expect(img.toBytes(0x4000, 0x4001)).toEqual(Uint8Array.from([9, 8]));
  });
});

describe('S-record errors name the file and the line', () => {
  const good = srecRecord(1, 0x8000, [1, 2, 3, 4]);
  const end = srecRecord(9, 0);

  it('bad checksum', () => {
    const bad = good.slice(0, -2) + (good.slice(-2) === '00' ? '01' : '00');
    const msg = expectBadFile(() => parseSrec('app.s19', file(srecRecord(0, 0), bad, end)), { reason: 'bad-checksum', line: 2, file: 'app.s19' });
    expect(msg).toMatch(/^app\.s19:2: bad checksum: the record ends with 0x0[01], its bytes need 0x[0-9A-F]{2}$/);
  });

  it('unknown record type (S4 is reserved; letters are not types)', () => {
    const msg = expectBadFile(() => parseSrec('app.s19', file(good, 'S4030000FC', end)), { reason: 'unknown-record', line: 2 });
    expect(msg).toBe('app.s19:2: unknown record type "S4" (S-records are S0 to S3 and S5 to S9)');
    expectBadFile(() => parseSrec('app.s19', file('SX030000FC', end)), { reason: 'unknown-record', line: 1 });
  });

  it('odd number of hex digits', () => {
    expectBadFile(() => parseSrec('app.s19', file(good.slice(0, -1), end)), { reason: 'odd-digits', line: 1 });
  });

  it('truncated record', () => {
    const msg = expectBadFile(() => parseSrec('app.s19', file(good, good.slice(0, 12), end)), { reason: 'truncated', line: 2 });
    expect(msg).toBe('app.s19:2: truncated record: the count byte says 7 bytes follow, the line holds 4');
    expectBadFile(() => parseSrec('app.s19', file('S2', end)), { reason: 'truncated', line: 1 });
    expectBadFile(() => parseSrec('app.s19', file('S2020000', end)), { reason: 'truncated', line: 1 });
  });

  it('missing end record', () => {
    const msg = expectBadFile(() => parseSrec('cut.s19', file(srecRecord(0, 0), good, srecRecord(5, 1))), { reason: 'missing-end', line: 3 });
    expect(msg).toBe('cut.s19:3: missing end record (S7, S8 or S9) after the last record');
  });

  it('data beyond the 24-bit address space', () => {
    const msg = expectBadFile(() => parseSrec('arm.s37', file(srecRecord(3, 0x08000000, [1]), srecRecord(7, 0))), { reason: 'beyond-24-bit', line: 1 });
    expect(msg).toBe('arm.s37:1: data at 0x8000000 is beyond the 24-bit STM8 address space (highest address 0xFFFFFF)');
  });

  it('a count record that disagrees with the data records', () => {
    const msg = expectBadFile(() => parseSrec('app.s19', file(good, srecRecord(5, 2), end)), { reason: 'count-mismatch', line: 2 });
    expect(msg).toBe('app.s19:2: the count record says 2 data records, the file has 1 before it');
  });

  it('a character that is not a hex digit', () => {
    const msg = expectBadFile(() => parseSrec('app.s19', file(good.slice(0, -2) + 'XX', end)), { reason: 'bad-character', line: 1 });
    expect(msg).toContain("'X' at column");
  });

  it('lines after the end record, and lines that are not records', () => {
    expectBadFile(() => parseSrec('app.s19', file(good, end, good)), { reason: 'after-end', line: 3 });
    expectBadFile(() => parseSrec('app.s19', file(':00000001FF')), { reason: 'not-a-record', line: 1 });
  });

  it('two records for the same address, naming both lines', () => {
    const msg = expectBadFile(() => parseSrec('dup.s19', file(good, srecRecord(1, 0x8003, [7, 7]), end)), { reason: 'overlap', line: 2 });
    expect(msg).toBe('dup.s19:2: data at 0x8003–0x8004 overlaps line 1 (0x8000–0x8003)');
  });
});
