/**
 * Link faults the virtual probe has no switch for (a SWIM/GND swap answering 0x10, a flaky
 * wire): the real virtual probe runs underneath and only its replies are altered on the way
 * back, the way a real probe would report them.
 */
import { describe, expect, it } from 'vitest';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { runDiagnostics } from '../../../src/main/diagnostics/ladder';
import type { UsbTransport } from '../../../src/main/usb/transport';
import { codes, finding, lastRun } from './helpers';

function alterReplies(t: UsbTransport, alter: (reply: Uint8Array) => Uint8Array): UsbTransport {
  return { ...t, info: t.info, clock: t.clock, transferIn: async (ep, len, ms) => alter(await t.transferIn(ep, len, ms)) };
}

describe('faults seen only on real wires', () => {
  it('status 0x10 after the entry sequence: swim-line-fault, check for SWIM and GND swapped (W4)', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'no-swim-wire' }] });
    const t = alterReplies(v.transport, (r) => (r.length === 4 && r[0] === 0x04 ? Uint8Array.of(0x10, 0, 0, 0) : r));
    const r = await runDiagnostics({ transport: t, part: 'stm8s103f3' });
    const f = finding(r, 'swim-line-fault');
    expect(f.title).toMatch(/swapped/);
    expect(f.explanation).toMatch(/0x10/);
    expect(lastRun(r)).toMatchObject({ id: 'nrst', state: 'failed' });
  });

  it('a read that comes back different once: unstable-link with the usual causes (W5)', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    let sixteen = 0;
    const t = alterReplies(v.transport, (r) => (r.length === 16 && ++sixteen === 3 ? r.map((b, i) => (i === 2 ? b ^ 0x40 : b)) : r));
    const r = await runDiagnostics({ transport: t, part: 'stm8s103f3' });
    const f = finding(r, 'unstable-link');
    expect(f.evidence).toMatch(/read 3 differed/);
    expect(f.remedies.join(' ')).toMatch(/short.*wires/);
    expect(f.remedies.join(' ')).toMatch(/100 nF/);
    expect(codes(r)).not.toContain('all-good');
  });

  it('a broken reply mid-run ends the ladder there and still leaves the chip running', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    let eleven = 0;
    // The second 11-byte read is the option area (the first is the CPU registers, step 9).
    const t = alterReplies(v.transport, (r) => (r.length === 11 && ++eleven === 2 ? r.subarray(0, 5) : r));
    const r = await runDiagnostics({ transport: t, part: 'stm8s103f3' });
    expect(r.verdict.code).toBe('probe-not-answering');
    expect(lastRun(r)).toMatchObject({ id: 'option-bytes', state: 'failed' });
    expect(r.steps.find((s) => s.id === 'protection')?.state).toBe('skipped');
    expect(v.target.isHalted()).toBe(false);
  });

  it('a low target voltage warns and the ladder goes on (W1)', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' });
    // GET_TARGET_VOLTAGE: V = 2 · a1 · 1.2 / a0; a0 = 1600, a1 = 800 → 1.20 V.
    const t = alterReplies(v.transport, (r) => (r.length === 8 && r[0] === 0x40 && r[1] === 0x06 ? Uint8Array.of(0x40, 0x06, 0, 0, 0x20, 0x03, 0, 0) : r));
    const r = await runDiagnostics({ transport: t, part: 'stm8s103f3' });
    expect(r.targetVoltage).toBeCloseTo(1.2, 2);
    expect(finding(r, 'target-low-voltage').severity).toBe('warning');
    expect(r.steps.find((s) => s.id === 'flash-controller')?.state).toBe('passed');
  });
});
