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
});
