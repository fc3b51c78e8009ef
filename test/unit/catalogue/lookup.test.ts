// Lookup by exact name, stm8flash pattern, concrete chip, ordering code; case-insensitive;
// unknown names are an AppError listing the closest names.
import { describe, expect, it } from 'vitest';
import { AppError } from '#shared/errors';
import { allParts, closestPartNames, findPart, matchesPattern, partNames, tryFindPart } from '#shared/catalogue/index';

describe('findPart', () => {
  it('resolves a concrete chip through its stm8flash pattern and names it after the chip', () => {
    const p = findPart('stm8s103f3');
    expect(p.name).toBe('stm8s103f3');
    expect(p.pattern).toBe('stm8s103?3');
    expect(findPart('stm8s103k3').pattern).toBe('stm8s103?3');
    // stm8s103f2 is its own entry (4 KB), not the ?3 pattern
    expect(findPart('stm8s103f2').flash.size).toBe(4096);
  });

  it('accepts the pattern itself', () => {
    const p = findPart('stm8s103?3');
    expect(p.name).toBe('stm8s103?3');
    expect(p.flash.size).toBe(8192);
  });

  it('is case-insensitive and ignores surrounding spaces', () => {
    expect(findPart('  STM8L152C6 ').name).toBe('stm8l152c6');
    expect(findPart('StM8s105K4').pattern).toBe('stm8s105?4');
  });

  it('strips ST ordering-code suffixes (package, temperature, packing)', () => {
    expect(findPart('STM8S103F3P6').name).toBe('stm8s103f3');
    expect(findPart('STM8S003F3P6TR').name).toBe('stm8s003f3');
    expect(findPart('STM8L152C6T6').name).toBe('stm8l152c6');
    expect(findPart('STM8AF6266TCY').name).toBe('stm8af6266');
  });

  it('prefers an exact entry over a shorter name plus suffix', () => {
    expect(findPart('stm8af6223a').pattern).toBe('stm8af6223a');
    expect(findPart('stm8af6223').pattern).toBe('stm8af6223');
  });

  it('resolves every concrete chip listed by the JSON to the entry that lists it', () => {
    for (const entry of allParts()) {
      for (const chip of entry.aliases) {
        const p = findPart(chip);
        expect(p.pattern, chip).toBe(entry.name);
        expect(p.name).toBe(chip.toLowerCase());
      }
    }
  });

  it('rejects an unknown part with the closest names, a remedy and details', () => {
    let err: unknown;
    try {
      findPart('stm8s103');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('unknown-part');
    expect(e.message).toMatch(/^Unknown part "stm8s103"\. Closest: /);
    expect(e.message).toContain('stm8s103f3');
    expect(e.remedy).toMatch(/swim-studio parts/);
    expect((e.details?.closest as string[]).length).toBe(5);
  });

  it('rejects an empty name and a name that only shares a prefix', () => {
    expect(() => findPart('')).toThrow(AppError);
    expect(() => findPart('stm8s103f')).toThrow(/Unknown part/);
    expect(tryFindPart('stm8x999')).toBeNull();
  });
});

describe('names for pickers', () => {
  it('lists concrete chips and catalogue names, sorted, each resolvable', () => {
    const names = partNames();
    expect(names).toContain('stm8s103f3');
    expect(names).toContain('stm8s103?3');
    expect(names).toEqual([...names].sort());
    for (const n of names) expect(tryFindPart(n), n).not.toBeNull();
  });

  it('ranks close names first', () => {
    expect(closestPartNames('stm8s105c', 3)).toEqual(['stm8s105?4', 'stm8s105?6', 'stm8s105c4']);
    expect(closestPartNames('stm8l15', 2).every((n) => n.startsWith('stm8l15'))).toBe(true);
  });

  it('matches patterns the stm8flash way', () => {
    expect(matchesPattern('stm8s103?3', 'stm8s103k3')).toBe(true);
    expect(matchesPattern('stm8s103?3', 'stm8s103k33')).toBe(false);
    expect(matchesPattern('stm8s103?3', 'stm8s105k3')).toBe(false);
  });
});
