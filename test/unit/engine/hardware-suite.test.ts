/**
 * The hardware suite's steps (test/hardware/suite.ts) on the virtual probe, so that the
 * suite someone runs on a real board is known to work, to restore what it wrote, and to
 * report a broken trace rule as a failure.
 */
import { describe, expect, it } from 'vitest';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { connectTarget } from '../../../src/main/jobs/index';
import { TracingTransport } from '../../../src/main/diagnostics/trace';
import { runSuite, traceRuleResults } from '../../hardware/suite';
import { pseudoRandomBytes } from '#shared/pseudo-random';

describe('hardware suite on a virtual probe', () => {
  it('passes every step, leaves flash, EEPROM and option bytes as they were', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    const firmware = pseudoRandomBytes(8192, 99);
    v.target.poke(0x8000, firmware);
    const eeprom = v.target.peek(0x4000, 64);
    const options = v.target.peek(0x4800, 11);
    const t = new TracingTransport(v.transport, 1_000_000);
    const c = await connectTarget({ transport: t, part: 'stm8s103f3' });
    const steps = await runSuite(c, { allowOptionWrites: true });
    await c.close();
    const rules = traceRuleResults(t, c);
    expect(steps.map((s) => [s.name, s.ok, s.ok ? '' : s.detail])).toEqual(steps.map((s) => [s.name, true, '']));
    expect(steps.map((s) => s.name)).toContain('option bytes write (and undo)');
    expect(rules.every((r) => r.ok)).toBe(true);
    expect(v.target.peek(0x8000, 8192)).toEqual(firmware);
    expect(v.target.peek(0x4000, 64)).toEqual(eeprom);
    expect(v.target.peek(0x4800, 11)).toEqual(options);
  });

  it('leaves the option bytes alone unless allowed', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8l152c6' });
    const c = await connectTarget({ transport: v.transport, part: 'stm8l152c6' });
    const steps = await runSuite(c, { allowOptionWrites: false });
    await c.close();
    expect(steps.every((s) => s.ok)).toBe(true);
    expect(steps.some((s) => s.name.startsWith('option bytes write'))).toBe(false);
  });
});
