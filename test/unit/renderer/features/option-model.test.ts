/**
 * The option-byte editor's model, generated from the catalogue's description: rows and field
 * controls per part, the meaning of values, the pair check, and the write plan with its
 * dangerous changes (ROP, hardware watchdog, UBC) and their consequences.
 */
import { describe, expect, it } from 'vitest';
import { factoryOptionImage, findPart } from '#shared/catalogue/index';
import { optionRows, sizeText, withField, writePlan, type ByteReader } from '../../../../src/renderer/src/features/option-bytes/option-model';

const s103 = findPart('stm8s103f3');
const l152 = findPart('stm8l152c6');

function reader(map: Map<number, number>): ByteReader {
  return (a) => map.get(a);
}
const none: ByteReader = () => undefined;

describe('rows from the catalogue', () => {
  it('gives stm8s103f3 one row per option byte with complements and field controls by kind', () => {
    const img = factoryOptionImage(s103);
    const rows = optionRows(s103, reader(img), reader(img));
    expect(rows.map((r) => r.name)).toEqual(s103.optionBytes.map((o) => o.name));
    const opt3 = rows.find((r) => r.name === 'OPT3')!;
    expect(opt3.address).toBe(0x4805);
    expect(opt3.complementAddress).toBe(0x4806);
    expect(opt3.complement).toBe(0xff);
    expect(opt3.complementOk).toBe(true);
    expect(opt3.chipComplementOk).toBe(true);
    const iwdg = opt3.fields.find((f) => f.name === 'IWDG_HW')!;
    expect(iwdg.control).toBe('switch');
    expect(iwdg.meaning).toBe('IWDG started by software');
    expect(iwdg.onLabel).toBe('IWDG started by hardware at reset');
    expect(iwdg.dangerous).toMatch(/cannot be stopped/);
    const hse = rows.find((r) => r.name === 'OPT5')!.fields[0];
    expect(hse.control).toBe('enum');
    expect(hse.choices!.map((c) => c.value)).toEqual([0x00, 0xb4, 0xd2, 0xe1]);
    const ubc = rows.find((r) => r.name === 'OPT1')!.fields[0];
    expect(ubc.control).toBe('number');
    expect(ubc.sizeText).toBe('none');
  });

  it('shows UBC sizes as bytes and an address range, and a reserved code as such', () => {
    const ubc = s103.optionBytes.find((o) => o.name === 'OPT1')!.fields[0];
    // STM8S low density: 64-byte pages counted plainly (catalogue ubc.ts).
    expect(sizeText(s103, ubc, 2)).toBe('128 bytes, 0x008000–0x00807F');
    const s208 = findPart('stm8s208rb');
    const ubc208 = s208.optionBytes.find((o) => o.name === 'OPT1')!.fields[0];
    // Medium/high density: code 1 = pages 0-1 (2 × 512 B).
    expect(sizeText(s208, ubc208, 1)).toBe('1024 bytes, 0x008000–0x0083FF');
    expect(sizeText(s208, ubc208, 0x40)).toBe('reserved code');
  });

  it('marks a broken chip pair, a changed field, and an unlisted code in a list', () => {
    const chip = factoryOptionImage(s103);
    chip.set(0x4806, 0x12); // NOPT3 corrupt
    const edited = new Map(chip);
    edited.set(0x4805, 0x04); // IWDG_HW on
    edited.set(0x4809, 0x33); // HSECNT: not a defined code
    const rows = optionRows(s103, reader(edited), reader(chip));
    const opt3 = rows.find((r) => r.name === 'OPT3')!;
    expect(opt3.chipComplementOk).toBe(false);
    expect(opt3.changed).toBe(true);
    expect(opt3.fields.find((f) => f.name === 'IWDG_HW')!.changed).toBe(true);
    expect(opt3.fields.find((f) => f.name === 'WWDG_HW')!.changed).toBe(false);
    const hse = rows.find((r) => r.name === 'OPT5')!.fields[0];
    expect(hse.choices!.find((c) => c.value === 0x33)!.label).toMatch(/reserved code/);
  });

  it('has no chip values before a read, and STM8L bytes have no complement', () => {
    const rows = optionRows(l152, reader(factoryOptionImage(l152)), none);
    expect(rows.every((r) => r.chipValue === null && r.complement === null && r.complementOk)).toBe(true);
    const bor = rows.find((r) => r.name === 'OPT5')!.fields.find((f) => f.name === 'BOR_TH')!;
    expect(bor.control).toBe('enum');
    expect(bor.chipValue).toBeNull();
    expect(bor.changed).toBe(false);
  });
});

