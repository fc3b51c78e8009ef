import { describe, expect, it } from 'vitest';
import { findPart } from '#shared/catalogue/index';
import { MemoryImage } from '#shared/image/memory-image';
import { describeMemoryMap, mapImageToPart, mapImageToPartStrict } from '#shared/image/part-map';
import { expectAppError, pattern } from './helpers';

const img = (source: string, ...segs: [number, number][]): MemoryImage =>
  MemoryImage.fromSegments(
    source,
    segs.map(([address, length], i) => ({ address, data: pattern(length, i + 1) })),
  );

describe('mapping an image onto stm8s103f3', () => {
  const part = findPart('stm8s103f3');

  it('describes the memory map in address order with datasheet values', () => {
    expect(describeMemoryMap(part)).toBe('RAM 0x0000–0x03FF, EEPROM 0x4000–0x427F, option bytes 0x4800–0x480A, flash 0x8000–0x9FFF');
  });

  it('sends each byte to its memory and lists what falls outside', () => {
    const image = img('all.hex', [0x0100, 4], [0x4000, 16], [0x427f, 2], [0x4800, 11], [0x8000, 0x2000], [0xa000, 0x100]);
    const map = mapImageToPart(image, part);
    expect(map.ram.ranges).toEqual([{ start: 0x0100, end: 0x0103 }]);
    expect(map.eeprom.ranges).toEqual([
      { start: 0x4000, end: 0x400f },
      { start: 0x427f, end: 0x427f },
    ]);
    expect(map.option.ranges).toEqual([{ start: 0x4800, end: 0x480a }]);
    expect(map.flash.byteCount).toBe(0x2000);
    expect(map.bootRom.isEmpty).toBe(true);
    expect(map.outside).toEqual([
      { start: 0x4280, end: 0x4280 }, // the second EEPROM byte ran one past the end
      { start: 0xa000, end: 0xa0ff },
    ]);
    // Nothing is lost or invented: the pieces add up to the image.
    const inside = map.ram.byteCount + map.eeprom.byteCount + map.option.byteCount + map.flash.byteCount;
    const outside = map.outside.reduce((n, r) => n + r.end - r.start + 1, 0);
    expect(inside + outside).toBe(image.byteCount);
    expect(map.flash.byteAt(0x8000)).toBe(image.byteAt(0x8000));
  });

  it('the strict variant names the stray range and the part\'s map', () => {
    const err = expectAppError(() => mapImageToPartStrict(img('big.hex', [0x8000, 16], [0xa000, 0x100]), part), 'outside-memory');
    expect(err.message).toBe(
      '0xA000–0xA0FF is outside every memory of stm8s103f3 (RAM 0x0000–0x03FF, EEPROM 0x4000–0x427F, option bytes 0x4800–0x480A, flash 0x8000–0x9FFF)',
    );
    expect(err.remedy).toContain('big.hex');
    const two = expectAppError(() => mapImageToPartStrict(img('x.hex', [0x5000, 1], [0xa000, 1]), part), 'outside-memory');
    expect(two.message.startsWith('0x5000 (and 1 more range) is outside every memory of stm8s103f3')).toBe(true);
  });

  it('the strict variant passes an image that fits', () => {
    const map = mapImageToPartStrict(img('ok.hex', [0x8000, 0x2000], [0x4000, 0x280]), part);
    expect(map.outside).toEqual([]);
    expect(map.eeprom.byteCount).toBe(0x280);
  });
});

describe('mapping an image onto stm8s208rb (128 KB flash, boot ROM)', () => {
  const part = findPart('stm8s208rb');

  it('keeps flash above 64 KB in flash, up to 0x27FFF', () => {
    const map = mapImageToPart(img('big.s19', [0x8000, 0x100], [0x1fff0, 0x20], [0x27ff0, 0x10], [0x28000, 4]), part);
    expect(map.flash.ranges).toEqual([
      { start: 0x8000, end: 0x80ff },
      { start: 0x1fff0, end: 0x2000f },
      { start: 0x27ff0, end: 0x27fff },
    ]);
    expect(map.outside).toEqual([{ start: 0x28000, end: 0x28003 }]);
  });

  it('option bytes up to 0x487F and boot ROM bytes are recognised', () => {
    const map = mapImageToPart(img('dump.hex', [0x4800, 0x80], [0x6000, 0x800]), part);
    expect(map.option.byteCount).toBe(0x80);
    expect(map.bootRom.ranges).toEqual([{ start: 0x6000, end: 0x67ff }]);
    expect(map.outside).toEqual([]);
    expect(describeMemoryMap(part)).toBe(
      'RAM 0x0000–0x17FF, EEPROM 0x4000–0x47FF, option bytes 0x4800–0x487F, boot ROM 0x6000–0x67FF, flash 0x8000–0x27FFF',
    );
  });
});

describe('mapping onto a part whose data area is in flash (stm8l101f3)', () => {
  it('data-area bytes go to flash and the EEPROM image stays empty', () => {
    const part = findPart('stm8l101f3');
    expect(part.eeprom).toBeNull();
    const map = mapImageToPart(img('l101.hex', [0x9800, 0x40], [0x4000, 4]), part);
    expect(map.flash.ranges).toEqual([{ start: 0x9800, end: 0x983f }]);
    expect(map.eeprom.isEmpty).toBe(true);
    expect(map.outside).toEqual([{ start: 0x4000, end: 0x4003 }]);
  });
});
