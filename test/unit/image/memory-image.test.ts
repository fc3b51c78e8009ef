import { describe, expect, it } from 'vitest';
import { MemoryImage } from '#shared/image/memory-image';
import { subtractRanges } from '#shared/image/address';
import { expectAppError, pattern } from './helpers';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('MemoryImage construction', () => {
  it('sorts segments and joins adjacent ones', () => {
    const img = MemoryImage.fromSegments('a.hex', [
      { address: 0x8010, data: pattern(16, 2) },
      { address: 0x4000, data: bytes(1, 2) },
      { address: 0x8000, data: pattern(16, 1) },
    ]);
    expect(img.segments.map((s) => [s.address, s.data.length])).toEqual([
      [0x4000, 2],
      [0x8000, 32],
    ]);
    expect(img.segments[1].data.subarray(16)).toEqual(pattern(16, 2));
    expect(img.byteCount).toBe(34);
    expect(img.bounds).toEqual({ start: 0x4000, end: 0x801f });
  });

  it('copies the data it is given, so later changes to the caller\'s buffer do not leak in', () => {
    const buf = bytes(1, 2, 3);
    const img = MemoryImage.fromBytes('a', 0x8000, buf);
    buf[0] = 99;
    expect(img.byteAt(0x8000)).toBe(1);
  });

  it('never invents bytes: holes read as undefined, not 0x00 or 0xFF', () => {
    const img = MemoryImage.fromSegments('a', [
      { address: 0x8000, data: bytes(1) },
      { address: 0x8002, data: bytes(3) },
    ]);
    expect(img.byteAt(0x8001)).toBeUndefined();
    expect(img.sourceAt(0x8001)).toBeUndefined();
    expect(img.byteCount).toBe(2);
    expect(img.gaps({ start: 0x8000, end: 0x8003 })).toEqual([
      { start: 0x8001, end: 0x8001 },
      { start: 0x8003, end: 0x8003 },
    ]);
  });

  it('accepts a repeated range with identical bytes inside one source', () => {
    const img = MemoryImage.fromSegments('a', [
      { address: 0x8000, data: bytes(1, 2, 3, 4) },
      { address: 0x8002, data: bytes(3, 4, 5) },
    ]);
    expect(img.toBytes(0x8000, 0x8004)).toEqual(bytes(1, 2, 3, 4, 5));
  });

  it('refuses a repeated range with different bytes inside one source', () => {
    const err = expectAppError(
      () =>
        MemoryImage.fromSegments('a.hex', [
          { address: 0x8000, data: bytes(1, 2, 3, 4) },
          { address: 0x8002, data: bytes(3, 9) },
        ]),
      'image-overlap',
    );
    expect(err.message).toBe('a.hex holds 0x8002–0x8003 twice with different data (first difference at 0x8003: 0x04, then 0x09)');
  });

  it('refuses data beyond the 24-bit address space', () => {
    const err = expectAppError(() => MemoryImage.fromBytes('big.bin', 0xfffffe, bytes(1, 2, 3)), 'image-address');
    expect(err.message).toContain('big.bin');
    expect(err.message).toContain('0xFFFFFE–0x1000000');
    expect(MemoryImage.fromBytes('ok.bin', 0xfffffd, bytes(1, 2, 3)).bounds).toEqual({ start: 0xfffffd, end: 0xffffff });
    expectAppError(() => MemoryImage.fromBytes('neg', -1, bytes(1)), 'image-address');
  });
});

describe('MemoryImage.merge', () => {
  const flash = MemoryImage.fromBytes('app.hex', 0x8000, pattern(256, 7));
  const eeprom = MemoryImage.fromBytes('data.hex', 0x4000, bytes(0xa5, 0x5a));

  it('joins disjoint images and keeps each byte\'s source', () => {
    const m = flash.merge(eeprom);
    expect(m.ranges).toEqual([
      { start: 0x4000, end: 0x4001 },
      { start: 0x8000, end: 0x80ff },
    ]);
    expect(m.sourceAt(0x4001)).toBe('data.hex');
    expect(m.sourceAt(0x80ff)).toBe('app.hex');
  });

  it('joins touching images into one segment but remembers where the sources change', () => {
    const tail = MemoryImage.fromBytes('tail.hex', 0x8100, bytes(1, 2));
    const m = flash.merge(tail);
    expect(m.segments).toHaveLength(1);
    expect(m.segments[0].data.length).toBe(258);
    expect(m.sources).toEqual([
      { start: 0x8000, end: 0x80ff, source: 'app.hex' },
      { start: 0x8100, end: 0x8101, source: 'tail.hex' },
    ]);
  });

  it('accepts overlapping identical data; the first source keeps the bytes', () => {
    const same = MemoryImage.fromBytes('copy.hex', 0x8080, pattern(256, 7).subarray(0x80, 0x100));
    const m = flash.merge(same);
    expect(m.equals(flash)).toBe(true);
    expect(m.sourceAt(0x8080)).toBe('app.hex');
  });

  it('refuses overlapping different data, naming both sources, the range and the first difference', () => {
    const data = pattern(256, 7).slice(0x10, 0x20);
    data[5] ^= 0xff;
    const other = MemoryImage.fromBytes('patch.s19', 0x8010, data);
    const err = expectAppError(() => flash.merge(other), 'image-overlap');
    const a = pattern(256, 7)[0x15];
    const hex = (b: number): string => '0x' + b.toString(16).toUpperCase().padStart(2, '0');
    expect(err.message).toBe(
      `app.hex and patch.s19 both hold 0x8010–0x801F with different data (first difference at 0x8015: ${hex(a)} in app.hex, ${hex(a ^ 0xff)} in patch.s19)`,
    );
    expect(err.details).toMatchObject({ sources: ['app.hex', 'patch.s19'], address: 0x8015, range: { start: 0x8010, end: 0x801f } });
  });

  it('fills the holes of one image from another where they do not collide', () => {
    const a = MemoryImage.fromSegments('a', [
      { address: 0x10, data: bytes(1, 2) },
      { address: 0x20, data: bytes(5) },
    ]);
    const b = MemoryImage.fromBytes('b', 0x11, new Uint8Array(16).fill(0).map((_, i) => (i === 0 ? 2 : i === 15 ? 5 : 0xee)));
    const m = a.merge(b);
    expect(m.toBytes(0x10, 0x20)).toEqual(Uint8Array.from([1, 2, ...new Array(14).fill(0xee), 5]));
    expect(m.sourceAt(0x11)).toBe('a');
    expect(m.sourceAt(0x12)).toBe('b');
    expect(m.sourceAt(0x20)).toBe('a');
  });

  it('mergeAll of many images equals pairwise merging', () => {
    const parts = [0, 1, 2, 3].map((i) => MemoryImage.fromBytes(`p${i}`, 0x8000 + i * 64, pattern(64, i + 10)));
    const all = MemoryImage.mergeAll(parts.reverse());
    expect(all.segments).toHaveLength(1);
    expect(all.sources.map((s) => s.source)).toEqual(['p0', 'p1', 'p2', 'p3']);
  });
});