describe('withField', () => {
  it('changes only the field bits', () => {
    expect(withField(0xff, { shift: 2, width: 1 }, 0)).toBe(0xfb);
    expect(withField(0x00, { shift: 1, width: 3 }, 5)).toBe(0x0a);
    expect(withField(0xa5, { shift: 0, width: 8 }, 0x5a)).toBe(0x5a);
  });
});

describe('the write plan', () => {
  it('lists changed bytes and fields, and asks about the hardware watchdog but not an AFR bit', () => {
    const chip = factoryOptionImage(s103);
    const edited = new Map(chip);
    edited.set(0x4805, 0x04); // IWDG_HW
    edited.set(0x4803, 0x01); // AFR0
    const p = writePlan(s103, reader(edited), reader(chip));
    expect(p.bytes).toEqual([
      { name: 'OPT2', address: 0x4803, from: 0, to: 1 },
      { name: 'OPT3', address: 0x4805, from: 0, to: 4 },
    ]);
    expect(p.fields.map((f) => f.field)).toEqual(['AFR0', 'IWDG_HW']);
    expect(p.fields[1].toMeaning).toBe('IWDG started by hardware at reset');
    expect(p.dangers.map((d) => d.field)).toEqual(['IWDG_HW']);
    expect(p.protects).toBe(false);
  });

  it('says what setting ROP does, on both ROP polarities', () => {
    const chipS = factoryOptionImage(s103);
    const editedS = new Map(chipS).set(0x4800, 0xaa);
    const ps = writePlan(s103, reader(editedS), reader(chipS));
    expect(ps.protects).toBe(true);
    expect(ps.dangers).toHaveLength(1);
    expect(ps.dangers[0].field).toBe('ROP');
    expect(ps.dangers[0].consequence).toMatch(/can no longer be read or debugged/);
    expect(ps.dangers[0].consequence).toMatch(/erases everything/);

    // STM8L: 0xAA is the unprotected value; anything else protects.
    const chipL = factoryOptionImage(l152);
    const editedL = new Map(chipL).set(0x4800, 0x00);
    const pl = writePlan(l152, reader(editedL), reader(chipL));
    expect(pl.protects).toBe(true);
    expect(pl.dangers[0].title).toBe('Turn on read-out protection');

    const back = writePlan(l152, reader(chipL), reader(editedL));
    expect(back.unprotects).toBe(true);
    expect(back.dangers[0].consequence).toMatch(/erases program memory and data EEPROM/);
  });

  it('asks for UBC and for a ROP code change that keeps the chip unprotected; nothing to write when equal', () => {
    const chip = factoryOptionImage(s103);
    const edited = new Map(chip).set(0x4801, 4).set(0x4800, 0x55);
    const p = writePlan(s103, reader(edited), reader(chip));
    expect(p.dangers.map((d) => d.field).sort()).toEqual(['ROP', 'UBC']);
    expect(p.protects || p.unprotects).toBe(false);
    expect(writePlan(s103, reader(chip), reader(chip)).bytes).toEqual([]);
  });

  it('asks about the flash wait state on a 24 MHz part', () => {
    const s208 = findPart('stm8s208rb');
    const opt7 = s208.optionBytes.find((o) => o.name === 'OPT7')!;
    const chip = factoryOptionImage(s208);
    const edited = new Map(chip).set(opt7.address, chip.get(opt7.address)! ^ 0x01);
    const p = writePlan(s208, reader(edited), reader(chip));
    expect(p.dangers.map((d) => d.field)).toEqual(['WAITSTATE']);
    expect(p.dangers[0].consequence).toMatch(/16 MHz/);
  });

  it('changes the STM8L BOR threshold without a danger notice', () => {
    const chip = factoryOptionImage(l152);
    const edited = new Map(chip).set(0x480a, withField(chip.get(0x480a)!, { shift: 1, width: 3 }, 3));
    const p = writePlan(l152, reader(edited), reader(chip));
    expect(p.fields).toEqual([{ byte: 'OPT5', field: 'BOR_TH', from: 0, to: 3, fromMeaning: 'BOR threshold 0 (about 1.8 V)', toMeaning: 'BOR threshold 3 (about 2.7 V)' }]);
    expect(p.dangers).toEqual([]);
  });
});

