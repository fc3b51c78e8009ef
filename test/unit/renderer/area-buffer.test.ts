import { describe, expect, it } from 'vitest';
import { AreaBuffer } from '../../../src/renderer/src/lib/area-buffer';
import { byteSum32 } from '../../../src/renderer/src/lib/checksum';

const flash = (): AreaBuffer => new AreaBuffer('flash', 0x8000, 8192);

describe('an area buffer (one tab)', () => {
  it('starts blank at the STM8 erased value 0x00, in state empty, checksum 0', () => {
    const img = flash();
    expect(img.edited.every((b) => b === 0)).toBe(true);
    expect(img.state).toBe('empty');
    expect(img.checksum()).toBe(0);
    expect(img.end).toBe(0x9fff);
    expect(img.device).toBeNull();
  });

  it('marks hand edits, counts them, and leaves bytes outside the area alone', () => {
    const img = flash();
    expect(img.setByte(3, 0x1ab)).toBe(true);
    expect(img.edited[3]).toBe(0xab);
    expect(img.touched[3]).toBe(1);
    expect(img.state).toBe('edited');
    expect(img.unsaved).toBe(true);
    expect(img.setByte(8192, 1)).toBe(false);
    expect(img.setByte(-1, 1)).toBe(false);
    expect(img.touchedCount()).toBe(1);
  });

  it('knows which bytes differ from the chip only once the chip is known', () => {
    const img = flash();
    img.setByte(10, 0x55);
    expect(img.differs(10)).toBe(false);
    const chip = new Uint8Array(8192);
    chip[20] = 0x77;
    img.takeRead(chip);
    expect(img.state).toBe('read');
    expect(img.unsaved).toBe(false);
    expect(img.edited[10]).toBe(0);
    expect(img.edited[20]).toBe(0x77);
    img.setByte(20, 0x78);
    expect(img.differs(20)).toBe(true);
    expect(img.differenceCount()).toBe(1);
    img.markProgrammed(true);
    expect(img.state).toBe('verified');
    expect(img.differenceCount()).toBe(0);
    expect(img.touchedCount()).toBe(0);
  });

  it('fills an inclusive range in either order and clips it to the area', () => {
    const img = flash();
    expect(img.fill(10, 5, 0xff)).toBe(6);
    expect(Array.from(img.edited.subarray(4, 12))).toEqual([0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0]);
    expect(img.fill(8190, 9000, 1)).toBe(2);
  });

  it('pastes up to the end of the area and says how much landed', () => {
    const img = flash();
    expect(img.paste(8190, Uint8Array.of(1, 2, 3, 4))).toBe(2);
    expect(img.edited[8191]).toBe(2);
    expect(img.paste(9000, Uint8Array.of(1))).toBe(0);
  });

  it('loads file pieces over a blank image, as STVP fills before loading', () => {
    const img = flash();
    img.fill(0, 8191, 0xee);
    img.loadPieces([{ offset: 0x10, data: Uint8Array.of(1, 2) }], 'app.hex');
    expect(img.edited[0]).toBe(0);
    expect(img.edited[0x11]).toBe(2);
    expect(img.fileName).toBe('app.hex');
    expect(img.state).toBe('loaded');
    expect(img.unsaved).toBe(false);
    expect(img.touchedCount()).toBe(0);
    expect(img.checksum()).toBe(3);
  });

  it('records a failed verify with the chip bytes it found', () => {
    const img = flash();
    img.setByte(0, 9);
    const chip = img.edited.slice();
    chip[0] = 8;
    img.markVerified(false, chip);
    expect(img.state).toBe('verify-failed');
    expect(img.differs(0)).toBe(true);
  });

  it('bumps its revision on every change so views redraw', () => {
    const img = flash();
    const r0 = img.revision;
    img.setByte(1, 1);
    img.setByte(1, 1); // same value: no change
    const r1 = img.revision;
    img.markErased();
    expect(r1).toBe(r0 + 1);
    expect(img.revision).toBe(r1 + 1);
    expect(img.device!.every((b) => b === 0)).toBe(true);
  });
});

describe('STVP checksum', () => {
  it('is the 32-bit sum of bytes', () => {
    expect(byteSum32(Uint8Array.of(0xff, 0xff, 2))).toBe(0x200);
    const big = new Uint8Array(128 * 1024).fill(0xff);
    expect(byteSum32(big)).toBe(0xff * 128 * 1024);
  });
});
