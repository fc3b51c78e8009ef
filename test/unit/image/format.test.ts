import { describe, expect, it } from 'vitest';
import { MemoryImage } from '#shared/image/memory-image';
import { detectFormat, formatFromFileName, parseFormatName, readImage, sniffFormat, writeImage, type ImageFormat } from '#shared/image/format';
import { writeElf } from '#shared/image/elf';
import { expectAppError, hexRecord, sampleImage, srecRecord } from './helpers';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('format detection', () => {
  it('goes by the extension first, whatever its case', () => {
    const cases: [string, ImageFormat][] = [
      ['main.ihx', 'ihex'],
      ['FIRMWARE.HEX', 'ihex'],
      ['a.ihex', 'ihex'],
      ['stvp.s19', 'srec'],
      ['x.S28', 'srec'],
      ['x.s37', 'srec'],
      ['x.srec', 'srec'],
      ['x.mot', 'srec'],
      ['dump.bin', 'bin'],
      ['.pio/build/stm8sblue/firmware.elf', 'elf'],
      ['C:\\work\\fw.elf', 'elf'],
    ];
    for (const [name, format] of cases) expect(formatFromFileName(name), name).toBe(format);
    expect(formatFromFileName('firmware')).toBeUndefined();
    expect(formatFromFileName('.hex')).toBeUndefined(); // a hidden file called ".hex" has no extension
    // The extension wins over the content.
    expect(detectFormat('odd.bin', ascii(':00000001FF'))).toBe('bin');
  });

  it('falls back to the content when the extension says nothing, and to raw binary after that', () => {
    expect(sniffFormat(ascii('\r\n' + hexRecord(0, 0x8000, [1])))).toBe('ihex');
    expect(sniffFormat(ascii(srecRecord(0, 0, [0x41])))).toBe('srec');
    expect(sniffFormat(writeElf(sampleImage()))).toBe('elf');
    expect(sniffFormat(Uint8Array.from([0x82, 0x00, 0x80, 0x80]))).toBeUndefined();
    expect(detectFormat('firmware', ascii(':00000001FF'))).toBe('ihex');
    expect(detectFormat('firmware.txt', ascii('S00600004844521B'))).toBe('srec');
    expect(detectFormat('firmware', Uint8Array.from([0x82, 0x00, 0x80, 0x80]))).toBe('bin');
    expect(detectFormat('firmware.axf', writeElf(sampleImage()))).toBe('elf');
    expect(formatFromFileName('dump.out')).toBeUndefined(); // stm8flash would save raw binary there
  });

  it('reads format names from the command line and refuses unknown ones', () => {
    expect(parseFormatName('HEX')).toBe('ihex');
    expect(parseFormatName('s19')).toBe('srec');
    expect(parseFormatName('binary')).toBe('bin');
    const err = expectAppError(() => parseFormatName('coff'), 'unknown-format');
    expect(err.remedy).toContain('ihex, srec, bin, elf');
  });
});

describe('every format round-trips through readImage/writeImage', () => {
  const sparse = sampleImage({ above64k: true });
  const contiguous = MemoryImage.fromBytes('c', 0x8000, sparse.toBytes(0x8000, 0x27fff, 0x00));
  const cases: [ImageFormat, string, MemoryImage][] = [
    ['ihex', 'out.hex', sparse],
    ['srec', 'out.s19', sparse],
    ['elf', 'out.elf', sparse],
    ['bin', 'out.bin', contiguous],
  ];
  for (const [format, name, image] of cases) {
    it(`${format}: read → write → read gives the same image`, () => {
      const first = readImage(name, writeImage(image, format, { header: name }));
      expect(first.format).toBe(format);
      expect(first.image.equals(image)).toBe(true);
      const second = readImage(name, writeImage(first.image, format));
      expect(second.image.equals(image)).toBe(true);
      expect(second.image.sourceAt(0x8000)).toBe(name);
    });
  }

  it('a forced format and a binary base address are honoured', () => {
    const { image, format } = readImage('eeprom.dat', Uint8Array.from([1, 2, 3]), { format: 'bin', base: 0x4000 });
    expect(format).toBe('bin');
    expect(image.ranges).toEqual([{ start: 0x4000, end: 0x4002 }]);
    expect(readImage('text.hex', hexRecord(0, 0x4000, [7]) + '\n:00000001FF\n').image.byteAt(0x4000)).toBe(7);
  });
});