describe('a remap that takes the SWIM pin', () => {
  it('needs a confirmation even when the catalogue does not flag the field', () => {
    // A part description whose AFR bit moves a function onto PD1 (the SWIM pin), without `dangerous`.
    const base = findPart('stm8s103f3');
    const part = structuredClone(base) as typeof base;
    const opt2 = part.optionBytes.find((o) => o.name === 'OPT2')!;
    opt2.fields[1] = { ...opt2.fields[1], values: [{ value: 0, meaning: 'default alternate function' }, { value: 1, meaning: 'PD1 = TIM2_CH2 (instead of SWIM)' }] };
    const chip = factoryOptionImage(part);
    const edited = new Map(chip).set(0x4803, 0x02);
    const p = writePlan(part, reader(edited), reader(chip));
    expect(p.dangers.map((d) => d.field)).toEqual(['AFR1']);
    expect(p.dangers[0].consequence).toMatch(/connect under reset/);
  });
});

describe('a pair broken on the chip (a write cut short)', () => {
  // OPT2/NOPT2 = 0x18/0xE6: the complement vouches for 0x19, the primary holds 0x18.
  const chipWithBrokenOpt2 = () => {
    const chip = factoryOptionImage(s103);
    chip.set(0x4803, 0x18);
    chip.set(0x4804, 0xe6);
    return chip;
  };

  it('offers the factory value and the last good value, and the write plan waits for a choice', () => {
    const chip = chipWithBrokenOpt2();
    const rows = optionRows(s103, reader(chip), reader(chip));
    expect(rows.find((r) => r.name === 'OPT2')!.repair).toEqual({ factory: 0x00, lastGood: 0x19, lastGoodFrom: 'complement' });
    expect(rows.filter((r) => r.repair).map((r) => r.name)).toEqual(['OPT2']);
    expect(writePlan(s103, reader(chip), reader(chip)).unresolved).toEqual(['OPT2']);
  });

  it('prefers the value last read with an intact pair over what the complement says', () => {
    const chip = chipWithBrokenOpt2();
    const rows = optionRows(s103, reader(chip), reader(chip), reader(new Map([[0x4803, 0x00]])));
    expect(rows.find((r) => r.name === 'OPT2')!.repair).toEqual({ factory: 0x00, lastGood: 0x00, lastGoodFrom: 'reading' });
  });

  it('once a whole value is chosen: no repair offered, and Write rewrites the pair even when the value equals the junk primary', () => {
    const chip = chipWithBrokenOpt2();
    const edited = new Map(chip);
    edited.set(0x4804, ~0x18 & 0xff); // "keep 0x18", chosen as a whole byte
    expect(optionRows(s103, reader(edited), reader(chip)).find((r) => r.name === 'OPT2')!.repair).toBeNull();
    const plan = writePlan(s103, reader(edited), reader(chip));
    expect(plan.unresolved).toEqual([]);
    expect(plan.bytes).toEqual([{ name: 'OPT2', address: 0x4803, from: 0x18, to: 0x18, repairsPair: true }]);
  });
});
