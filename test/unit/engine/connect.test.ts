import { describe, expect, it } from 'vitest';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { connectTarget } from '../../../src/main/jobs/index';
import { setup } from './helpers';

describe('connect', () => {
  it('normal connect: NRST held during entry, HSIT seen, high speed, CPU stalled', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3');
    const r = c.connectReport;
    expect(r.resetHeld).toBe(true);
    expect(r.hsitSeen).toBe(true);
    expect(r.speed).toBe('high');
    expect(v.target.highSpeed()).toBe(true);
    expect(v.target.isHalted()).toBe(true);
    expect(r.voltage.volts).toBeCloseTo(3.3, 2);
    // SPEED (F4 03) never precedes the first SWIM_ENTER (F4 00).
    const outs = v.trace().filter((e) => e.dir === 'out' && e.length === 16);
    const firstEnter = outs.findIndex((e) => e.data[0] === 0xf4 && e.data[1] === 0x00);
    const firstSpeed = outs.findIndex((e) => e.data[0] === 0xf4 && e.data[1] === 0x03);
    expect(firstEnter).toBeGreaterThanOrEqual(0);
    expect(firstSpeed).toBeGreaterThan(firstEnter);
    await c.close();
  });

  it('closing leaves the firmware running (not stalled) unless asked not to', async () => {
    const a = await setup('stlinkv3', 'stm8s103f3');
    await a.c.close();
    expect(a.v.target.isHalted()).toBe(false);
    expect(a.v.target.isInReset()).toBe(false);
    const b = await setup('stlinkv3', 'stm8s103f3');
    await b.c.close({ resume: false });
    expect(b.v.target.isHalted()).toBe(true);
  });

  it('firmware that disables SWIM: entry under reset works; hot attach (no NRST) fails clearly', async () => {
    const ok = await setup('stlinkv3', 'stm8s103f3', [{ name: 'swim-disabled' }], { connectUnderReset: true });
    expect(ok.c.connectReport.underReset).toBe(true);
    expect(ok.v.target.isHalted()).toBe(true);
    const d = await ok.c.read({ start: 0x8000, length: 16 });
    expect(d.data.length).toBe(16);
    await ok.c.close({ resume: false });
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3', faults: [{ name: 'swim-disabled' }] });
    const err = await connectTarget({ transport: v.transport, part: 'stm8s103f3', noReset: true }).catch((e) => e);
    expect(err.code).toBe('target-no-response');
    expect(err.remedy).toMatch(/NRST held low|under reset/);
  });

  it('unpowered target: target-not-powered, with the measured voltage', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'no-power' }] });
    const err = await connectTarget({ transport: v.transport, part: 'stm8s103f3' }).catch((e) => e);
    expect(err.code).toBe('target-not-powered');
    expect(err.message).toMatch(/0\.0\d V/);
    // The probe was released: it can be opened again.
    v.clearFault('no-power');
    const c = await connectTarget({ transport: v.transport, part: 'stm8s103f3' });
    await c.close();
  });

  it('SWIM wire not connected: target-no-response naming the wires', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3', faults: [{ name: 'no-swim-wire' }] });
    const err = await connectTarget({ transport: v.transport, part: 'stm8s103f3' }).catch((e) => e);
    expect(err.code).toBe('target-no-response');
    expect(err.remedy).toMatch(/SWIM, GND/);
    expect(err.details.attempts).toBe(2);
  });

  it('falls back to low speed when HSIT never comes (ROP removal without NRST), and still works', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3', [{ name: 'rop' }, { name: 'no-nrst' }]);
    expect(c.connectReport.speed).toBe('high');
    const u = await c.unlock();
    expect(u.wasProtected).toBe(true);
    expect(c.connectReport.hsitSeen).toBe(false);
    expect(c.connectReport.speed).toBe('low');
    expect(c.connectReport.lowSpeedReason).toMatch(/HSIT/);
    expect(v.target.highSpeed()).toBe(false);
    const r = await c.read({ start: 0x8000, length: 64 });
    expect(r.data.every((b) => b === 0)).toBe(true);
    await c.close();
  });

  it('highSpeed: false stays at low speed', async () => {
    const { v, c } = await setup('stlinkv3', 'stm8l152c6', [], { highSpeed: false });
    expect(c.connectReport.speed).toBe('low');
    expect(v.target.highSpeed()).toBe(false);
    await c.close();
  });

  it('unknown part and missing part are clear errors before the probe is touched', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    const e1 = await connectTarget({ transport: v.transport, part: 'stm8s999zz' }).catch((e) => e);
    expect(e1.code).toBe('unknown-part');
    const e2 = await connectTarget({ transport: v.transport }).catch((e) => e);
    expect(e2.code).toBe('part-required');
    expect(v.trace().filter((e) => e.dir === 'out')).toHaveLength(0);
  });
});

describe('sticky status', () => {
  it('an error status left by a failed entry does not make the next connection look failed', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3', faults: [{ name: 'no-swim-wire' }] });
    const err = await connectTarget({ transport: v.transport, part: 'stm8s103f3' }).catch((e) => e);
    expect(err.code).toBe('target-no-response');
    v.clearFault('no-swim-wire');
    const c = await connectTarget({ transport: v.transport, part: 'stm8s103f3' });
    expect(c.connectReport.entryAttempts).toBe(1);
    expect(c.connectReport.speed).toBe('high');
    await c.close();
  });
});

describe('erase', () => {
  it('erases a whole region with block erases, reporting progress as "erase", skipping blank blocks', async () => {
    const { v, c } = await setup('stlinkv2', 'stm8s103f3');
    v.target.poke(0x8000, new Uint8Array(640).fill(0x33));
    const phases = new Set<string>();
    const r = await c.erase({ region: 'flash' }, { onProgress: (p) => phases.add(p.phase) });
    expect(r.blocksErased).toBe(10);
    expect(r.blocksSkipped).toBe(128 - 10);
    expect(phases.has('erase')).toBe(true);
    expect(phases.has('program')).toBe(false);
    expect(v.target.programCycles.erase).toBe(10);
    expect(v.target.peek(0x8000, 8192).every((b) => b === 0)).toBe(true);
    await c.close();
  });
});

describe('CPU control and identification reads', () => {
  it('halt, resume, reset-halt, CPU registers, chip signature', async () => {
    const { v, c } = await setup('stlinkv21', 'stm8s105c6');
    const s = c.session;
    expect(await s.readHalted()).toBe(true);
    await s.resume();
    expect(v.target.isHalted()).toBe(false);
    expect(await s.readHalted()).toBe(false);
    await s.halt();
    expect(v.target.isHalted()).toBe(true);
    await c.reset({ halt: true });
    expect(v.target.isHalted()).toBe(true);
    const regs = await s.readCpuRegisters();
    expect(regs.pc).toBe(0x8000);
    expect(regs.sp).toBe(0x07ff);
    const sig = await s.readChipSignature();
    expect(sig.uid).toEqual(v.target.uniqueId());
    expect(sig.optionHead[0]).toBe(0x00);
    expect(sig.optionHead[2]).toBe(0xff); // NOPT1 of a factory STM8S
    await c.close();
  });
});
