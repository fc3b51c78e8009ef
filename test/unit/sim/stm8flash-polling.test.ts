/**
 * READSTATUS while busy changes: a client that polls like stm8flash's `swim_cmd_internal`
 * (4 identical non-OK answers 10 ms apart = failure) reads and writes a whole 8 KB flash
 * on every probe variant with SWIM, at both line speeds and under timing variation.
 */
import { describe, expect, it } from 'vitest';
import type { TimingVariation } from '../../../src/main/sim/index';
import { RawHost, pattern } from './raw-host';
import { Stm8flashLikeClient, STM8FLASH_READ_CHUNK } from './stm8flash-like-client';

const FLASH = 0x8000;
const SIZE = 8192;
const BLOCK = 64; // stm8s103f3

async function client(probe: 'stlinkv2' | 'stlinkv21' | 'stlinkv3', timing?: TimingVariation): Promise<Stm8flashLikeClient> {
  const h = await RawHost.open({ probe, part: 'stm8s103f3', ...(timing ? { timing } : {}) });
  return new Stm8flashLikeClient(h);
}

describe('READSTATUS progress: an stm8flash-like client moves a whole 8 KB flash', () => {
  for (const probe of ['stlinkv2', 'stlinkv21', 'stlinkv3'] as const) {
    for (const highSpeed of [false, true]) {
      it(`${probe}, ${highSpeed ? 'high' : 'low'} speed: reads 8 KB in 6 KB chunks, writes 8 KB block by block`, async () => {
        const c = await client(probe);
        const image = pattern(SIZE, 41);
        c.h.probe.target.poke(FLASH, image);
        await c.connect({ highSpeed });
        expect(Array.from(await c.readRange(FLASH, SIZE))).toEqual(Array.from(image));
        const next = pattern(SIZE, 42);
        await c.writeFlashRange(FLASH, next, BLOCK);
        expect(Array.from(c.h.probe.target.peek(FLASH, SIZE))).toEqual(Array.from(next));
        expect(Array.from(await c.readRange(FLASH, SIZE))).toEqual(Array.from(next));
        expect(c.h.probe.violations()).toEqual([]);
      });
    }
  }

  it('bytes 1–3 count the bytes moved while a 6 KB read is BUSY, and never repeat between polls', async () => {
    const c = await client('stlinkv2');
    await c.connect({ highSpeed: false });
    c.statusLog.length = 0;
    await c.readMem(FLASH, STM8FLASH_READ_CHUNK);
    const busy = c.statusLog.filter((s) => s[0] === 0x01);
    // 6144 bytes at low speed take ≈ 190 ms on the wire: many polls 10 ms apart.
    expect(busy.length).toBeGreaterThan(10);
    const counts = busy.map((s) => s[1] | (s[2] << 8) | (s[3] << 16));
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]);
    expect(counts[counts.length - 1]).toBeLessThan(STM8FLASH_READ_CHUNK);
    const done = c.statusLog[c.statusLog.length - 1];
    expect(done[0]).toBe(0x00);
  });

  for (const timing of [{ mode: 'slow' }, { mode: 'jitter', seed: 3 }] as TimingVariation[]) {
    it(`under --timing ${timing.mode}: the same 8 KB read and write on stlinkv2 at low speed`, async () => {
      const c = await client('stlinkv2', timing);
      await c.connect({ highSpeed: false });
      const next = pattern(SIZE, 43);
      await c.writeFlashRange(FLASH, next, BLOCK);
      expect(Array.from(await c.readRange(FLASH, SIZE))).toEqual(Array.from(next));
      expect(c.h.probe.violations()).toEqual([]);
    });
  }
});
