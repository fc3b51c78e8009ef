/**
 * The timing-variation mode (--timing nominal|slow|fast|jitter[=SEED]): every delay stays
 * within its range, t_prog within the datasheet's typical..max, and jitter is repeatable.
 */
import { describe, expect, it } from 'vitest';
import {
  formatTimingVariation,
  parseTimingVariation,
  parseVirtualSpec,
  programTimeRange,
  type TimingVariation,
} from '../../../src/main/sim/index';
import { findPart } from '#shared/catalogue/index';
import { parseServeArgs } from '../../../src/main/cli/commands/sim';
import { RawHost, pattern } from './raw-host';

describe('parsing --timing', () => {
  it('accepts the four modes and a jitter seed, and formats them back', () => {
    for (const t of ['nominal', 'slow', 'fast', 'jitter', 'jitter=42']) expect(formatTimingVariation(parseTimingVariation(t))).toBe(t);
    expect(parseTimingVariation(' Jitter=7 ')).toEqual({ mode: 'jitter', seed: 7 });
  });

  it('refuses unknown modes, seeds on other modes and malformed seeds with a clear error', () => {
    for (const bad of ['medium', 'slow=3', 'jitter=', 'jitter=-1', 'jitter=x']) {
      expect(() => parseTimingVariation(bad)).toThrowError(expect.objectContaining({ code: 'bad-timing' }));
    }
  });

  it('sim serve takes --timing MODE and --timing=MODE, and refuses a bad one', () => {
    const base = ['--socket', '/tmp/x.sock', '--probe', 'stlinkv2', '--part', 'stm8s103f3'];
    expect(parseServeArgs([...base, '--timing', 'jitter=3'], { json: false }).timing).toEqual({ mode: 'jitter', seed: 3 });
    expect(parseServeArgs([...base, '--timing=slow'], { json: false }).timing).toEqual({ mode: 'slow' });
    expect(parseServeArgs(base, { json: false }).timing).toBeUndefined();
    expect(() => parseServeArgs([...base, '--timing', 'sloow'], { json: false })).toThrowError(expect.objectContaining({ code: 'bad-timing' }));
  });

  it('a --virtual spec takes timing=MODE in its list, next to faults', () => {
    expect(parseVirtualSpec('stlinkv3:stm8s103f3:rop,timing=jitter=9')).toEqual({
      probe: 'stlinkv3',
      part: 'stm8s103f3',
      faults: [{ name: 'rop' }],
      timing: { mode: 'jitter', seed: 9 },
    });
    expect(parseVirtualSpec('stlinkv2:stm8s103f3:timing=slow')).toMatchObject({ faults: [], timing: { mode: 'slow' } });
    expect(parseVirtualSpec('stlinkv2:stm8s103f3')).not.toHaveProperty('timing');
    expect(() => parseVirtualSpec('stlinkv2:stm8s103f3:timing=never')).toThrowError(expect.objectContaining({ code: 'bad-timing' }));
  });
});

// STM8S and STM8L flash registers (RM0016, RM0031).
const REGS = {
  stm8s103f3: { cr2: 0x505b, ncr2: 0x505c as number | null, pukr: 0x5062, block: 64 },
  stm8l152c6: { cr2: 0x5051, ncr2: null, pukr: 0x5052, block: 128 },
} as const;

/** Block-program one block and return how long the chip's program cycle takes. */
async function measureBlockCycle(part: keyof typeof REGS, timing: TimingVariation): Promise<number> {
  const r = REGS[part];
  const h = await RawHost.open({ probe: 'stlinkv3', part, timing });
  await h.connect({ highSpeed: true });
  await h.write8(r.pukr, 0x56);
  await h.write8(r.pukr, 0xae);
  await h.write8(r.cr2, 0x01);
  if (r.ncr2 !== null) await h.write8(r.ncr2, 0xfe);
  await h.writeMemNoWait(0x8000, pattern(r.block, 5));
  const cycle = h.probe.target.flashState().cycle;
  expect(cycle?.kind).toBe('block');
  expect(await h.settle()).toBe(0);
  expect(h.probe.violations()).toEqual([]);
  return cycle!.end - cycle!.begin;
}

