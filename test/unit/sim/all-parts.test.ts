import { describe, expect, it } from 'vitest';
import { allParts } from '#shared/catalogue/index';
import { RawHost, pattern } from './raw-host';

describe('every catalogue part', () => {
  it('connects, block-programs the first flash block after the UBC area and reads it back; EEPROM too', async () => {
    for (const part of allParts()) {
      const h = await RawHost.open({ probe: 'stlinkv3', part: part.name });
      await h.connect({ highSpeed: true });
      const r = part.flashRegs;
      await h.write8(r.PUKR, 0x56);
      await h.write8(r.PUKR, 0xae);
      await h.write8(r.DUKR, 0xae);
      await h.write8(r.DUKR, 0x56);
      const targets = [part.flash.start];
      if (part.eeprom && part.eeprom.size >= part.blockSize) targets.push(part.eeprom.start);
      for (const addr of targets) {
        await h.write8(r.CR2, 0x01);
        if (r.NCR2 !== null) await h.write8(r.NCR2, 0xfe);
        const data = pattern(part.blockSize, addr);
        expect(await h.writeMem(addr, data), part.name).toBe(0);
        await h.sleep(6.1);
        expect((await h.read8(r.IAPSR)) & 0x05, `${part.name} EOP at 0x${addr.toString(16)}`).toBe(0x04);
        expect(Array.from(await h.readMem(addr, part.blockSize)), part.name).toEqual(Array.from(data));
      }
      if (part.uidAddress !== null) expect(Array.from(await h.readMem(part.uidAddress, 12))).toEqual(Array.from(h.probe.target.uniqueId()!));
    }
  });
});
