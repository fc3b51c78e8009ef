// The catalogue holds every JSON part, and the memory maps of five reference parts equal the
// datasheet values written out here (docs/spec/stm8-target.md §1.1-§1.3, §4.4; GX memory maps).
import { describe, expect, it } from 'vitest';
import devices from '../../../src/shared/catalogue/stm8-devices.json';
import { allParts, findPart } from '#shared/catalogue/index';
import type { MemoryRegion, Part } from '#shared/catalogue/index';

const span = (r: MemoryRegion | null) => (r ? [r.start, r.end] : null);

function map(p: Part) {
  return {
    ram: span(p.ram),
    eeprom: span(p.eeprom),
    flash: span(p.flash),
    option: span(p.option),
    bootRom: span(p.bootRom),
    block: p.blockSize,
    uid: p.uidAddress,
    regs: p.flashRegs.style,
    rop: p.rop.style,
  };
}

describe('catalogue contents', () => {
  it('holds one part per JSON entry (104), names unique, in JSON order', () => {
    const parts = allParts();
    expect(parts).toHaveLength(104);
    expect(parts.map((p) => p.name)).toEqual((devices as Array<{ name: string }>).map((d) => d.name));
    expect(new Set(parts.map((p) => p.name)).size).toBe(104);
  });

  it('gives every part a consistent memory map', () => {
    for (const p of allParts()) {
      for (const r of p.regions) expect(r.end, `${p.name} ${r.kind}`).toBe(r.start + r.size - 1);
      for (let i = 1; i < p.regions.length; i++) {
        expect(p.regions[i].start, `${p.name} regions overlap`).toBeGreaterThan(p.regions[i - 1].end);
      }
      expect(p.flash.start).toBe(0x8000);
      expect(p.option.start).toBe(0x4800);
      expect(p.ram.start).toBe(0);
      expect([64, 128]).toContain(p.blockSize);
      expect(p.flash.size % p.blockSize).toBe(0);
      expect(p.eeprom === null).toBe(p.dataInFlash);
      expect(p.bootRom === null).toBe(!p.romBootloader);
      if (p.uidAddress !== null) expect(p.uidAddress).toBeGreaterThan(p.option.end);
    }
  });

  it('uses the register set of each style', () => {
    const s = findPart('stm8s103f3').flashRegs;
    expect(s).toMatchObject({ CR1: 0x505a, CR2: 0x505b, NCR2: 0x505c, IAPSR: 0x505f, PUKR: 0x5062, DUKR: 0x5064, CLK_CKDIVR: 0x50c6, WAIT: null });
    const l = findPart('stm8l152c6').flashRegs;
    expect(l).toMatchObject({ CR1: 0x5050, CR2: 0x5051, NCR2: null, IAPSR: 0x5054, PUKR: 0x5052, DUKR: 0x5053, CLK_CKDIVR: 0x50c0 });
    expect(findPart('stnrg388a').flashRegs.WAIT).toBe(0x5067);
    expect(findPart('stwbc').flashRegs.WAIT).toBe(0x5071);
  });
});

// Datasheet memory map of each reference part: RAM, EEPROM, flash, option bytes and boot ROM
// as [first, last] address, then block size, unique-ID address, register set and ROP style.
const REFERENCE_MAPS: Array<[string, ReturnType<typeof map>]> = [
  ['stm8s103f3', { ram: [0x0000, 0x03ff], eeprom: [0x4000, 0x427f], flash: [0x8000, 0x9fff], option: [0x4800, 0x480a], bootRom: null, block: 64, uid: 0x4865, regs: 'stm8s', rop: 'stm8s' }],
  ['stm8s105c6', { ram: [0x0000, 0x07ff], eeprom: [0x4000, 0x43ff], flash: [0x8000, 0xffff], option: [0x4800, 0x487f], bootRom: [0x6000, 0x67ff], block: 128, uid: 0x48cd, regs: 'stm8s', rop: 'stm8s' }],
  ['stm8s208rb', { ram: [0x0000, 0x17ff], eeprom: [0x4000, 0x47ff], flash: [0x8000, 0x27fff], option: [0x4800, 0x487f], bootRom: [0x6000, 0x67ff], block: 128, uid: 0x48cd, regs: 'stm8s', rop: 'stm8s' }],
  ['stm8l152c6', { ram: [0x0000, 0x07ff], eeprom: [0x1000, 0x13ff], flash: [0x8000, 0xffff], option: [0x4800, 0x48ff], bootRom: [0x6000, 0x67ff], block: 128, uid: 0x4926, regs: 'stm8l', rop: 'stm8l' }],
];

describe('reference memory maps (datasheet values)', () => {
  it.each(REFERENCE_MAPS)('%s', (name, want) => {
    expect(map(findPart(name))).toEqual(want);
  });

  it('stm8l101f3: data area inside flash, STM8S ROP polarity without complements', () => {
    const p = findPart('stm8l101f3');
    expect(map(p)).toEqual({
      ram: [0x0000, 0x05ff],
      eeprom: null,
      flash: [0x8000, 0x9fff],
      option: [0x4800, 0x48ff],
      bootRom: null,
      block: 64,
      uid: 0x4925,
      regs: 'stm8l',
      rop: 'stm8s-polarity-no-complements',
    });
    expect(p.dataInFlash).toBe(true);
    expect(p.regions.map((r) => r.kind)).toEqual(['ram', 'option', 'flash']);
  });
});

describe('source disagreements resolved (docs/spec/stm8-target.md §1.3, §9)', () => {
  it('picks one value and says why in notes', () => {
    const cases: Array<[string, (p: Part) => number | undefined, number]> = [
      ['stm8l101f3', (p) => p.ram.size, 1536],
      ['stm8l162r8', (p) => p.ram.size, 4096],
      ['stm8af6226', (p) => p.ram.size, 1024],
      ['stm8tl52f4', (p) => p.flash.size, 16384],
      ['stm8l052r8', (p) => p.blockSize, 128],
      ['stm8s903k3', (p) => p.option.size, 11],
      ['stm8s208s8', (p) => p.eeprom?.size, 1536],
      ['stm8s208sb', (p) => p.eeprom?.size, 1536],
      ['stm8s208c8', (p) => p.eeprom?.size, 2048],
      ['stm8af6269', (p) => p.option.size, 128],
    ];
    for (const [name, get, want] of cases) {
      const p = findPart(name);
      expect(get(p), name).toBe(want);
      expect(p.notes.length, `${name} notes`).toBeGreaterThan(0);
    }
    expect(findPart('stm8s208s8').regions.find((r) => r.kind === 'eeprom')?.end).toBe(0x45ff);
  });
});
