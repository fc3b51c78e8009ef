// Option bytes: factory images, decoding to named fields, complements, ROP polarity,
// field changes and the structural rules every part's description must obey.
import { describe, expect, it } from 'vitest';
import {
  allParts,
  applyFieldChanges,
  complementMismatches,
  dangerousChanges,
  decodeOptionBytes,
  encodeOptionBytes,
  factoryOptionImage,
  fillComplements,
  findPart,
  isRopActive,
  ubcProtectedBytes,
} from '#shared/catalogue/index';
import type { DecodedOptionByte } from '#shared/catalogue/index';

function fieldsOf(decoded: DecodedOptionByte[]): Record<string, { value: number; meaning: string }> {
  const out: Record<string, { value: number; meaning: string }> = {};
  for (const b of decoded) for (const f of b.fields) out[f.name] = { value: f.value, meaning: f.meaning };
  return out;
}

const bytesAt = (img: Map<number, number>, from: number, to: number) => {
  const out: number[] = [];
  for (let a = from; a <= to; a++) out.push(img.get(a) ?? -1);
  return out;
};

describe('STM8S103 option bytes', () => {
  const p = findPart('stm8s103f3');

  it('factory image is 00 00 FF 00 FF 00 FF 00 FF 00 FF (stm8flash issue #102)', () => {
    expect(bytesAt(factoryOptionImage(p), 0x4800, 0x480a)).toEqual([0x00, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff]);
  });

  it('has one entry per primary byte with complement at +1 (none for ROP)', () => {
    expect(p.optionBytes.map((o) => [o.name, o.address, o.complementAddress])).toEqual([
      ['OPT0', 0x4800, null],
      ['OPT1', 0x4801, 0x4802],
      ['OPT2', 0x4803, 0x4804],
      ['OPT3', 0x4805, 0x4806],
      ['OPT4', 0x4807, 0x4808],
      ['OPT5', 0x4809, 0x480a],
    ]);
  });

  it('decodes the factory image into named fields', () => {
    const img = factoryOptionImage(p);
    const decoded = decodeOptionBytes(p, (a) => img.get(a));
    expect(decoded.every((b) => b.complementOk && b.isFactory)).toBe(true);
    const f = fieldsOf(decoded);
    expect(Object.keys(f)).toEqual(
      expect.arrayContaining(['ROP', 'UBC', 'AFR0', 'AFR7', 'WWDG_HALT', 'WWDG_HW', 'IWDG_HW', 'LSI_EN', 'HSITRIM', 'PRSC', 'CKAWUSEL', 'EXTCLK', 'HSECNT']),
    );
    expect(f.ROP).toEqual({ value: 0, meaning: 'not protected (factory value)' });
    expect(f.IWDG_HW).toEqual({ value: 0, meaning: 'IWDG started by software' });
    expect(f.HSECNT.meaning).toBe('2048 HSE cycles');
    expect(f.UBC.meaning).toBe('none');
  });

  it('decodes a changed image: OPT3 bit 2 = hardware watchdog, UBC pages, ROP on', () => {
    const img = new Map([
      [0x4800, 0xaa],
      [0x4801, 0x03],
      [0x4802, 0xfc],
      [0x4805, 0x04],
      [0x4806, 0xfb],
      [0x4809, 0xb4],
      [0x480a, 0x4b],
    ]);
    const decoded = decodeOptionBytes(p, (a) => img.get(a));
    const f = fieldsOf(decoded);
    expect(f.IWDG_HW).toEqual({ value: 1, meaning: 'IWDG started by hardware at reset' });
    expect(f.ROP.meaning).toBe('read-out protection ON');
    expect(f.UBC.meaning).toBe('first 192 bytes of flash (0x8000-0x80BF) write-protected');
    expect(f.HSECNT.meaning).toBe('128 HSE cycles');
    const opt2 = decoded.find((b) => b.name === 'OPT2');
    expect(opt2?.value).toBeNull(); // not read
    expect(opt2?.complementOk).toBe(false);
  });

  it('flags a broken complement', () => {
    const img = factoryOptionImage(p);
    img.set(0x4806, 0xfe); // NOPT3 no longer ~OPT3
    const opt3 = decodeOptionBytes(p, (a) => img.get(a)).find((b) => b.name === 'OPT3');
    expect(opt3?.complementOk).toBe(false);
    expect(opt3?.complementValue).toBe(0xfe);
    expect(complementMismatches(p, img)).toEqual([{ name: 'OPT3', address: 0x4805, value: 0, complementAddress: 0x4806, complementValue: 0xfe }]);
  });

  it('encodes primaries with their complements, ROP without', () => {
    expect(encodeOptionBytes(p, { OPT0: 0xaa, OPT3: 0x04 })).toEqual([
      { address: 0x4800, value: 0xaa },
      { address: 0x4805, value: 0x04 },
      { address: 0x4806, value: 0xfb },
    ]);
    expect(encodeOptionBytes(p, new Map([[0x4801, 0x02]]))).toEqual([
      { address: 0x4801, value: 0x02 },
      { address: 0x4802, value: 0xfd },
    ]);
    expect(() => encodeOptionBytes(p, { OPT9: 1 })).toThrow(/no option byte "OPT9"/);
    expect(() => encodeOptionBytes(p, { OPT1: 256 })).toThrow(/not a byte/);
  });

  it('fills complements of a primaries-only (STVP) image and keeps existing ones', () => {
    const filled = fillComplements(
      p,
      new Map([
        [0x4800, 0x00],
        [0x4801, 0x00],
        [0x4803, 0x80],
        [0x4805, 0x04],
        [0x4806, 0x12],
      ]),
    );
    expect(filled.get(0x4802)).toBe(0xff);
    expect(filled.get(0x4804)).toBe(0x7f);
    expect(filled.get(0x4806)).toBe(0x12);
    expect(filled.has(0x4808)).toBe(false);
  });

  it('changes named fields and reports dangerous ones', () => {
    const before = factoryOptionImage(p);
    const after = applyFieldChanges(p, before, { IWDG_HW: 1, AFR7: 1, PRSC: 2 });
    expect(after.get(0x4805)).toBe(0x04);
    expect(after.get(0x4803)).toBe(0x80);
    expect(after.get(0x4807)).toBe(0x02);
    expect(before.get(0x4805)).toBe(0x00); // input untouched
    expect(dangerousChanges(p, before, after).map((d) => d.field)).toEqual(['IWDG_HW']);
    expect(() => applyFieldChanges(p, before, { NOPE: 1 })).toThrow(/no option field "NOPE"/);
    expect(() => applyFieldChanges(p, before, { IWDG_HW: 2 })).toThrow(/does not fit in 1 bit/);
    expect(() => applyFieldChanges(p, before, { ROP: 0x100 })).toThrow(AppErrorLike('bad-option-value'));
  });
});

