/** What the unlock wizard says per family: the method, what is erased, the consent sentence. */
import { describe, expect, it } from 'vitest';
import { findPart } from '#shared/catalogue/index';
import { consentText, erasedAreas, sizeWords, unlockMethod } from '../../../../src/renderer/src/features/unlock/unlock-facts';

describe('unlock facts', () => {
  it('STM8S: factory option bytes with complements, flash 8 KB and EEPROM 640 bytes erased', () => {
    const p = findPart('stm8s103f3');
    const m = unlockMethod(p);
    expect(m.name).toMatch(/STM8S method/);
    expect(m.steps[0]).toMatch(/ROP 0x4800 = 0x00/);
    expect(erasedAreas(p)).toEqual([
      { label: 'Program flash', start: 0x8000, size: 8192 },
      { label: 'Data EEPROM', start: 0x4000, size: 640 },
    ]);
    expect(consentText(p, 'STM8S103F3')).toBe(
      'I understand that everything in program flash (8 KB) and data EEPROM (640 bytes) of this STM8S103F3 will be erased and cannot be recovered.',
    );
  });

  it('STM8L: 0xAA written twice', () => {
    const p = findPart('stm8l152c6');
    const m = unlockMethod(p);
    expect(m.name).toMatch(/STM8L method/);
    expect(m.steps[0]).toMatch(/0xAA/);
    expect(m.steps[1]).toMatch(/second time/);
    expect(erasedAreas(p).map((a) => a.size)).toEqual([32768, 1024]);
  });

  it('STM8L101: STM8S polarity without complements, data area inside flash', () => {
    const p = findPart('stm8l101f3');
    expect(unlockMethod(p).name).toMatch(/STM8L101/);
    expect(erasedAreas(p)[0].label).toMatch(/data area/);
  });

  it('words sizes', () => {
    expect(sizeWords(131072)).toBe('128 KB');
    expect(sizeWords(640)).toBe('640 bytes');
  });
});
