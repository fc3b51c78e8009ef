/**
 * Half-written option bytes: an option write cut short says which pairs it left broken and
 * what the chip does with them at the next reset, and a later write must say what a broken
 * byte becomes (whole byte or factory value) instead of keeping its junk bits.
 */
import { describe, expect, it } from 'vitest';
import { connectTarget } from '../../../src/main/jobs/index';
import { findPart } from '#shared/catalogue/index';
import { setup } from './helpers';

const S103 = findPart('stm8s103f3');
const opt = (name: string) => S103.optionBytes.find((o) => o.name === name)!;
const OPT2 = opt('OPT2');
const OPT3 = opt('OPT3');
const pair = (v: { target: { peek(a: number, n: number): Uint8Array } }, o: { address: number }) => [...v.target.peek(o.address, 2)];

describe('an option write cut short', () => {
  it('power lost while NOPT2 programs: the error names OPT2/NOPT2 and the reset behaviour; the chip holds a broken pair', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3');
    // Program cycle 1 = OPT2, cycle 2 = NOPT2: the power goes while NOPT2 programs.
    v.setFault({ name: 'power-loss-in-program', arg: 2 });
    const err = await c.writeOptionBytes({ named: { OPT2: 0x18 }, confirmDangerous: true }).catch((e) => e);
    const [o2, n2] = pair(v, OPT2);
    expect(o2).toBe(0x18);
    expect(n2).not.toBe(~0x18 & 0xff);
    expect(err.message).toMatch(/stopped after 1 of 2 bytes/);
    expect(err.message).toContain('OPT2/NOPT2 (0x4803/0x4804) 0x18/undefined');
    expect(err.message).toMatch(/next reset/);
    expect(err.details.optionWriteInterrupted).toMatchObject({ done: 1, total: 2, pairs: [{ name: 'OPT2', value: 0x18, complementValue: null }] });
    expect(err.remedy).toMatch(/OPT2/);
    await c.close().catch(() => undefined);
  });

  it('unplugged after any number of transfers: every pair broken on the chip is in the report, with the bytes it holds', async () => {
    let reported = 0;
    for (let n = 1; n <= 160; n++) {
      const { v, c } = await setup('stlinkv2', 'stm8s103f3');
      v.setFault({ name: 'unplug-after', arg: n });
      const err = await c.writeOptionBytes({ named: { OPT2: 0x18, OPT3: 0x08 }, confirmDangerous: true }).then(
        () => null,
        (e) => e,
      );
      await c.close().catch(() => undefined);
      if (!err) break; // n is past the whole write
      const brokenOnChip = S103.optionBytes
        .filter((o) => o.complementAddress !== null)
        .filter((o) => {
          const [a, b] = pair(v, o);
          return b !== (~a & 0xff);
        })
        .map((o) => o.name);
      const left = (err.details?.optionWriteInterrupted?.pairs ?? []) as { name: string; address: number; value: number | null; complementValue: number | null }[];
      for (const name of brokenOnChip) expect(left.map((p) => p.name), `unplug after ${n} transfers`).toContain(name);
      for (const p of left) {
        const [a, b] = pair(v, { address: p.address });
        if (p.value !== null) expect(a, `${p.name} after ${n}`).toBe(p.value);
        if (p.complementValue !== null) expect(b, `N${p.name} after ${n}`).toBe(p.complementValue);
      }
      if (left.length > 0) reported++;
    }
    // Some unplug points fall inside the write, between a byte and its complement.
    expect(reported).toBeGreaterThan(0);
  });

  it('cancel never stops between a byte and its complement', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3');
    const ac = new AbortController();
    const err = await c
      .writeOptionBytes({ named: { OPT2: 0x01, OPT3: 0x08 } }, { signal: ac.signal, onProgress: (p) => p.done === 1 && ac.abort() })
      .catch((e) => e);
    expect(err.code).toBe('cancelled');
    expect(pair(v, OPT2)).toEqual([0x01, 0xfe]);
    expect(pair(v, OPT3)).toEqual([0x00, 0xff]);
    await c.close();
  });
});

describe('a chip with a broken pair (OPT2/NOPT2 = 0x18/0xFF, as an interrupted write leaves it)', () => {
  async function broken() {
    const b = await setup('stlinkv2', 'stm8s103f3');
    b.v.target.poke(OPT2.address, Uint8Array.of(0x18, 0xff));
    // A fresh connection reads the option bytes as the chip holds them now.
    await b.c.close();
    const c = await connectTarget({ transport: b.v.transport, part: 'stm8s103f3' });
    return { v: b.v, c };
  }

  it('refuses a field change on the broken byte, and leaves the chip untouched', async () => {
    const { v, c } = await broken();
    expect((await c.readOptionBytes()).complementErrors).toEqual(['OPT2']);
    const err = await c.writeOptionBytes({ changes: { AFR0: 1 } }).catch((e) => e);
    expect(err.code).toBe('option-pair-broken');
    expect(err.message).toMatch(/OPT2\/NOPT2 at 0x4803\/0x4804 hold 0x18\/0xFF/);
    expect(err.message).toMatch(/AFR0/);
    expect(err.details.brokenPairs).toEqual([{ name: 'OPT2', address: 0x4803, complementAddress: 0x4804, value: 0x18, complementValue: 0xff, factory: OPT2.factory }]);
    expect(pair(v, OPT2)).toEqual([0x18, 0xff]);
    await c.close();
  });

  it('refuses a write to another byte that would silently rebuild NOPT2 from the junk in OPT2', async () => {
    const { v, c } = await broken();
    const err = await c.writeOptionBytes({ changes: { LSI_EN: 1 } }).catch((e) => e);
    expect(err.code).toBe('option-pair-broken');
    expect(pair(v, OPT2)).toEqual([0x18, 0xff]);
    expect(pair(v, OPT3)).toEqual([0x00, 0xff]);
    await c.close();
  });

  it('takes the whole byte', async () => {
    const { v, c } = await broken();
    const w = await c.writeOptionBytes({ named: { OPT2: 0x01 } });
    expect(pair(v, OPT2)).toEqual([0x01, 0xfe]);
    expect(w.after.complementErrors).toEqual([]);
    await c.close();
  });

  it('starts a field change from the factory value when asked', async () => {
    const { v, c } = await broken();
    await c.writeOptionBytes({ changes: { AFR0: 1 }, fromFactory: true });
    expect(pair(v, OPT2)).toEqual([OPT2.factory | 0x01, ~(OPT2.factory | 0x01) & 0xff]);
    await c.close();
  });

  it('repairs an untouched broken byte to its factory value with fromFactory', async () => {
    const { v, c } = await broken();
    await c.writeOptionBytes({ changes: { LSI_EN: 1 }, fromFactory: true });
    expect(pair(v, OPT2)).toEqual([OPT2.factory, ~OPT2.factory & 0xff]);
    expect(pair(v, OPT3)[1]).toBe(~pair(v, OPT3)[0] & 0xff);
    expect(pair(v, OPT3)[0] & 0x08).toBe(0x08);
    await c.close();
  });
});
