import { describe, expect, it } from 'vitest';
import { encodeSerial, formatSerialText } from '../../../src/main/production/serial-encoding';

const bytes = (b: Uint8Array): number[] => [...b];

describe('serial encodings', () => {
  it('writes u32/u16 in both byte orders', () => {
    expect(bytes(encodeSerial(0x01020304, { encoding: 'u32le' }))).toEqual([4, 3, 2, 1]);
    expect(bytes(encodeSerial(0x01020304, { encoding: 'u32be' }))).toEqual([1, 2, 3, 4]);
    expect(bytes(encodeSerial(0xbeef, { encoding: 'u16le' }))).toEqual([0xef, 0xbe]);
    expect(bytes(encodeSerial(0xbeef, { encoding: 'u16be' }))).toEqual([0xbe, 0xef]);
  });

  it('refuses a value the encoding cannot hold instead of wrapping', () => {
    expect(() => encodeSerial(0x10000, { encoding: 'u16le' })).toThrow(expect.objectContaining({ code: 'serial-out-of-range' }));
    expect(() => encodeSerial(2 ** 32, { encoding: 'u32be' })).toThrow(expect.objectContaining({ code: 'serial-out-of-range' }));
    expect(() => encodeSerial(123456789, { encoding: 'bcd', length: 4 })).toThrow(expect.objectContaining({ code: 'serial-out-of-range' }));
  });

  it('packs BCD most significant digit first', () => {
    expect(bytes(encodeSerial(12345, { encoding: 'bcd', length: 3 }))).toEqual([0x01, 0x23, 0x45]);
    expect(bytes(encodeSerial(9, { encoding: 'bcd' }))).toEqual([0, 0, 0, 0x09]);
  });

  it('formats ASCII with a printf-like field, padded with NULs to a fixed length', () => {
    expect(formatSerialText('SN%06d', 42)).toBe('SN000042');
    expect(formatSerialText('%X-A', 255)).toBe('FF-A');
    expect(bytes(encodeSerial(7, { encoding: 'ascii', format: 'B%03d', length: 6 }))).toEqual([0x42, 0x30, 0x30, 0x37, 0, 0]);
    expect(() => formatSerialText('SN%d%d', 1)).toThrow(expect.objectContaining({ code: 'bad-recipe' }));
    expect(() => encodeSerial('ABCDEFG', { encoding: 'ascii', length: 4 })).toThrow(expect.objectContaining({ code: 'serial-out-of-range' }));
  });

  it('takes numeric list entries for numeric encodings and refuses text', () => {
    expect(bytes(encodeSerial('0x10', { encoding: 'u16be' }))).toEqual([0, 0x10]);
    expect(() => encodeSerial('A17', { encoding: 'u32le' })).toThrow(expect.objectContaining({ code: 'bad-serial' }));
  });
});