describe('t_prog within the datasheet range', () => {
  it('STM8S: nominal and fast at 6 ms typical, slow at the 6.6 ms maximum, jitter in between', async () => {
    expect(programTimeRange(findPart('stm8s103f3'), 'block').maxMs).toBeCloseTo(6.6, 9);
    expect(programTimeRange(findPart('stm8s103f3'), 'fast')).toMatchObject({ typMs: 3 });
    expect(await measureBlockCycle('stm8s103f3', { mode: 'nominal' })).toBeCloseTo(6, 9);
    expect(await measureBlockCycle('stm8s103f3', { mode: 'fast' })).toBeCloseTo(6, 9);
    expect(await measureBlockCycle('stm8s103f3', { mode: 'slow' })).toBeCloseTo(6.6, 9);
    const j = await measureBlockCycle('stm8s103f3', { mode: 'jitter', seed: 11 });
    expect(j).toBeGreaterThan(6);
    expect(j).toBeLessThan(6.6);
  });

  it('STM8L (typical values only): slow takes the chosen maximum, 1.2 × typical = 7.2 ms', async () => {
    expect(programTimeRange(findPart('stm8l152c6'), 'block').maxMs).toBeCloseTo(7.2, 9);
    expect(programTimeRange(findPart('stm8l152c6'), 'fast').maxMs).toBeCloseTo(3.6, 9);
    expect(await measureBlockCycle('stm8l152c6', { mode: 'slow' })).toBeCloseTo(7.2, 9);
  });
});

/** A fixed script of traffic: connect, 2 KB RAM write, 4 KB flash read. Returns the trace times. */
async function script(timing: TimingVariation, probe: 'stlinkv2' | 'stlinkv3' = 'stlinkv2'): Promise<{ total: number; times: number[] }> {
  const h = await RawHost.open({ probe, part: 'stm8s103f3', timing });
  const t0 = h.now;
  await h.connect({ highSpeed: true });
  expect(await h.writeMem(0x0000, pattern(1024, 8))).toBe(0);
  await h.readMem(0x8000, 4096);
  expect(h.probe.violations()).toEqual([]);
  return { total: h.now - t0, times: h.probe.trace().map((e) => e.t) };
}

describe('timing modes vary every delay', () => {
  it('the same traffic takes longest when slow and least when fast, on full- and high-speed probes', async () => {
    for (const probe of ['stlinkv2', 'stlinkv3'] as const) {
      const slow = (await script({ mode: 'slow' }, probe)).total;
      const nominal = (await script({ mode: 'nominal' }, probe)).total;
      const fast = (await script({ mode: 'fast' }, probe)).total;
      expect(slow).toBeGreaterThan(nominal);
      expect(nominal).toBeGreaterThan(fast);
    }
  });

  it('jitter is deterministic for a seed and differs between seeds', async () => {
    const a = await script({ mode: 'jitter', seed: 5 });
    const b = await script({ mode: 'jitter', seed: 5 });
    const c = await script({ mode: 'jitter', seed: 6 });
    expect(b.times).toEqual(a.times);
    expect(c.times).not.toEqual(a.times);
    const slow = (await script({ mode: 'slow' })).total;
    const fast = (await script({ mode: 'fast' })).total;
    expect(a.total).toBeGreaterThan(fast);
    expect(a.total).toBeLessThan(slow);
  });

  it('USB latency per transfer and per poll: a full-speed READSTATUS round trip costs ≥ 3 ms when slow', async () => {
    const roundTrip = async (timing: TimingVariation): Promise<number> => {
      const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8s103f3', timing });
      const t0 = h.now;
      await h.cmdIn([0xf4, 0x09], 4);
      return h.now - t0;
    };
    expect(await roundTrip({ mode: 'nominal' })).toBeCloseTo(0.5 + 16 * 0.0008 + 0.5 + 4 * 0.0008, 6);
    expect(await roundTrip({ mode: 'slow' })).toBeCloseTo(1.0 + 16 * 0.0008 + 1.0 + 1.0 + 4 * 0.0008, 6);
    expect(await roundTrip({ mode: 'fast' })).toBeLessThan(0.6);
  });
});
