// The helpers the OpenOCD runs lean on: if these misread OpenOCD's output, the conformance
// verdicts would be wrong, so they get their own checks (no OpenOCD needed).
import { describe, expect, it } from 'vitest';
import { pseudoRandomBytes } from '#shared/pseudo-random';
import { firstDifference } from './images';
import { mapRange, parseMdb, parseTransfers } from './openocd-output';

describe('conformance helpers', () => {
  it('pseudoRandomBytes is reproducible per seed and differs between seeds', () => {
    const a = pseudoRandomBytes(4096, 1234);
    expect(pseudoRandomBytes(4096, 1234)).toEqual(a);
    expect(pseudoRandomBytes(4096, 1235)).not.toEqual(a);
    // Every byte value shows up in 4 KB: the image exercises all bit patterns.
    expect(new Set(a).size).toBe(256);
  });

  it('parseMdb reads OpenOCD mdb lines, including several lines and odd spacing', () => {
    const out = [
      'Info : something 0x12345678: not a dump',
      '0x00004800: 00 00 ff 00 ff 00 ff 00 ff 00 ff ',
      '0x00008000: 82 00 80 83 00 00 00 00 82 00 80 86 00 00 00 00',
      '0x00008010: 0a',
    ].join('\n');
    const m = parseMdb(out);
    expect(mapRange(m, 0x4800, 11)).toEqual([0x00, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff]);
    expect(m.get(0x800f)).toBe(0x00);
    expect(m.get(0x8010)).toBe(0x0a);
    expect(m.has(0x12345678)).toBe(false);
    expect(mapRange(m, 0x480a, 2)).toEqual([0xff, null]);
  });

  it('parseTransfers reads the load_image / verify_image lines in order, and only those', () => {
    const out = [
      '4096 bytes written at address 0x00008000',
      'downloaded 4096 bytes in 0.369150s (10.836 KiB/s)',
      'Info : something downloaded 1 bytes in 9s',
      'verified 128 bytes in 0.004319s (28.942 KiB/s)',
    ].join('\n');
    expect(parseTransfers(out)).toEqual([
      { kind: 'downloaded', bytes: 4096, seconds: 0.36915 },
      { kind: 'verified', bytes: 128, seconds: 0.004319 },
    ]);
  });

  it('firstDifference locates the first mismatching byte', () => {
    const a = new Uint8Array([1, 2, 3, 4]);
    expect(firstDifference(a, new Uint8Array([1, 2, 3, 4]))).toBeNull();
    expect(firstDifference(a, new Uint8Array([1, 2, 9, 4]), 0x8000)).toMatch(/^first difference at 0x8002/);
    expect(firstDifference(a, new Uint8Array([1, 2, 3]))).toMatch(/at 0x3/);
  });
});
