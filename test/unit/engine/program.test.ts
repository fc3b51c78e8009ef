import { describe, expect, it } from 'vitest';
import { findPart } from '#shared/catalogue/index';
import type { VirtualClock } from '../../../src/main/clock';
import { pseudoRandomBytes } from '#shared/pseudo-random';
import { image, setup } from './helpers';

const S103 = findPart('stm8s103f3');

describe('programming choices', () => {
  it('fast block mode on a blank chip, standard on a used one, erase for all-zero blocks (sim counters)', async () => {
    const blank = await setup('stlinkv3', 'stm8s103f3');
    const data = pseudoRandomBytes(8 * 64, 1);
    const r1 = await blank.c.program(image({ address: 0x8000, data }));
    expect(r1.blocksFast).toBe(8);
    expect(blank.v.target.programCycles.fast).toBe(8);
    expect(blank.v.target.programCycles.block).toBe(0);
    await blank.c.close();

    const used = await setup('stlinkv2', 'stm8s103f3');
    used.v.target.poke(0x8000, pseudoRandomBytes(8 * 64, 2));
    const withZeros = pseudoRandomBytes(8 * 64, 3);
    withZeros.fill(0, 3 * 64, 4 * 64);
    const r2 = await used.c.program(image({ address: 0x8000, data: withZeros }));
    expect(r2.blocksStandard).toBe(7);
    expect(r2.blocksErased).toBe(1);
    expect(used.v.target.programCycles.block).toBe(7);
    expect(used.v.target.programCycles.erase).toBe(1);
    expect(used.v.target.peek(0x8000, 8 * 64)).toEqual(withZeros);
    await used.c.close();
  });

  it('skips blocks that already hold the data, without unlocking or program cycles', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3');
    const data = pseudoRandomBytes(4096, 4);
    await c.program(image({ address: 0x8000, data }));
    const before = { ...v.target.programCycles };
    const changed = data.slice();
    changed[700] ^= 0x5a; // block 10
    const r = await c.program(image({ address: 0x8000, data: changed }));
    expect(r.blocksSkipped).toBe(63);
    expect(r.blocksWritten).toBe(1);
    expect(v.target.programCycles.block).toBe(before.block + 1);
    const r2 = await c.program(image({ address: 0x8000, data: changed }));
    expect(r2.blocksWritten).toBe(0);
    expect(r2.bytesVerified).toBe(0);
    expect(v.target.programCycles.block).toBe(before.block + 1);
    await c.close();
  });

  it('bad input is refused before the chip is touched', async () => {
    const { v, c } = await setup('stlinkv3', 'stm8s103f3');
    const n = v.trace().length;
    const out = await c.program(image({ address: 0x9f00, data: new Uint8Array(0x200) })).catch((e) => e);
    expect(out.code).toBe('outside-memory');
    expect(out.message).toContain('0xA000');
    expect(out.remedy).toMatch(/flash 0x8000–0x9FFF/);
    const opt = await c.program(image({ address: 0x4800, data: new Uint8Array(4) })).catch((e) => e);
    expect(opt.code).toBe('image-has-options');
    expect(v.trace().length).toBe(n);
    const rd = await c.read({ start: 0x27ff0, length: 32 }).catch((e) => e);
    expect(rd.code).toBe('outside-memory');
    await c.close();
  });

  it('WR_PG_DIS under UBC becomes "read-out protection or UBC", flash locked afterwards', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3', [{ name: 'ubc', arg: 2 }]);
    const err = await c.program(image({ address: 0x8000, data: pseudoRandomBytes(64, 5) })).catch((e) => e);
    expect(err.code).toBe('write-protected');
    expect(err.message).toMatch(/read-out protection or UBC/);
    expect(err.details.flashLocked).toBe(true);
    expect(v.target.flashState().pul).toBe(false);
    // Outside the UBC pages programming works.
    const ok = await c.program(image({ address: 0x8000 + 2 * S103.ubcPageSize, data: pseudoRandomBytes(64, 6) }));
    expect(ok.blocksWritten).toBe(1);
    await c.close();
  });

  it('WR_PG_DIS under read-out protection, and reads flagged as protected', async () => {
    const { v, c } = await setup('stlinkv3', 'stm8l152c6', [{ name: 'rop' }]);
    const rd = await c.read({ region: 'flash' });
    expect(rd.protected).toBe(true);
    const err = await c.program(image({ address: 0x8000, data: pseudoRandomBytes(128, 7) })).catch((e) => e);
    expect(err.code).toBe('write-protected');
    expect(v.target.flashState().pul).toBe(false);
    await c.close();
  });

  it('cancel mid-write: "cancelled", flash locked, target reset, every block old or new', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3');
    const old = pseudoRandomBytes(4096, 8);
    v.target.poke(0x8000, old);
    const data = pseudoRandomBytes(4096, 9);
    const ac = new AbortController();
    const err = await c
      .program(image({ address: 0x8000, data }), {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.phase === 'program' && p.done === 10) ac.abort();
        },
      })
      .catch((e) => e);
    expect(err.code).toBe('cancelled');
    expect(err.details.flashLocked).toBe(true);
    expect(err.details.targetReset).toBe(true);
    const fs = v.target.flashState();
    expect(fs.pul || fs.dul).toBe(false);
    expect(v.target.peek(0x50b3, 1)[0] & 0x08).toBe(0x08); // RST_SR.SWIMF: reset by SWIM
    const now = v.target.peek(0x8000, 4096);
    let written = 0;
    for (let b = 0; b < 64; b++) {
      const blk = now.subarray(b * 64, b * 64 + 64);
      const isNew = blk.every((x, i) => x === data[b * 64 + i]);
      const isOld = blk.every((x, i) => x === old[b * 64 + i]);
      expect(isNew || isOld).toBe(true);
      if (isNew) written++;
    }
    expect(written).toBe(10);
    // The connection is still usable: program the rest.
    const r = await c.program(image({ address: 0x8000, data }));
    expect(r.blocksSkipped).toBe(10);
    expect(v.target.peek(0x8000, 4096)).toEqual(data);
    await c.close();
  });

  it('unplug mid-write: probe-unplugged, every block old or new; after replug it completes', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3');
    const old = pseudoRandomBytes(4096, 10);
    v.target.poke(0x8000, old);
    const data = pseudoRandomBytes(4096, 11);
    v.setFault({ name: 'unplug-after', arg: 150 });
    const err = await c.program(image({ address: 0x8000, data })).catch((e) => e);
    expect(err.code).toBe('probe-unplugged');
    expect(err.remedy).toMatch(/Plug the probe back/);
    // Let a program cycle that was running when the probe vanished finish (the chip keeps power).
    (v.clock as VirtualClock).advance(10);
    const now = v.target.peek(0x8000, 4096);
    let written = 0;
    for (let b = 0; b < 64; b++) {
      const blk = now.subarray(b * 64, b * 64 + 64);
      const isNew = blk.every((x, i) => x === data[b * 64 + i]);
      expect(isNew || blk.every((x, i) => x === old[b * 64 + i])).toBe(true);
      if (isNew) written++;
    }
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(64);
    await c.close();
    v.replug();
    const { connectTarget } = await import('../../../src/main/jobs/index');
    const c2 = await connectTarget({ transport: v.transport, part: 'stm8s103f3' });
    const r = await c2.program(image({ address: 0x8000, data }));
    expect(r.blocksSkipped).toBe(written);
    expect(v.target.peek(0x8000, 4096)).toEqual(data);
    await c2.close();
  });

  it('a chip other than the part chosen gives an error that points at the part', async () => {
    const { createVirtualProbe } = await import('../../../src/main/sim/index');
    const { connectTarget } = await import('../../../src/main/jobs/index');
    // Board: stm8s105c6 (32 KB); chosen: stm8s208rb (128 KB, same 128-byte blocks).
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s105c6' });
    const c = await connectTarget({ transport: v.transport, part: 'stm8s208rb' });
    const err = await c.program(image({ address: 0xff80, data: pseudoRandomBytes(256, 12) })).catch((e) => e);
    expect(err.code).toBe('flash-timeout');
    expect(err.message).toContain('0x10000');
    expect(err.remedy).toMatch(/part is right/);
    expect(v.target.flashState().pul).toBe(false);
    await c.close();
    // Board: stm8s103f3 (64-byte blocks); chosen: stm8s105c6 (128-byte blocks).
    const w = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    const d = await connectTarget({ transport: w.transport, part: 'stm8s105c6' });
    const err2 = await d.program(image({ address: 0x8000, data: pseudoRandomBytes(256, 13) })).catch((e) => e);
    expect(err2.remedy).toMatch(/128-byte blocks/);
    expect(w.target.flashState().pul).toBe(false);
    await d.close();
  });
});

