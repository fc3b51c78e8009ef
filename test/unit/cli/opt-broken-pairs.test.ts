/**
 * `opt set` on half-written option bytes (the CLI in process, a virtual probe): an
 * interrupted write names the pair it broke and what the chip does at the next reset; a
 * read-modify-write of the broken byte is refused unless the whole byte is given or
 * --from-factory is asked for.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { forgetVirtualProbes, virtualProbeFor } from '../../../src/main/probes/index';
import { cli } from './helpers';

beforeEach(() => forgetVirtualProbes());

const OPT2 = 0x4803;
const pairOn = (spec: string) => [...virtualProbeFor(spec).target.peek(OPT2, 2)];

describe('opt set and a broken OPT2/NOPT2 pair', () => {
  it('an interrupted "opt set" says which pair it broke and what the next reset does; then only a whole byte or --from-factory repairs it', async () => {
    // The power goes while NOPT2 programs (program cycle 2 of the write).
    const spec = 'stlinkv2:stm8s103f3:power-loss-in-program=2';
    const cut = await cli('--virtual', spec, 'opt', 'set', 'OPT2=0x18');
    expect(cut.code).not.toBe(0);
    const said = cut.err.join('\n');
    expect(said).toContain('OPT2/NOPT2 (0x4803/0x4804) 0x18/undefined');
    expect(said).toMatch(/next reset/);
    expect(pairOn(spec)[0]).toBe(0x18);
    expect(pairOn(spec)[1]).not.toBe(0xe7);

    virtualProbeFor(spec).clearFault('power-loss-in-program'); // the supply is back
    const shown = await cli('--virtual', spec, 'opt');
    expect(shown.out.join('\n')).toMatch(/OPT2 .*COMPLEMENT MISMATCH/);
    expect(shown.err.join('\n')).toMatch(/OPT2 does not match its complement\. At the next reset/);

    const before = pairOn(spec);
    for (const field of ['AFR0=1', 'LSI_EN=1']) {
      const refused = await cli('--json', '--virtual', spec, 'opt', 'set', field);
      expect(refused.code, field).toBe(1);
      const e = (refused.json() as { error: { code: string; message: string; remedy: string } }).error;
      expect(e.code).toBe('option-pair-broken');
      expect(e.message).toMatch(/OPT2\/NOPT2 at 0x4803\/0x4804/);
      expect(e.remedy).toContain('--from-factory');
      expect(e.remedy).toContain('opt set OPT2=');
      expect(pairOn(spec), field).toEqual(before);
    }

    const fixed = await cli('--virtual', spec, 'opt', 'set', 'AFR0=1', '--from-factory');
    expect(fixed.code, fixed.err.join('\n')).toBe(0);
    expect(pairOn(spec)).toEqual([0x01, 0xfe]);
  });

  it('takes the whole byte, and a field after it in the same command', async () => {
    const spec = 'stlinkv2:stm8s103f3';
    virtualProbeFor(spec).target.poke(OPT2, Uint8Array.of(0x19, 0xff));
    const r = await cli('--virtual', spec, 'opt', 'set', 'OPT2=0x00', 'AFR1=1');
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(pairOn(spec)).toEqual([0x02, 0xfd]);
  });
});
