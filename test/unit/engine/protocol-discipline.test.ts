/**
 * Every job on every probe variant and under every timing variation of the virtual probe,
 * judged two independent ways: the simulator's own list of protocol violations (commands
 * it lost because they reached a busy probe, junk READBUFs, writes into a running program
 * cycle) must stay empty, and the engine's USB trace must pass the rule-based checker
 * (src/main/stlink/trace-rules.ts), whose rules come from OpenOCD and stm8flash. Only the
 * duration may differ between timing modes; every result must be the same.
 */
import { describe, expect, it } from 'vitest';
import { createVirtualProbe, type VirtualVariant, type TimingVariation, type VirtualProbe } from '../../../src/main/sim/index';
import { connectTarget, type TargetConnection } from '../../../src/main/jobs/index';
import { findPart } from '#shared/catalogue/index';
import { TracingTransport, traceBytes } from '../../../src/main/diagnostics/trace';
import { runDiagnostics } from '../../../src/main/diagnostics/ladder';
import { checkTrace, type TraceBreach } from '../../../src/main/stlink/trace-rules';
import { AppError } from '#shared/errors';

const VARIANTS: VirtualVariant[] = ['stlinkv2', 'stlinkv21', 'stlinkv3'];
const TIMINGS: TimingVariation[] = [{ mode: 'nominal' }, { mode: 'slow' }, { mode: 'fast' }, { mode: 'jitter', seed: 1 }, { mode: 'jitter', seed: 7 }, { mode: 'jitter', seed: 42 }];

interface Rig {
  v: VirtualProbe;
  t: TracingTransport;
  part: string;
}

function rig(probe: VirtualVariant, part: string, timing: TimingVariation, faults: { name: 'rop' }[] = []): Rig {
  const v = createVirtualProbe({ probe, part, faults, timing });
  return { v, t: new TracingTransport(v.transport, 1_000_000), part };
}

function breaches(r: Rig): TraceBreach[] {
  const lines = r.t.all().map((l) => ({ op: l.op, length: l.length, bytes: traceBytes(l) }));
  return checkTrace(lines, findPart(r.part));
}

/** Neither the simulator nor the trace checker saw anything a reference tool would not do. */
function expectClean(r: Rig, label: string): void {
  expect(r.v.violations(), `${label}: simulator violations`).toEqual([]);
  expect(breaches(r), `${label}: trace rules`).toEqual([]);
}

function pattern(n: number, seed: number): Uint8Array {
  const d = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    d[i] = (x >>> 16) & 0xff || 1;
  }
  return d;
}

async function connect(r: Rig): Promise<TargetConnection> {
  return connectTarget({ transport: r.t, part: r.part });
}

/** connect, program blank/used/unchanged, EEPROM, verify, read, erase, blank check, option set. */
async function everyJob(probe: VirtualVariant, timing: TimingVariation): Promise<void> {
  const label = `${probe} ${timing.mode}${timing.seed ?? ''}`;
  const r = rig(probe, 'stm8s103f3', timing);
  const c = await connect(r);
  const part = c.part;
  const FLASH = part.flash.start;
  const eeprom = part.regions.find((x) => x.kind === 'eeprom');
  const a = pattern(8192, 1);
  const b = pattern(8192, 2);

  const blank = await c.program({ segments: [{ address: FLASH, data: a }] });
  expect(blank.blocksFast, label).toBe(8192 / part.blockSize);
  const used = await c.program({ segments: [{ address: FLASH, data: b }] });
  expect(used.blocksStandard, label).toBe(8192 / part.blockSize);
  const same = await c.program({ segments: [{ address: FLASH, data: b }] });
  expect(same.blocksSkipped, label).toBe(8192 / part.blockSize);
  expect(r.v.target.peek(FLASH, 8192), label).toEqual(b);

  if (eeprom) {
    const e = pattern(128, 3);
    await c.program({ segments: [{ address: eeprom.start, data: e }] });
    expect(r.v.target.peek(eeprom.start, 128), label).toEqual(e);
  }
  const ver = await c.verify({ segments: [{ address: FLASH, data: b }] });
  expect(ver.ok, label).toBe(true);
  const rd = await c.read({ region: 'flash' });
  expect(rd.data.subarray(0, 8192), label).toEqual(b);

  await c.erase({ region: 'flash' });
  const bc = await c.blankCheck({ region: 'flash' });
  expect(bc.blank, label).toBe(true);

  const ob = await c.readOptionBytes();
  const candidate = part.optionBytes
    .filter((o) => o.address !== part.rop.address)
    .flatMap((o) => o.fields.filter((f) => f.kind === 'switch' && !f.dangerous).map((f) => ({ o, f })))[0];
  const cur = ((ob.decoded.find((d) => d.address === candidate.o.address)?.value ?? 0) >> candidate.f.shift) & 1;
  await c.writeOptionBytes({ changes: { [candidate.f.name]: cur ^ 1 } });
  expect((r.v.target.peek(candidate.o.address, 1)[0] >> candidate.f.shift) & 1, label).toBe(cur ^ 1);
  await c.close();
  expectClean(r, label);
}

