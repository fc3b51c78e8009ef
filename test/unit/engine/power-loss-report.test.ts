/**
 * A power loss names the block whose program cycle it cut short, whichever cycle that was:
 * the first one too (0x8000, not the next block). The engine sees each block's EOP before
 * anything reaches the next block, so exactly one block is named. The chip in the virtual
 * probe tells which block really holds undefined bytes.
 */
import { describe, expect, it } from 'vitest';
import { pseudoRandomBytes } from '#shared/pseudo-random';
import { image, setup } from './helpers';

const BLOCK = 64;

describe('power lost during a program cycle (fault power-loss-in-program=N)', () => {
  for (const cycle of [1, 2, 3, 16]) {
    it(`cycle ${cycle}: the report names the block the chip really lost, first or alone`, async () => {
      const { v, c } = await setup('stlinkv2', 'stm8s103f3');
      const old = pseudoRandomBytes(16 * BLOCK, 20 + cycle);
      const data = pseudoRandomBytes(16 * BLOCK, 40 + cycle);
      v.target.poke(0x8000, old);
      v.setFault({ name: 'power-loss-in-program', arg: cycle });
      const err = await c.program(image({ address: 0x8000, data })).catch((e) => e);
      const chip = v.target.peek(0x8000, 16 * BLOCK);
      await c.close();

      const same = (a: Uint8Array, at: number): boolean => chip.subarray(at, at + BLOCK).every((b, i) => b === a[at + i]);
      const torn = [];
      for (let at = 0; at < 16 * BLOCK; at += BLOCK) if (!same(old, at) && !same(data, at)) torn.push(0x8000 + at);
      // The fault cuts the N-th cycle: the N-th block written (all blocks differ, none skipped).
      expect(torn).toEqual([0x8000 + (cycle - 1) * BLOCK]);

      expect(err.code).toBe('target-power-lost');
      const blocks = err.details.blocks as number[];
      expect(blocks).toEqual(torn);
      expect(err.details.address).toBe(torn[0]);
      const named = [...String(err.message).matchAll(/0x[0-9a-f]{4}/gi)].map((m) => Number(m[0]));
      expect(named).toEqual(torn);
      expect(err.message).toMatch(/that block's content is undefined/);
      if (cycle === 1) expect(blocks[0]).toBe(0x8000);
    });
  }
});