function AppErrorLike(code: string) {
  return expect.objectContaining({ code });
}

describe('STM8L152 option bytes', () => {
  const p = findPart('stm8l152c6');

  it('decodes the factory image: ROP 0xAA = unprotected, no complements', () => {
    const img = factoryOptionImage(p);
    expect(img.get(0x4800)).toBe(0xaa);
    expect(p.optionBytes.every((o) => o.complementAddress === null)).toBe(true);
    const decoded = decodeOptionBytes(p, (a) => img.get(a));
    expect(decoded.map((b) => b.name)).toEqual(['OPT0', 'OPT1', 'OPT3', 'OPT4', 'OPT5', 'OPTBL_H', 'OPTBL_L']);
    expect(decoded.every((b) => b.complementOk)).toBe(true);
    const f = fieldsOf(decoded);
    expect(f.ROP).toEqual({ value: 0xaa, meaning: 'not protected (factory value)' });
    expect(f.IWDG_HW.value).toBe(0);
    expect(f.HSECNT.meaning).toBe('1 cycle');
    expect(f.BOR_ON.meaning).toBe('BOR off');
    expect(f.BOR_TH.value).toBe(0);
  });

  it('encodes without complements and sets BOR fields in place', () => {
    const img = applyFieldChanges(p, factoryOptionImage(p), { BOR_ON: 1, BOR_TH: 3, LSECNT: 2 });
    expect(img.get(0x480a)).toBe(0x07);
    expect(img.get(0x4809)).toBe(0x08);
    expect(encodeOptionBytes(p, { OPT5: 0x07 })).toEqual([{ address: 0x480a, value: 0x07 }]);
  });

  it('low-density STM8L has BOR on from the factory (GX 0x01)', () => {
    const l = findPart('stm8l151f3');
    const f = fieldsOf(decodeOptionBytes(l, (a) => factoryOptionImage(l).get(a)));
    expect(f.BOR_ON.value).toBe(1);
    expect(l.ubcPageSize).toBe(64);
  });
});