async function unlock(probe: VirtualVariant, part: string, timing: TimingVariation): Promise<void> {
  const label = `${probe} ${part} ${timing.mode}${timing.seed ?? ''}`;
  const r = rig(probe, part, timing, [{ name: 'rop' }]);
  const c = await connect(r);
  const before = r.t.all().length;
  const u = await c.unlock();
  // One reset after the ROP-removal option load, never a second one that could cut the mass
  // erase short (stm8flash -u and OpenOCD `stm8_reset_rop` reset once).
  const resets = r.t.all().slice(before).filter((l) => l.op === 'out' && (l.decoded === 'SWIM GEN_RST' || l.decoded === 'SWIM ASSERT_RESET'));
  expect(resets.length, label).toBe(1);
  expect(u.wasProtected, label).toBe(true);
  expect(u.blank, label).toBe(true);
  await c.close();
  expectClean(r, label);
}

describe('zero protocol violations: every job on every variant', () => {
  for (const probe of VARIANTS) {
    it(`${probe}: connect, program blank/used/unchanged, EEPROM, verify, read, erase, blank, option set`, async () => {
      await everyJob(probe, { mode: 'nominal' });
    });

    it(`${probe}: unlock on STM8S (reset once) and STM8L (0xAA twice)`, async () => {
      await unlock(probe, 'stm8s103f3', { mode: 'nominal' });
      await unlock(probe, 'stm8l152c6', { mode: 'nominal' });
    });

    it(`${probe}: diagnose`, async () => {
      const r = rig(probe, 'stm8s103f3', { mode: 'nominal' });
      const rep = await runDiagnostics({ transport: r.t, part: 'stm8s103f3' });
      expect(rep.verdict.code).toBe('all-good');
      expectClean(r, `${probe} diagnose`);
    });
  }

  it('stlinkv3minie is refused cleanly (no SWIM), before any SWIM command', async () => {
    const r = rig('stlinkv3minie', 'stm8s103f3', { mode: 'nominal' });
    const err = await connect(r).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('probe-no-swim');
    expect(r.t.all().some((l) => l.op === 'out' && l.hex.startsWith('F4'))).toBe(false);
    expectClean(r, 'stlinkv3minie');
  });
});

describe('every job passes under every timing variation; only the duration changes', () => {
  for (const timing of TIMINGS.filter((t) => t.mode !== 'nominal')) {
    for (const probe of VARIANTS) {
      it(`${probe} under ${timing.mode}${timing.seed !== undefined ? `=${timing.seed}` : ''}`, async () => {
        await everyJob(probe, timing);
        await unlock(probe, 'stm8s103f3', timing);
        await unlock(probe, 'stm8l152c6', timing);
      });
    }
  }
});

describe('hot attach to firmware running from the LSI (debug-module access at 38/128 kHz)', () => {
  for (const [part, mode] of [
    ['stm8s103f3', 'slow'],
    ['stm8l152c6', 'nominal'],
  ] as const) {
    it(`${part} under ${mode}: 6 KB reads and programming finish, only slower, with zero violations`, async () => {
      const v = createVirtualProbe({ probe: 'stlinkv2', part, faults: [{ name: 'lsi-clock' }], timing: { mode } });
      const t = new TracingTransport(v.transport, 1_000_000);
      const c = await connectTarget({ transport: t, part, noReset: true });
      const start = c.part.flash.start;
      const rd = await c.read({ start, length: 6144 });
      expect(rd.data).toEqual(v.target.peek(start, 6144));
      const img = pattern(1024, 9);
      await c.program({ segments: [{ address: start, data: img }] });
      expect(v.target.peek(start, 1024)).toEqual(img);
      await c.close();
      expectClean({ v, t, part }, `${part} lsi-clock ${mode}`);
    });
  }
});
