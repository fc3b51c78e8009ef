/**
 * Every operation on every SWIM-capable probe variant and on the five reference parts. The
 * chip's true contents are read through the simulator's backdoor (target.peek), never
 * through the engine under test.
 */
import { describe, expect, it } from 'vitest';
import { findPart } from '#shared/catalogue/index';
import { pseudoRandomBytes } from '#shared/pseudo-random';
import { PARTS, PROBES, image, setup } from './helpers';

describe.each(PROBES)('%s', (probe) => {
  describe.each(PARTS)('%s', (partName) => {
    const part = findPart(partName);
    const bs = part.blockSize;

    it('program (partial blocks merged, used chip), verify, read, erase, blank check, RAM', async () => {
      const { v, c } = await setup(probe, partName);
      const fs = part.flash.start;
      const used = pseudoRandomBytes(8 * bs, 11);
      v.target.poke(fs, used);
      const a = pseudoRandomBytes(3 * bs + 10, 21);
      const b = pseudoRandomBytes(bs - 20, 22);
      const segs = [
        { address: fs, data: a },
        { address: fs + 5 * bs + 7, data: b },
      ];
      if (part.eeprom) segs.push({ address: part.eeprom.start + 3, data: pseudoRandomBytes(bs + 5, 23) });
      const img = image(...segs);
      const r = await c.program(img);
      for (const s of segs) expect(v.target.peek(s.address, s.data.length)).toEqual(s.data);
      // Bytes of partially written blocks that the image does not define keep their old value.
      expect(v.target.peek(fs + 3 * bs + 10, bs - 10)).toEqual(used.subarray(3 * bs + 10, 4 * bs));
      expect(v.target.peek(fs + 5 * bs, 7)).toEqual(used.subarray(5 * bs, 5 * bs + 7));
      expect(r.verified).toBe(true);
      expect(r.blocksWritten).toBe(r.blocksTotal);
      expect(r.blocksTotal).toBe(4 + 1 + (part.eeprom ? 2 : 0));
      expect(v.target.flashState().pul).toBe(false);
      expect(v.target.flashState().dul).toBe(false);

      expect((await c.verify(img)).bytesCompared).toBe(segs.reduce((n, s) => n + s.data.length, 0));
      v.target.poke(fs + 5 * bs + 9, [b[2] ^ 0xff]);
      const bad = await c.verify(img).catch((e) => e);
      expect(bad.code).toBe('verify-failed');
      expect(bad.details.mismatches[0].address).toBe(fs + 5 * bs + 9);
      expect(bad.message).toContain((fs + 5 * bs + 9).toString(16).toUpperCase());

      const rd = await c.read({ start: fs, length: 8 * bs });
      expect(rd.data).toEqual(v.target.peek(fs, 8 * bs));
      expect(rd.protected).toBe(false);

      const er = await c.erase({ start: fs + bs + 1, length: bs });
      expect(er.blocksErased).toBe(2);
      expect(v.target.peek(fs + bs, 2 * bs).every((x) => x === 0)).toBe(true);
      expect(v.target.peek(fs, bs)).toEqual(a.subarray(0, bs));
      expect((await c.blankCheck({ start: fs + bs, length: 2 * bs })).blank).toBe(true);
      const nb = await c.blankCheck({ region: 'flash' });
      expect(nb.blank).toBe(false);
      expect(nb.firstNonBlank).toBe(fs);

      const ramData = pseudoRandomBytes(48, 31);
      await c.writeRam(part.ram.start + 0x40, ramData);
      expect(v.target.peek(part.ram.start + 0x40, 48)).toEqual(ramData);
      await c.close();
      expect(v.target.isHalted()).toBe(false);
    });

    it('option bytes: decode, change a field (complement written), read back', async () => {
      const { v, c } = await setup(probe, partName);
      const ob = await c.readOptionBytes();
      expect(ob.decoded.length).toBe(part.optionBytes.length);
      expect(ob.complementErrors).toEqual([]);
      expect(ob.ropActive).toBe(false);
      const candidate = part.optionBytes
        .filter((o) => o.address !== part.rop.address)
        .flatMap((o) => o.fields.filter((f) => f.kind === 'switch').map((f) => ({ o, f })))
        .sort((x, y) => Number(Boolean(x.f.dangerous)) - Number(Boolean(y.f.dangerous)))[0];
      expect(candidate).toBeDefined();
      const { o, f } = candidate;
      const cur = (ob.decoded.find((d) => d.address === o.address)?.value ?? 0) >> f.shift & 1;
      const w = await c.writeOptionBytes({ changes: { [f.name]: cur ^ 1 }, confirmDangerous: true });
      const now = v.target.peek(o.address, 1)[0];
      expect((now >> f.shift) & 1).toBe(cur ^ 1);
      if (o.complementAddress !== null) {
        expect(v.target.peek(o.complementAddress, 1)[0]).toBe(~now & 0xff);
        expect(w.written.length).toBe(2);
      } else {
        expect(w.written.length).toBe(1);
      }
      expect(w.after.decoded.find((d) => d.address === o.address)?.value).toBe(now);
      expect(v.target.flashState().dul).toBe(false);
      expect(v.target.flashState().cr2 & 0x80).toBe(0);
      await c.close();
    });
  });
});
