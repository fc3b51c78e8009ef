import { describe, expect, it } from 'vitest';
import { parseBinary, writeBinary } from '#shared/image/binary';
import { MemoryImage } from '#shared/image/memory-image';
import { expectAppError, expectBadFile, pattern } from './helpers';

describe('raw binary', () => {
  it('places the bytes at 0x8000 (flash start) unless told otherwise', () => {
    const data = pattern(100);
    expect(parseBinary('fw.bin', data).ranges).toEqual([{ start: 0x8000, end: 0x8063 }]);
    expect(parseBinary('ee.bin', data, 0x4000).byteAt(0x4000)).toBe(data[0]);
  });

  it('round-trips: read → write → read gives the same image, above 64 KB too', () => {
    const data = pattern(0x20000, 3); // a whole 128 KB flash
    const img = parseBinary('full.bin', data);
    const out = writeBinary(img);
    expect(Buffer.compare(out, data)).toBe(0); // (toEqual on 128 KB arrays is needlessly slow)
    expect(parseBinary('again.bin', out).equals(img)).toBe(true);
    expect(img.bounds).toEqual({ start: 0x8000, end: 0x27fff });
  });

  it('refuses bytes that would land past 0xFFFFFF, naming the file offset', () => {
    const msg = expectBadFile(() => parseBinary('big.bin', new Uint8Array(0x100), 0xffff80), { reason: 'beyond-24-bit', offset: 0x80 });
    expect(msg).toBe('big.bin at offset 0x80: byte 128 of 256 would land at 0x1000000, beyond the 24-bit STM8 address space (base 0xFFFF80)');
    expect(parseBinary('top.bin', new Uint8Array(0x80), 0xffff80).bounds?.end).toBe(0xffffff);
  });

  it('refuses a base address outside the address space', () => {
    expectAppError(() => parseBinary('x.bin', new Uint8Array(1), 0x1000000), 'invalid-argument');
    expectAppError(() => parseBinary('x.bin', new Uint8Array(1), -1), 'invalid-argument');
  });

  it('writes a gap only with a fill byte, and writes exactly the range asked for', () => {
    const img = MemoryImage.fromSegments('x', [
      { address: 0x8000, data: Uint8Array.from([1, 2]) },
      { address: 0x8004, data: Uint8Array.from([5]) },
    ]);
    const err = expectAppError(() => writeBinary(img), 'image-gap');
    expect(err.message).toContain('0x8002–0x8003');
    expect(writeBinary(img, { fill: 0x00 })).toEqual(Uint8Array.from([1, 2, 0, 0, 5]));
    // A region's range: the whole region, padded with the erased value.
    expect(writeBinary(img, { start: 0x8000, end: 0x8007, fill: 0x00 })).toEqual(Uint8Array.from([1, 2, 0, 0, 5, 0, 0, 0]));
  });

  it('refuses to drop image data outside the range to save', () => {
    const img = MemoryImage.fromBytes('x', 0x8000, pattern(16));
    const err = expectAppError(() => writeBinary(img, { start: 0x8000, end: 0x8007 }), 'image-outside-range');
    expect(err.message).toBe('The image holds data at 0x8008–0x800F, outside the range to save (0x8000–0x8007)');
  });

  it('an empty image writes an empty file, an empty file reads as an empty image', () => {
    expect(writeBinary(MemoryImage.empty()).length).toBe(0);
    expect(parseBinary('empty.bin', new Uint8Array(0)).isEmpty).toBe(true);
  });
});