describe('UBC sizes', () => {
  it('counts 512-byte pages on STM8S medium/high density by the datasheet table', () => {
    const p = findPart('stm8s208rb');
    expect(p.ubcPageSize).toBe(512);
    expect(ubcProtectedBytes(p, 0)).toBe(0);
    expect(ubcProtectedBytes(p, 1)).toBe(1024); // pages 0-1
    expect(ubcProtectedBytes(p, 6)).toBe(4096); // measured: first 4 KB
    expect(ubcProtectedBytes(p, 0x3e)).toBe(64 * 512); // pages 0-63
    expect(ubcProtectedBytes(p, 0x3f)).toBeNull(); // reserved
  });

  it('counts one-block pages on STM8S low density and STM8L, capped at the flash size', () => {
    expect(ubcProtectedBytes(findPart('stm8s103f3'), 3)).toBe(192);
    expect(ubcProtectedBytes(findPart('stm8s103f3'), 0xff)).toBe(8192);
    expect(ubcProtectedBytes(findPart('stm8l152c6'), 2)).toBe(256);
    expect(ubcProtectedBytes(findPart('stm8l151f3'), 2)).toBe(128);
  });
});

describe('ROP polarity', () => {
  it('STM8S style: only 0xAA protects', () => {
    const s = findPart('stm8s105k4');
    expect(isRopActive(s, 0xaa)).toBe(true);
    expect(isRopActive(s, 0x00)).toBe(false);
    expect(isRopActive(s, 0x55)).toBe(false);
    expect(s.rop).toEqual({ style: 'stm8s', address: 0x4800, protectValue: 0xaa, unprotectedValue: 0x00 });
  });

  it('STM8L style: only 0xAA unprotects', () => {
    const l = findPart('stm8l151k6');
    expect(isRopActive(l, 0xaa)).toBe(false);
    expect(isRopActive(l, 0x00)).toBe(true);
    expect(isRopActive(l, 0x55)).toBe(true);
    expect(l.rop).toEqual({ style: 'stm8l', address: 0x4800, protectValue: 0x00, unprotectedValue: 0xaa });
  });

  it('STM8L101: STM8S polarity, no complements; TL5x: STM8L polarity', () => {
    const p = findPart('stm8l101f3');
    expect(isRopActive(p, 0xaa)).toBe(true);
    expect(isRopActive(p, 0x00)).toBe(false);
    expect(p.optionBytes.every((o) => o.complementAddress === null)).toBe(true);
    expect(isRopActive(findPart('stm8tl52f4'), 0xaa)).toBe(false);
  });

  it('factory image of every part decodes as unprotected', () => {
    for (const part of allParts()) {
      const rop = factoryOptionImage(part).get(0x4800);
      expect(rop, part.name).toBeDefined();
      expect(isRopActive(part, rop as number), part.name).toBe(false);
    }
  });
});

