import { describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/main/clock';
import { RawHost } from './raw-host';

describe('real-time clock', () => {
  it('really waits the modelled delays: a transfer lasts at least 0.5 ms, ENTER_SEQ at least 10 ms', async () => {
    const clock = new RealClock();
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', clock });
    await h.cmd([0xf3, 0x07]);
    await h.cmd([0xf4, 0x00]);
    let t0 = performance.now();
    for (let i = 0; i < 10; i++) await h.cmd([0xf5]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(10 * 0.5);
    for (let i = 0; i < 10; i++) await h.probe.transport.transferIn(0x81, 2);
    t0 = performance.now();
    await h.cmd([0xf4, 0x04]);
    // Lower bounds only: a slow host may legitimately see the command finished at once.
    while ((await h.status()) === 0x01) await clock.sleep(1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(10);
    const enterOut = h.probe.trace().find((e) => e.dir === 'out' && e.data[0] === 0xf4 && e.data[1] === 0x04)!;
    const okPoll = h.probe.trace().filter((e) => e.dir === 'out' && e.data[1] === 0x09).pop()!;
    expect(okPoll.t - enterOut.t).toBeGreaterThanOrEqual(10);
  });
});

describe('trace', () => {
  it('records the exchanges and marks a command lost because the previous one was busy', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3' });
    await h.cmd([0xf3, 0x07]);
    await h.cmd([0xf4, 0x00]);
    await h.cmd([0xf4, 0x04]);
    await h.cmd([0xf4, 0x07]);
    const tr = h.probe.trace();
    const last = tr[tr.length - 1];
    expect(last).toMatchObject({ dir: 'out', endpoint: 0x02, length: 16 });
    expect(last.data.slice(0, 2)).toEqual([0xf4, 0x07]);
    expect(last.note).toMatch(/lost: ENTER_SEQ still running/);
    expect(tr[0].dir).toBe('open');
    for (let i = 1; i < tr.length; i++) expect(tr[i].t).toBeGreaterThanOrEqual(tr[i - 1].t);
  });
});
