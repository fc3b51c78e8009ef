import { describe, expect, it } from 'vitest';
import { EM_STM8, parseElf, writeElf } from '#shared/image/elf';
import { MemoryImage } from '#shared/image/memory-image';
import { buildElf } from './elf-builder';
import { expectAppError, expectBadFile, pattern, sampleImage } from './helpers';

describe('ELF round trip', () => {
  it('read → write → read gives the same image, big-endian (SDCC) and little-endian, above 64 KB too', () => {
    const img = sampleImage({ above64k: true });
    for (const littleEndian of [false, true]) {
      const first = parseElf('fw.elf', writeElf(img, { littleEndian }));
      expect(first.equals(img)).toBe(true);
      expect(parseElf('again.elf', writeElf(first, { littleEndian })).equals(img)).toBe(true);
    }
  });

  it('writes the fields an STM8 ELF must have', () => {
    const out = writeElf(sampleImage());
    const v = new DataView(out.buffer);
    expect(Array.from(out.subarray(0, 6))).toEqual([0x7f, 0x45, 0x4c, 0x46, 1, 2]); // ELF32, big-endian
    expect(v.getUint16(16)).toBe(2); // ET_EXEC
    expect(v.getUint16(18)).toBe(EM_STM8);
    expect(EM_STM8).toBe(186);
    expect(v.getUint16(44)).toBe(sampleImage().segments.length);
  });

  it('refuses to write an ELF with nothing in it (no loader could read it back)', () => {
    expectAppError(() => writeElf(MemoryImage.empty()), 'empty-image');
  });
});

describe('ELF loading', () => {
  it('loads PT_LOAD segments at p_paddr with p_filesz bytes; .bss (p_memsz beyond) is not programmed', () => {
    const code = pattern(64, 1);
    const init = pattern(8, 2);
    const elf = buildElf({
      segments: [
        { paddr: 0x8000, data: code },
        { paddr: 0x8040, vaddr: 0x0010, data: init }, // initialiser stored in flash, copied to RAM at start-up
        { paddr: 0x0100, data: new Uint8Array(0), memsz: 0x80 }, // .bss only
        { paddr: 0x0000, data: pattern(4, 3), memsz: 64 }, // 4 stored bytes, 60 more zeroed at run time
        { type: 4 /* PT_NOTE */, paddr: 0x9000, data: pattern(12, 4) },
      ],
    });
    const img = parseElf('app.elf', elf);
    expect(img.ranges).toEqual([
      { start: 0x0000, end: 0x0003 },
      { start: 0x8000, end: 0x8047 },
    ]);
    expect(img.byteAt(0x8040)).toBe(init[0]);
    expect(img.byteAt(0x0010)).toBeUndefined(); // vaddr is not where it is programmed
    expect(img.sourceAt(0x8000)).toBe('app.elf');
  });

  it('reads program headers wherever e_phoff points (SDCC puts them after the data)', () => {
    const img = parseElf('sdcc.elf', buildElf({ littleEndian: true, segments: [{ paddr: 0x18000, data: pattern(300, 5) }] }));
    expect(img.bounds).toEqual({ start: 0x18000, end: 0x18000 + 299 });
  });
});

describe('ELF errors name the file and the byte offset', () => {
  const good = buildElf({ segments: [{ paddr: 0x8000, data: pattern(32) }] });

  it('an ELF for ARM is refused, naming the machine', () => {
    const msg = expectBadFile(() => parseElf('blinky.elf', buildElf({ machine: 40, littleEndian: true, segments: [{ paddr: 0x08000000, data: pattern(8) }] })), {
      reason: 'wrong-machine',
      offset: 18,
    });
    expect(msg).toBe('blinky.elf at offset 0x12: an ELF for ARM (machine 40), not for STM8 (machine 186)');
    expect(expectBadFile(() => parseElf('odd.elf', buildElf({ machine: 4242, segments: [] })), { reason: 'wrong-machine' })).toContain('another processor (machine 4242)');
  });

  it('a truncated header', () => {
    const msg = expectBadFile(() => parseElf('cut.elf', good.subarray(0, 40)), { reason: 'truncated', offset: 40 });
    expect(msg).toBe('cut.elf at offset 0x28: truncated: the file ends after 40 bytes, inside the 52-byte ELF header');
  });

  it('truncated program headers (they are at the end of an SDCC file)', () => {
    expectBadFile(() => parseElf('cut.elf', good.subarray(0, good.length - 1)), { reason: 'truncated', offset: 52 + 32 });
  });

  it('segment data cut short', () => {
    // Program headers first, then data, so that cutting the file cuts the data.
    const elf = writeElf(sampleImage());
    const msg = expectBadFile(() => parseElf('cut.elf', elf.subarray(0, elf.length - 10)), { reason: 'truncated', offset: elf.length - 10 });
    expect(msg).toContain('truncated: segment');
  });

  it('not an ELF, a 64-bit ELF, an object file, no loadable data', () => {
    expectBadFile(() => parseElf('fw.elf', new TextEncoder().encode(':00000001FF')), { reason: 'not-elf', offset: 0 });
    const m64 = expectBadFile(() => parseElf('x86.elf', buildElf({ elfClass: 2, segments: [] })), { reason: 'elf-class', offset: 4 });
    expect(m64).toContain('64-bit ELF');
    expect(expectBadFile(() => parseElf('main.rel', buildElf({ type: 1, segments: [] })), { reason: 'elf-type', offset: 16 })).toContain('relocatable object');
    expectBadFile(() => parseElf('none.elf', buildElf({ segments: [] })), { reason: 'no-data' });
    expectBadFile(() => parseElf('bss.elf', buildElf({ segments: [{ paddr: 0, data: new Uint8Array(0), memsz: 10 }] })), { reason: 'no-data' });
  });

  it('a segment beyond the 24-bit address space', () => {
    const msg = expectBadFile(() => parseElf('far.elf', buildElf({ segments: [{ paddr: 0xfffff0, data: pattern(32) }] })), { reason: 'beyond-24-bit' });
    expect(msg).toContain('0xFFFFF0–0x100000F');
  });
});
