/**
 * The ladder on the virtual probe: a healthy probe and target give all-good; each fault the
 * virtual probe can play gives its finding with the right remedy, and the ladder stops at
 * the right step; combined faults report the earliest cause first.
 */
import { describe, expect, it } from 'vitest';
import { STEP_DEFINITIONS } from '../../../src/main/diagnostics/steps';
import { runDiagnostics } from '../../../src/main/diagnostics/ladder';
import { createVirtualProbe } from '../../../src/main/sim/index';
import type { StepRecord } from '../../../src/main/diagnostics/types';
import { codes, diagnose, finding, lastRun } from './helpers';

/**
 * A V2-1 with the STM8 firmware reports no JTAG version, and OpenOCD (`stlink_usb_version`)
 * never asks such a probe for the target voltage: the engine does not either, and says so.
 */
function healthyCodes(spec: string): string[] {
  return spec.startsWith('stlinkv21:') ? ['voltage-not-measured', 'all-good'] : ['all-good'];
}

describe('healthy probe and target', () => {
  it('gives all-good with every step passed, on V2, V2-1 and V3', async () => {
    for (const spec of ['stlinkv2:stm8s103f3', 'stlinkv21:stm8s105c6', 'stlinkv3:stm8s208rb']) {
      const { r } = await diagnose(spec);
      expect(r.steps.map((s) => s.state), spec).toEqual(STEP_DEFINITIONS.map(() => 'passed'));
      expect(r.verdict.code, spec).toBe('all-good');
      expect(codes(r), spec).toEqual(healthyCodes(spec));
      expect(r.clock).toBe('virtual');
    }
  });

  it('reads the facts a report needs: firmware, voltage, speed, identity', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3');
    expect(r.firmware?.version).toBe('V3J10M3B5S1');
    expect(r.firmware?.swim).toBe(1);
    expect(r.targetVoltage).toBeCloseTo(3.3, 1);
    const speed = r.steps.find((s) => s.id === 'swim-speed');
    expect(speed?.facts.speed).toBe('high');
    expect(r.part.used).toBe('stm8s103f3');
    expect(r.part.identified).toMatch(/unique ID at 0x4865, 1 KB RAM, no boot ROM/);
    expect(r.traceTail.length).toBeGreaterThan(10);
  });

  it('works on STM8L parts (other flash controller, no complements)', async () => {
    for (const spec of ['stlinkv21:stm8l152c6', 'stlinkv3:stm8l101f3', 'stlinkv2:stm8l151f3']) {
      const { r } = await diagnose(spec);
      expect(codes(r), spec).toEqual(healthyCodes(spec));
      expect(r.steps.find((s) => s.id === 'chip-identity')?.facts.flashController, spec).toBe('stm8l');
    }
  });

  it('leaves the chip running its firmware and its memories as they were (T9)', async () => {
    const { v } = await diagnose('stlinkv3:stm8s103f3');
    expect(v.target.isHalted()).toBe(false);
    expect(v.target.isInReset()).toBe(false);
    expect(v.target.flashState().pul).toBe(false);
    expect(v.target.flashState().dul).toBe(false);
    expect(Array.from(v.target.peek(0x4800, 11))).toEqual([0, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff]);
    expect(Object.values(v.target.programCycles).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('reports each step live, in order, and knows the steps up front', async () => {
    const seen: StepRecord[] = [];
    await diagnose('stlinkv2:stm8s103f3', { onStep: (s) => seen.push(s) });
    const order = seen.filter((s) => s.state === 'running').map((s) => s.id);
    expect(order).toEqual(STEP_DEFINITIONS.map((d) => d.id));
    for (const id of order) {
      const states = seen.filter((s) => s.id === id).map((s) => s.state);
      expect(states, id).toEqual(['running', 'passed']);
    }
  });
});

describe('each fault of the virtual probe', () => {
  it('no-power: target-no-power, stops at the voltage step', async () => {
    const { r } = await diagnose('stlinkv2:stm8s103f3:no-power');
    expect(r.verdict.code).toBe('target-no-power');
    expect(lastRun(r)).toMatchObject({ id: 'target-voltage', state: 'failed' });
    expect(finding(r, 'target-no-power').remedies.join(' ')).toMatch(/VDD/);
    expect(r.targetVoltage).toBeLessThan(0.5);
  });

  it('no-swim-wire: swim-no-response after trying with and without NRST', async () => {
    const { r } = await diagnose('stlinkv2:stm8s103f3:no-swim-wire');
    expect(r.verdict.code).toBe('swim-no-response');
    expect(r.steps.find((s) => s.id === 'swim-entry')?.state).toBe('failed');
    expect(lastRun(r)).toMatchObject({ id: 'nrst', state: 'failed' });
    const f = finding(r, 'swim-no-response');
    expect(f.remedies[0]).toMatch(/SWIM wire/);
    expect(f.remedies.join(' ')).toMatch(/GND/);
    expect(f.evidence).toMatch(/0x04/);
    // The trace shows the entry sequence and its failed status.
    expect(r.traceTail.some((l) => l.decoded === 'SWIM ENTER_SEQ')).toBe(true);
    expect(r.traceTail.some((l) => l.op === 'in' && l.hex.startsWith('04 00 00 00'))).toBe(true);
  });

  it('no-swim-wire on a V3 names the MB1440 adapter (P2)', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:no-swim-wire');
    expect(finding(r, 'swim-no-response').remedies.join(' ')).toMatch(/MB1440/);
    const { r: r2 } = await diagnose('stlinkv2:stm8s103f3:no-swim-wire');
    expect(finding(r2, 'swim-no-response').remedies.join(' ')).not.toMatch(/MB1440/);
  });

  it('swim-disabled: entry works only under reset, offers connect under reset, and the ladder goes on', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:swim-disabled');
    const f = finding(r, 'swim-disabled-by-firmware');
    expect(f.action).toBe('enable-connect-under-reset');
    expect(f.remedies[0]).toMatch(/connect under reset/i);
    expect(r.steps.find((s) => s.id === 'swim-entry')?.state).toBe('failed');
    expect(r.steps.find((s) => s.id === 'nrst')?.state).toBe('passed');
    expect(r.steps.find((s) => s.id === 'flash-controller')?.state).toBe('passed');
    expect(r.verdict.code).toBe('swim-disabled-by-firmware');
  });

  it('swim-disabled with no-nrst: no answer at all; the remedy asks for NRST and connect under reset', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:swim-disabled,no-nrst');
    expect(r.verdict.code).toBe('swim-no-response');
    expect(lastRun(r)).toMatchObject({ id: 'nrst', state: 'failed' });
    expect(finding(r, 'swim-no-response').remedies.join(' ')).toMatch(/Connect NRST too.*held low/);
  });

  it('no-nrst: SWIM works, but the NRST pulse does not reset the chip', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:no-nrst');
    const f = finding(r, 'nrst-not-connected');
    expect(f.severity).toBe('warning');
    expect(f.remedies[0]).toMatch(/NRST/);
    expect(r.steps.find((s) => s.id === 'nrst')?.facts.ckdivrAfterPulse).toBe('0x00');
    expect(r.steps.find((s) => s.id === 'flash-controller')?.state).toBe('passed');
  });

  it('rop: rop-active with the unlock wizard, after intact option bytes', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:rop');
    const f = finding(r, 'rop-active');
    expect(f.action).toBe('open-unlock-wizard');
    expect(f.explanation).toMatch(/0xAA/);
    expect(f.remedies[0]).toMatch(/erases/);
    expect(r.steps.find((s) => s.id === 'protection')?.state).toBe('failed');
    expect(r.steps.find((s) => s.id === 'option-bytes')?.state).toBe('passed');
    expect(r.verdict.code).toBe('rop-active');
  });

  it('rop on an STM8L reads the L polarity', async () => {
    const { r } = await diagnose('stlinkv21:stm8l152c6:rop');
    expect(finding(r, 'rop-active').explanation).toMatch(/0xAA means unprotected/);
  });

  it('bad-complement: option-complement-broken names the pair', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:bad-complement');
    const f = finding(r, 'option-complement-broken');
    expect(f.evidence).toMatch(/OPT3/);
    expect(f.action).toBe('restore-factory-option-bytes');
    expect(r.steps.find((s) => s.id === 'option-bytes')?.state).toBe('failed');
  });

  it('ubc: ubc-active says which pages', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:ubc=3');
    const f = finding(r, 'ubc-active');
    expect(f.explanation).toMatch(/first 192 bytes of flash \(0x8000–0x80BF\)/);
    expect(f.severity).toBe('warning');
    const { r: r2 } = await diagnose('stlinkv3:stm8s105c6:ubc=1');
    expect(finding(r2, 'ubc-active').explanation).toMatch(/first 1024 bytes/);
  });

  it('busy: probe-busy names the usual suspects and stops at the open step', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:busy');
    expect(lastRun(r)).toMatchObject({ id: 'probe-open', state: 'failed' });
    expect(finding(r, 'probe-busy').remedies[0]).toMatch(/STVP.*STM32CubeProgrammer.*OpenOCD.*SWIM Studio/);
    expect(r.firmware).toBeNull();
  });

  it('stlinkv3minie: probe-no-swim with the version read from its replies', async () => {
    const { r } = await diagnose('stlinkv3minie:stm8s103f3');
    expect(lastRun(r)).toMatchObject({ id: 'firmware', state: 'failed' });
    expect(r.firmware?.swim).toBe(0);
    expect(r.firmware?.version).toBe('V3J10S0');
    const f = finding(r, 'probe-no-swim');
    expect(f.explanation).toMatch(/V3MINIE/);
    expect(f.remedies[0]).toMatch(/ST-LINK\/V2.*STLINK-V3SET/);
    // The trace names the generic commands that found it out.
    const decoded = r.traceTail.map((l) => l.decoded);
    expect(decoded).toContain('GET_VERSION');
    expect(decoded).toContain('GET_VERSION_EX');
  });

  it('clone-voltage: not measured is only information, and the ladder goes on to all-good', async () => {
    const { r } = await diagnose('stlinkv2:stm8s103f3:clone-voltage');
    expect(finding(r, 'voltage-not-measured').severity).toBe('info');
    expect(r.targetVoltage).toBeNull();
    expect(r.verdict.code).toBe('all-good');
    expect(r.steps.every((s) => s.state === 'passed')).toBe(true);
  });

  it('unplug-after: the probe disappearing mid-run is named, nothing hangs', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:unplug-after=30');
    expect(r.verdict.code).toBe('probe-unplugged');
    expect(r.steps.some((s) => s.state === 'failed')).toBe(true);
    expect(r.steps.filter((s) => s.state === 'running')).toEqual([]);
  });

  it('HSIT stuck after a ROP removal (stm8flash PR #146): low-speed-only', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3', faults: [{ name: 'rop' }] });
    v.target.poke(0x4800, [0x00]);
    v.target.reloadOptions(); // the option load mass-erases and leaves HSIT at 0 until the next reset
    expect(v.target.hsit()).toBe(false);
    const r = await runDiagnostics({ transport: v.transport, part: 'stm8s103f3' });
    const f = finding(r, 'low-speed-only');
    expect(f.explanation).toMatch(/HSIT/);
    expect(f.evidence).toMatch(/not seen after 11 read/);
    expect(r.steps.find((s) => s.id === 'swim-speed')?.facts.speed).toBe('low');
  });

  it('an 8-pin part without NRST: the NRST test is skipped and explained', async () => {
    const { r } = await diagnose('stlinkv3:stm8s001j3');
    expect(finding(r, 'part-without-nrst').severity).toBe('info');
    expect(r.steps.find((s) => s.id === 'nrst')?.evidence).toMatch(/no NRST pin/);
    expect(r.verdict.code).toBe('all-good');
  });

  it('an 8-pin part that does not answer: no "connect NRST" advice, power-cycle instead', async () => {
    const { r } = await diagnose('stlinkv3:stm8s001j3:no-swim-wire');
    const text = finding(r, 'swim-no-response').remedies.join(' ');
    expect(text).toMatch(/stm8s001j3 has no NRST pin.*power-cycle/);
    expect(text).not.toMatch(/Connect NRST too/);
    expect(codes(r)).toContain('part-without-nrst');
  });

  it('timeout-after=0: the first command times out, a USB reset brings the probe back', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:timeout-after=0');
    expect(finding(r, 'probe-recovered').evidence).toMatch(/USB reset/);
    expect(r.steps.find((s) => s.id === 'flash-controller')?.state).toBe('passed');
  });
});

