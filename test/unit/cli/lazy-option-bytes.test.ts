/**
 * Option bytes are read only by the commands that use them (issue 14 item 6): `info` shows
 * the protection state, so it reads the option area; `reset`, `erase`, `blank` do not. Seen
 * on the virtual probe's USB trace: the SWIM READMEM commands (0xF4 0x0B, length, address)
 * that name an address in the option area.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { findPart } from '#shared/catalogue/index';
import { forgetVirtualProbes, virtualProbeFor } from '../../../src/main/probes/virtual';
import { cli } from './helpers';

const SPEC = 'stlinkv3:stm8s103f3';
const option = findPart('stm8s103f3').option;

/** READMEM commands this run's probe was sent for addresses in the option area. */
function optionAreaReads(): number {
  return virtualProbeFor(SPEC)
    .trace()
    .filter((e) => e.dir === 'out' && e.data[0] === 0xf4 && e.data[1] === 0x0b)
    .map((e) => ((e.data[4] << 24) | (e.data[5] << 16) | (e.data[6] << 8) | e.data[7]) >>> 0)
    .filter((address) => address >= option.start && address <= option.end).length;
}

describe('option bytes are read lazily', () => {
  beforeEach(() => forgetVirtualProbes());

  it('info reads them: it shows the protection state', async () => {
    const r = await cli('--json', '--virtual', SPEC, 'info');
    expect(r.code).toBe(0);
    expect((r.json() as { target: { readProtected: boolean | null } }).target.readProtected).toBe(false);
    expect(optionAreaReads()).toBeGreaterThan(0);
  });

  it.each([['reset'], ['erase'], ['blank']])('%s does not', async (command) => {
    const r = await cli('--json', '--virtual', SPEC, command);
    expect(r.code).toBe(0);
    expect(optionAreaReads()).toBe(0);
  });
});