describe('failures that must not hang or corrupt', () => {
  it('a probe that stops answering mid-write: usb-timeout, bounded (virtual time)', async () => {
    const { v, c } = await setup('stlinkv3', 'stm8s103f3');
    v.setFault({ name: 'timeout-after', arg: 120 });
    const t0 = c.clock.now();
    const err = await c.program(image({ address: 0x8000, data: pseudoRandomBytes(2048, 14) })).catch((e) => e);
    expect(err.code).toBe('usb-timeout');
    expect(err.remedy).toMatch(/replug/i);
    // A handful of 3 s transfer timeouts at most, never an endless wait.
    expect(c.clock.now() - t0).toBeLessThan(20_000);
    await c.close();
  });

  it('power lost during a block program: target-power-lost naming the block', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3');
    v.target.poke(0x8000, pseudoRandomBytes(1024, 15));
    v.setFault({ name: 'power-loss-in-program', arg: 3 });
    const err = await c.program(image({ address: 0x8000, data: pseudoRandomBytes(1024, 16) })).catch((e) => e);
    expect(err.code).toBe('target-power-lost');
    expect(err.message).toContain('0x8080');
    await c.close();
  });
});

describe('polling discipline', () => {
  it('one EOP poll per block, sent when t_prog should be over; only READSTATUS repeats while BUSY', async () => {
    const { v, c } = await setup('stlinkv3', 'stm8s103f3');
    v.target.poke(0x8000, pseudoRandomBytes(1024, 17));
    const polls0 = c.session.flash.stats.eopPolls;
    const n0 = v.trace().length;
    await c.program(image({ address: 0x8000, data: pseudoRandomBytes(1024, 18) }));
    expect(c.session.flash.stats.eopPolls - polls0).toBe(16);
    const outs = v.trace().slice(n0).filter((e) => e.dir === 'out');
    // The k-th read of IAPSR (alone, or CR2..IAPSR 0x505B–0x505F) collects the k-th block's
    // EOP: it comes at least t_prog (6 ms) after that block's data.
    const dataAt = outs.filter((e) => e.length === 56).map((e) => e.t);
    const iapsrAt = outs
      .filter((e) => e.length === 16 && e.data[0] === 0xf4 && e.data[1] === 0x0b && e.data[6] === 0x50)
      .filter((e) => (e.data[7] === 0x5f && e.data[3] === 1) || (e.data[7] === 0x5b && e.data[3] === 5))
      .map((e) => e.t);
    expect(dataAt).toHaveLength(16);
    expect(iapsrAt.length).toBeGreaterThanOrEqual(16);
    const eopReads = iapsrAt.slice(-16);
    for (let k = 0; k < 16; k++) expect(eopReads[k] - dataAt[k]).toBeGreaterThanOrEqual(6);
    // BUSY answers are followed by READSTATUS again, never by another command.
    const all = v.trace();
    for (let i = 0; i < all.length; i++) {
      const e = all[i];
      if (e.dir === 'in' && e.length === 4 && e.data[0] === 0x01) {
        const next = all.slice(i + 1).find((x) => x.dir === 'out');
        expect(next?.data.slice(0, 2)).toEqual([0xf4, 0x09]);
      }
    }
    await c.close();
  });
});

describe('wrong family', () => {
  it('an STM8L chosen for an STM8S board: flash-locked pointing at the part', async () => {
    const { createVirtualProbe } = await import('../../../src/main/sim/index');
    const { connectTarget } = await import('../../../src/main/jobs/index');
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    const c = await connectTarget({ transport: v.transport, part: 'stm8l152c6' });
    const before = v.target.peek(0x8000, 256);
    const err = await c.program(image({ address: 0x8000, data: pseudoRandomBytes(256, 19) })).catch((e) => e);
    expect(err.code).toBe('flash-locked');
    expect(err.remedy).toMatch(/part is right/);
    expect(v.target.peek(0x8000, 256)).toEqual(before);
    await c.close();
  });
});