describe('which chip it is', () => {
  it('selecting stm8s105c6 while the chip is an stm8s103f3 gives part-mismatch with the differences', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3', { part: 'stm8s105c6' });
    const f = finding(r, 'part-mismatch');
    expect(f.title).toMatch(/stm8s105c6/);
    expect(f.explanation).toMatch(/RAM is 1 KB, stm8s105c6 has 2 KB/);
    expect(f.explanation).toMatch(/no boot ROM/);
    expect(f.explanation).toMatch(/0x4865/);
    expect(f.remedies[0]).toMatch(/stm8s103\?3/);
    expect(f.action).toBe('choose-part');
    // The later checks used the identified part, so they still mean something.
    expect(r.part.used).toMatch(/^stm8s103/);
    expect(r.steps.find((s) => s.id === 'option-bytes')?.state).toBe('passed');
  });

  it('an STM8L part selected for an STM8S chip is a mismatch of the flash controller', async () => {
    const { r } = await diagnose('stlinkv2:stm8s105c6', { part: 'stm8l152c6' });
    expect(finding(r, 'part-mismatch').explanation).toMatch(/flash controller answers at the STM8S place/);
    expect(r.part.used).toMatch(/^stm8s105/);
  });

  it('without a selected part, says what the chip is', async () => {
    const { r } = await diagnose('stlinkv3:stm8s208rb', { part: null });
    const f = finding(r, 'part-identified');
    expect(f.explanation).toMatch(/stm8s208\?b/);
    expect(r.verdict.code).toBe('all-good');
  });
});

