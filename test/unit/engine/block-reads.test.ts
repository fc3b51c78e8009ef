/**
 * The session's block reads, which jobs use instead of the probe's READMEM: whole blocks,
 * as many as one READMEM holds in one command, and nothing sent for a request that is not
 * whole blocks.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '#shared/errors';
import { setup } from './helpers';

describe('Stm8Session block reads', () => {
  it('reads blocksPerRead blocks in one READMEM, the same bytes readMemory gives', async () => {
    const { c } = await setup('stlinkv3', 'stm8s208rb');
    const s = c.session;
    const bs = s.part.blockSize;
    expect(s.blocksPerRead).toBe(Math.floor(s.maxReadBytes / bs));
    const before = c.probe.stats.swimCommands;
    const blocks = await s.readBlocks(s.part.flash.start, s.blocksPerRead);
    expect(c.probe.stats.swimCommands - before).toBe(1);
    expect(blocks.length).toBe(s.blocksPerRead * bs);
    expect(blocks).toEqual(await s.readMemory(s.part.flash.start, blocks.length));
    await c.close();
  });

  it('splits a longer run at maxReadBytes', async () => {
    const { c } = await setup('stlinkv2', 'stm8s208rb');
    const s = c.session;
    const before = c.probe.stats.swimCommands;
    const blocks = await s.readBlocks(s.part.flash.start, s.blocksPerRead + 1);
    expect(c.probe.stats.swimCommands - before).toBe(2);
    expect(blocks.length).toBe((s.blocksPerRead + 1) * s.part.blockSize);
    await c.close();
  });

  it('refuses an address off a block boundary or a count that is not whole, before sending anything', async () => {
    const { c } = await setup('stlinkv3', 'stm8s103f3');
    const s = c.session;
    const before = c.probe.stats.transfers;
    for (const [address, count] of [
      [s.part.flash.start + 1, 1],
      [s.part.flash.start, 0],
      [s.part.flash.start, 1.5],
    ]) {
      const e = await s.readBlocks(address, count).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('internal');
    }
    expect(c.probe.stats.transfers).toBe(before);
    await c.close();
  });
});