describe('MemoryImage slicing and output', () => {
  const img = MemoryImage.fromSegments('a', [
    { address: 0x4000, data: pattern(0x280, 1) },
    { address: 0x8000, data: pattern(0x2000, 2) },
    { address: 0x18000, data: pattern(0x10, 3) },
  ]);

  it('slice is inclusive at both ends, like catalogue regions', () => {
    const s = img.slice(0x427f, 0x8000);
    expect(s.ranges).toEqual([
      { start: 0x427f, end: 0x427f },
      { start: 0x8000, end: 0x8000 },
    ]);
    expect(img.byRegion({ start: 0x8000, end: 0x9fff }).byteCount).toBe(0x2000);
    expect(img.byRegion({ start: 0x10000, end: 0x27fff }).ranges).toEqual([{ start: 0x18000, end: 0x1800f }]);
    expect(img.slice(0x5000, 0x7fff).isEmpty).toBe(true);
  });

  it('toBytes refuses gaps unless a fill byte is given', () => {
    const err = expectAppError(() => img.toBytes(0x427e, 0x8001), 'image-gap');
    expect(err.message).toBe('The image has no data at 0x4280–0x7FFF inside 0x427E–0x8001');
    const out = img.toBytes(0x427e, 0x8001, 0x00);
    expect(out.length).toBe(0x8001 - 0x427e + 1);
    expect(out[2]).toBe(0x00);
    expect(out[0]).toBe(pattern(0x280, 1)[0x27e]);
    expect(out.at(-1)).toBe(pattern(0x2000, 2)[1]);
  });

  it('withGapsFilled pads only inside the window and only where asked', () => {
    const f = img.withGapsFilled({ start: 0x4270, end: 0x4290 }, 0x00, 'erased');
    expect(f.byteAt(0x4285)).toBe(0x00);
    expect(f.sourceAt(0x4285)).toBe('erased');
    expect(f.byteAt(0x4291)).toBeUndefined();
    expect(f.byteCount).toBe(img.byteCount + (0x4290 - 0x4280 + 1));
  });

  it('equals compares addresses and bytes, not sources', () => {
    expect(img.withSource('other').equals(img)).toBe(true);
    expect(img.slice(0x4000, 0x9ffe).equals(img.slice(0x4000, 0x9fff))).toBe(false);
  });
});

describe('MemoryImage as plain data (IPC)', () => {
  it('toData → structuredClone → fromData keeps bytes and sources', () => {
    const img = MemoryImage.fromBytes('a.hex', 0x8000, pattern(32)).merge(MemoryImage.fromBytes('b.s19', 0x8020, pattern(8, 5)));
    const back = MemoryImage.fromData(structuredClone(img.toData()));
    expect(back.equals(img)).toBe(true);
    expect(back.sources).toEqual(img.sources);
  });

  it('fromData checks its input like any other', () => {
    const err = expectAppError(
      () =>
        MemoryImage.fromData({
          chunks: [
            { address: 0x8000, data: bytes(1, 2), source: 'x' },
            { address: 0x8001, data: bytes(3), source: 'y' },
          ],
        }),
      'image-overlap',
    );
    expect(err.message).toContain('x and y');
  });
});

describe('subtractRanges', () => {
  it('removes holes from ranges, keeping pieces on both sides', () => {
    expect(subtractRanges([{ start: 0, end: 100 }], [{ start: 10, end: 20 }, { start: 50, end: 200 }])).toEqual([
      { start: 0, end: 9 },
      { start: 21, end: 49 },
    ]);
    expect(subtractRanges([{ start: 5, end: 6 }], [{ start: 0, end: 10 }])).toEqual([]);
  });
});