describe('combined faults report the earliest cause first', () => {
  it('no-power + rop: only the power, the ladder cannot see the chip', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:no-power,rop');
    expect(r.verdict.code).toBe('target-no-power');
    expect(codes(r)).not.toContain('rop-active');
  });

  it('busy + no-power: the probe first', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:busy,no-power');
    expect(codes(r)).toEqual(['probe-busy']);
  });

  it('bad-complement + rop + ubc: option bytes, then protection, in ladder order', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:bad-complement,rop,ubc');
    const c = codes(r);
    expect(c.indexOf('option-complement-broken')).toBeLessThan(c.indexOf('rop-active'));
    expect(c.indexOf('rop-active')).toBeLessThan(c.indexOf('ubc-active'));
    expect(r.verdict.code).toBe('option-complement-broken');
  });

  it('swim-disabled + rop: connect under reset first, then the protection', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3:swim-disabled,rop');
    const c = codes(r);
    expect(c[0]).toBe('swim-disabled-by-firmware');
    expect(c).toContain('rop-active');
    expect(r.verdict.code).toBe('rop-active');
  });
});

describe('stm8flash mode: -c names a probe that is not attached', () => {
  it('-c stlinkv2 with a V3 attached says which probe is there and to pass -c stlinkv3', async () => {
    const { r } = await diagnose('stlinkv3:stm8s103f3', { stm8flashProgrammer: 'stlinkv2' });
    const f = finding(r, 'stm8flash-wrong-programmer');
    expect(f.explanation).toMatch(/STLINK-V3S/);
    expect(f.remedies[0]).toMatch(/-c stlinkv3/);
    expect(f.remedies[0]).toMatch(/upload_protocol = stlinkv3/);
    // The rest of the ladder still runs on the probe that is there.
    expect(r.steps.find((s) => s.id === 'flash-controller')?.state).toBe('passed');
  });

  it('a matching -c gives no such finding', async () => {
    const { r } = await diagnose('stlinkv2:stm8s103f3', { stm8flashProgrammer: 'stlinkv2' });
    expect(codes(r)).toEqual(['all-good']);
  });
});

describe('bad input and cancellation', () => {
  it('an unknown part is refused before any USB traffic', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    await expect(runDiagnostics({ transport: v.transport, part: 'stm8s999x9' })).rejects.toMatchObject({ code: 'unknown-part' });
    expect(v.trace()).toEqual([]);
  });

  it('a malformed --virtual spec is a usage error', async () => {
    await expect(runDiagnostics({ virtual: 'nonsense' })).rejects.toMatchObject({ code: 'bad-virtual-spec' });
  });

  it('an aborted signal stops between steps and says so', async () => {
    const ac = new AbortController();
    const { r } = await diagnose('stlinkv3:stm8s103f3', {
      signal: ac.signal,
      onStep: (s) => {
        if (s.id === 'target-voltage' && s.state === 'passed') ac.abort();
      },
    });
    expect(r.cancelled).toBe(true);
    expect(codes(r)).toContain('diagnostics-cancelled');
    expect(r.steps.find((s) => s.id === 'target-voltage')?.state).toBe('passed');
    expect(r.steps.find((s) => s.id === 'swim-entry')?.state).toBe('skipped');
    expect(codes(r)).not.toContain('all-good');
  });
});