describe('option-byte descriptions of every part', () => {
  it('stay inside the option window, cover the bits once, and name fields uniquely', () => {
    // Problems are collected and compared once, so a failure lists every offending part.
    const problems: string[] = [];
    for (const part of allParts()) {
      const names = new Set<string>();
      for (const ob of part.optionBytes) {
        const where = `${part.name} ${ob.name}`;
        if (ob.address < part.option.start || (ob.complementAddress ?? ob.address) > part.option.end) problems.push(`${where} outside option window`);
        let used = 0;
        for (const f of ob.fields) {
          if (names.has(f.name)) problems.push(`${where} duplicate field ${f.name}`);
          names.add(f.name);
          if (f.shift + f.width > 8) problems.push(`${where} ${f.name} wider than the byte`);
          const m = ((1 << f.width) - 1) << f.shift;
          if (used & m) problems.push(`${where} ${f.name} overlaps another field`);
          used |= m;
          if (f.kind === 'switch' && JSON.stringify(f.values?.map((v) => v.value)) !== '[0,1]') problems.push(`${where} ${f.name} switch without 0/1`);
          for (const v of f.values ?? []) if (v.value >= 1 << f.width) problems.push(`${where} ${f.name} value ${v.value} too wide`);
        }
      }
      if (!names.has('ROP')) problems.push(`${part.name} has no ROP field`);
      // complements only on STM8S-style parts
      if (part.rop.style !== 'stm8s' && part.optionBytes.some((o) => o.complementAddress !== null)) problems.push(`${part.name} has complements`);
    }
    expect(problems).toEqual([]);
  });

  it('describes the families named in the issue down to bit fields', () => {
    const has = (name: string, fields: string[]) => {
      const p = findPart(name);
      const all = p.optionBytes.flatMap((o) => o.fields.map((f) => f.name));
      expect(all, name).toEqual(expect.arrayContaining(fields));
    };
    has('stm8s001j3', ['ROP', 'UBC', 'AFR0', 'IWDG_HW', 'HSECNT']);
    has('stm8s903k3', ['AFR3', 'IWDG_HW', 'EXTCLK']);
    has('stm8s005k6', ['BL', 'AFR7']);
    has('stm8s207rb', ['WAITSTATE', 'BL', 'PRSC']);
    has('stm8s007c8', ['WAITSTATE']);
    has('stm8af6269', ['TMU', 'TMU_KEY1', 'TMU_KEY8', 'TMU_MAXATT', 'WAITSTATE', 'BL']);
    has('stm8af6223', ['ROP', 'UBC', 'IWDG_HW']);
    has('stm8l152r8', ['PCODESIZE', 'BOR_TH', 'OPTBL_H']);
    has('stm8al3l68', ['BOR_ON', 'HSECNT', 'LSECNT']);
    has('stm8l001j3', ['ROP', 'UBC', 'DATASIZE', 'IWDG_HW']);
    has('stm8tl53c4', ['ROP', 'UBC', 'DATASIZE', 'PCODESIZE', 'IWDG_HW']);
    has('stlux385', ['ROP', 'UCB', 'GENCFG', 'CLKCTL', 'WAITSTATE', 'AFR_IOMXP2', 'BL']);
    has('stnrg288a', ['ENHFEAT', 'MSC_OPT0']);
    const af = findPart('stm8af6269');
    expect(af.optionBytes.find((o) => o.name === 'OPT16')?.factory).toBe(0xc7);
    expect(af.optionBytes.find((o) => o.name === 'OPT8')?.complementAddress).toBeNull();
  });

  it('marks ROP, UBC and the hardware watchdog as dangerous', () => {
    for (const name of ['stm8s103f3', 'stm8l152c6', 'stm8s208rb']) {
      const p = findPart(name);
      const f = Object.fromEntries(p.optionBytes.flatMap((o) => o.fields.map((x) => [x.name, x])));
      expect(f.ROP.dangerous, name).toBeTruthy();
      expect(f.UBC.dangerous, name).toBeTruthy();
      expect(f.IWDG_HW.dangerous, name).toBeTruthy();
    }
    const w = findPart('stm8s208rb').optionBytes.find((o) => o.name === 'OPT7')?.fields[0];
    expect(w?.dangerous).toMatch(/16 MHz/);
  });
});
