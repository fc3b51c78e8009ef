import { describe, expect, it } from 'vitest';
import { bytesToHexText, hexAddress, formatHex32, parseAddress, parseByteSequence } from '../../../src/renderer/src/lib/hex-text';

describe('addresses as people type them', () => {
  it('reads hex by default and with the usual prefixes and suffixes', () => {
    for (const t of ['8000', '0x8000', '0X8000', '$8000', '8000h', ' 80_00 ']) {
      expect(parseAddress(t)).toEqual({ ok: true, value: 0x8000 });
    }
  });
  it('reads decimal only when asked for', () => {
    expect(parseAddress('#32768')).toEqual({ ok: true, value: 32768 });
    expect(parseAddress('32768d')).toEqual({ ok: true, value: 32768 });
    expect(parseAddress('100')).toEqual({ ok: true, value: 0x100 });
  });
  it('refuses garbage and addresses beyond 24 bits with a reason', () => {
    const bad = parseAddress('80zz');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain('80zz');
    const big = parseAddress('1000000');
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.error).toMatch(/24-bit/);
    expect(parseAddress('  ').ok).toBe(false);
  });
  it('formats STVP style', () => {
    expect(hexAddress(0x8000)).toBe('0x008000');
    expect(hexAddress(0x27fff)).toBe('0x027FFF');
    expect(formatHex32(0x1fe)).toBe('0x000001FE');
    expect(formatHex32(-1)).toBe('0xFFFFFFFF');
  });
});

describe('byte sequences', () => {
  const bytes = (t: string): number[] => {
    const r = parseByteSequence(t);
    if (!r.ok) throw new Error(r.error);
    return Array.from(r.value);
  };
  it('accepts spaced pairs, runs, 0x prefixes, commas', () => {
    expect(bytes('DE AD be ef')).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(bytes('deadbeef')).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(bytes('0xDE,0xAD, 0x01')).toEqual([0xde, 0xad, 0x01]);
    expect(bytes('A 1')).toEqual([0x0a, 0x01]);
  });
  it('takes quoted text as ASCII', () => {
    expect(bytes('"Hi!"')).toEqual([0x48, 0x69, 0x21]);
    expect(bytes("'ok'")).toEqual([0x6f, 0x6b]);
  });
  it('refuses odd runs, non-hex and non-ASCII text', () => {
    expect(parseByteSequence('ABC').ok).toBe(false);
    expect(parseByteSequence('GG').ok).toBe(false);
    expect(parseByteSequence('"é"').ok).toBe(false);
    expect(parseByteSequence('').ok).toBe(false);
  });
  it('round-trips through the clipboard text form', () => {
    const data = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 0xff);
    const text = bytesToHexText(data);
    expect(text.split('\n')).toHaveLength(3);
    expect(bytes(text)).toEqual(Array.from(data));
  });
});
