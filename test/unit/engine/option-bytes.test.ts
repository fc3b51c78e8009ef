import { describe, expect, it } from 'vitest';
import { findPart } from '#shared/catalogue/index';
import { setup } from './helpers';

const S103 = findPart('stm8s103f3');
const OPT2 = S103.optionBytes.find((o) => o.name === 'OPT2');
const OPT3 = S103.optionBytes.find((o) => o.name === 'OPT3');

describe('option bytes', () => {
  it('a corrupt complement on the chip is reported, and a write repairs it once it says what the byte becomes', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3', [{ name: 'bad-complement' }]);
    const before = await c.readOptionBytes();
    expect(before.complementErrors).toContain('OPT3');
    expect(OPT2 && OPT3).toBeTruthy();
    const o2 = OPT2!;
    const o3 = OPT3!;
    // Writing OPT2 alone would rebuild NOPT3 from whatever OPT3 holds: refused.
    const refused = await c.writeOptionBytes({ named: { OPT2: 0x81 } }).catch((e) => e);
    expect(refused.code).toBe('option-pair-broken');
    const w = await c.writeOptionBytes({ named: { OPT2: 0x81, OPT3: 0x00 } });
    expect(v.target.peek(o2.address, 2)).toEqual(Uint8Array.of(0x81, 0x7e));
    expect(v.target.peek(o3.address, 2)).toEqual(Uint8Array.of(0x00, 0xff));
    expect(w.after.complementErrors).toEqual([]);
    await c.close();
  });

  it('an option file with primaries only (STVP style) gets complements, never zeros', async () => {
    const { v, c } = await setup('stlinkv3', 'stm8s103f3');
    const o2 = OPT2!;
    const w = await c.writeOptionBytes({ bytes: [{ address: o2.address, value: 0x12 }] });
    expect(v.target.peek(o2.address, 2)).toEqual(Uint8Array.of(0x12, 0xed));
    expect(w.written).toEqual([
      { address: o2.address, value: 0x12 },
      { address: o2.address + 1, value: 0xed },
    ]);
    const bad = await c.writeOptionBytes({ bytes: [{ address: o2.address, value: 0x12 }, { address: o2.address + 1, value: 0x00 }] }).catch((e) => e);
    expect(bad.code).toBe('bad-option-complement');
    const unknown = await c.writeOptionBytes({ bytes: [{ address: 0x4850, value: 1 }] }).catch((e) => e);
    expect(unknown.code).toBe('unknown-option-address');
    await c.close();
  });

  it('ROP = protected is refused unless confirmed; confirmed, it takes effect after the reset', async () => {
    const { v, c } = await setup('stlinkv3', 'stm8s103f3');
    const refused = await c.writeOptionBytes({ named: { [S103.optionBytes[0].name]: 0xaa } }).catch((e) => e);
    expect(refused.code).toBe('confirm-required');
    expect(v.target.peek(0x4800, 1)[0]).toBe(0x00);
    await c.writeOptionBytes({ named: { [S103.optionBytes[0].name]: 0xaa }, confirmProtect: true });
    expect(v.target.peek(0x4800, 1)[0]).toBe(0xaa);
    await c.reset({ halt: true });
    expect(v.target.isRopActive()).toBe(true);
    expect((await c.readOptionBytes()).ropActive).toBe(true);
    await c.close();
  });

  it('STM8L option bytes are written without complements', async () => {
    const { v, c } = await setup('stlinkv21', 'stm8l152c6');
    const part = findPart('stm8l152c6');
    const target = part.optionBytes.find((o) => o.address !== part.rop.address && o.fields.length > 0);
    expect(target).toBeDefined();
    const w = await c.writeOptionBytes({ named: { [target!.name]: 0x01 }, confirmDangerous: true });
    expect(w.written).toEqual([{ address: target!.address, value: 0x01 }]);
    expect(v.target.peek(target!.address, 1)[0]).toBe(0x01);
    await c.close();
  });
});

describe.each([
  ['stm8s103f3', 'stm8s'],
  ['stm8s105c6', 'stm8s'],
  ['stm8s208rb', 'stm8s'],
  ['stm8l152c6', 'stm8l'],
  ['stm8l101f3', 'stm8l101'],
])('unlock %s', (partName, method) => {
  it(`removes read-out protection (${method} method), erases, reports, leaves factory options`, async () => {
    const part = findPart(partName);
    const { v, c } = await setup('stlinkv3', partName, [{ name: 'rop' }]);
    expect(v.target.isRopActive()).toBe(true);
    expect(v.target.peek(part.flash.start, 64).some((b) => b !== 0)).toBe(true);
    const u = await c.unlock();
    expect(u.method).toBe(method);
    expect(u.wasProtected).toBe(true);
    expect(u.blank).toBe(true);
    expect(u.erased.map((e) => e.region)).toEqual(part.eeprom ? ['flash', 'eeprom'] : ['flash']);
    expect(v.target.isRopActive()).toBe(false);
    expect(v.target.peek(part.flash.start, part.flash.size).every((b) => b === 0)).toBe(true);
    expect(u.optionBytes.ropActive).toBe(false);
    expect(u.optionBytes.complementErrors).toEqual([]);
    // The chip is usable: program and read back.
    const r = await c.program({ segments: [{ address: part.flash.start, data: Uint8Array.of(1, 2, 3, 4) }] });
    expect(r.blocksWritten).toBe(1);
    expect(v.target.peek(part.flash.start, 4)).toEqual(Uint8Array.of(1, 2, 3, 4));
    await c.close();
  });
});
