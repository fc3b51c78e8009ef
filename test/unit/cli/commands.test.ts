import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { forgetVirtualProbes, virtualProbeFor } from '../../../src/main/probes/index';
import { findPart } from '#shared/catalogue/index';
import { MemoryImage, parseIntelHex, writeIntelHex } from '#shared/image/index';
import { cli, cliWith, scratch } from './helpers';

/**
 * Every subcommand on virtual probes, in process, through runCli with captured output.
 * The chip behind the virtual probe is the witness: after a write the test peeks at its
 * memory through the simulator's backdoor, after a read it compares the file with it.
 * JSON documents are checked key by key against docs/cli.md.
 */
const tmp = scratch();
afterAll(() => tmp.cleanup());
beforeEach(() => forgetVirtualProbes());

function bytes(n: number, seed: number): Uint8Array {
  const d = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    d[i] = x >>> 24;
  }
  return d;
}

function keys(o: unknown): string[] {
  return Object.keys(o as object).sort();
}

/** A field each part family has, safe to flip (not dangerous). */
const SAFE_FIELD: Record<string, string> = {
  stm8s103f3: 'LSI_EN',
  stm8s105c6: 'LSI_EN',
  stm8s208rb: 'LSI_EN',
  stm8l152c6: 'WWDG_HALT',
  stm8l101f3: 'IWDG_HALT',
};

const MATRIX: [string, string][] = [
  ['stlinkv2', 'stm8s103f3'],
  ['stlinkv21', 'stm8s103f3'],
  ['stlinkv3', 'stm8s103f3'],
  ['stlinkv3', 'stm8s105c6'],
  ['stlinkv2', 'stm8s208rb'],
  ['stlinkv21', 'stm8l152c6'],
  ['stlinkv3', 'stm8l101f3'],
];

describe.each(MATRIX)('on %s with %s', (variant, partName) => {
  const spec = `${variant}:${partName}`;
  const part = findPart(partName);
  const g = ['--json', '--virtual', spec];

  it('write, verify, read back, erase, blank', async () => {
    const fw = bytes(Math.min(3000, part.flash.size), partName.length);
    const hex = tmp.path(`${spec.replace(':', '_')}.hex`);
    writeFileSync(hex, writeIntelHex(MemoryImage.fromBytes('fw', part.flash.start + 0x40, fw)));

    const w = await cli(...g, 'write', hex);
    expect(w.code, w.out.join('\n')).toBe(0);
    const wd = w.json() as { write: Record<string, unknown> & { regions: Record<string, unknown>[] } };
    expect(keys(wd.write)).toEqual(['bytes', 'durationMs', 'file', 'format', 'regions', 'verified']);
    expect(wd.write).toMatchObject({ file: hex, format: 'ihex', bytes: fw.length, verified: true });
    expect(wd.write.regions).toHaveLength(1);
    expect(keys(wd.write.regions[0])).toEqual(['blocksSkipped', 'blocksWritten', 'region', 'size', 'start']);
    expect(wd.write.regions[0]).toMatchObject({ region: 'flash', start: part.flash.start + 0x40, size: fw.length });
    const chip = virtualProbeFor(spec).target;
    expect([...chip.peek(part.flash.start + 0x40, fw.length)]).toEqual([...fw]);

    // unchanged image: every block skipped
    const again = await cli(...g, 'write', hex);
    expect(again.code).toBe(0);
    expect((again.json() as { write: { regions: { blocksWritten: number }[] } }).write.regions[0].blocksWritten).toBe(0);

    const v = await cli(...g, 'verify', hex);
    expect(v.code).toBe(0);
    expect(v.json()).toEqual({ verify: { file: hex, ok: true, bytes: fw.length, mismatchCount: 0, mismatches: [] } });

    const out = tmp.path(`${spec.replace(':', '_')}-read.hex`);
    const r = await cli(...g, 'read', out, '--region', `${part.flash.start + 0x40}:${fw.length}`);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ read: { region: 'flash', start: part.flash.start + 0x40, size: fw.length, file: out, format: 'ihex' } });
    const back = parseIntelHex('back', readFileSync(out, 'utf8'));
    expect([...back.toBytes(part.flash.start + 0x40, part.flash.start + 0x40 + fw.length - 1)]).toEqual([...fw]);

    const notBlank = await cli(...g, 'blank');
    expect(notBlank.code).toBe(1);
    const nb = notBlank.json() as { blank: { blank: boolean; regions: { firstNonBlank: number }[] } };
    expect(nb.blank.blank).toBe(false);
    expect(nb.blank.regions[0].firstNonBlank).toBeGreaterThanOrEqual(part.flash.start + 0x40);

    const e = await cli(...g, 'erase');
    expect(e.code).toBe(0);
    expect(e.json()).toEqual({ erase: { regions: [{ region: 'flash', start: part.flash.start, size: part.flash.size }] } });
    expect(chip.peek(part.flash.start, part.flash.size).every((b) => b === 0)).toBe(true);
    const b = await cli(...g, 'blank');
    expect(b.code).toBe(0);
    expect(b.json()).toEqual({
      blank: { blank: true, regions: [{ region: 'flash', start: part.flash.start, size: part.flash.size, blank: true, firstNonBlank: null }] },
    });
  });

  it('verify reports the first differing addresses and exits 1', async () => {
    const fw = bytes(256, 3);
    const bin = tmp.path(`${spec.replace(':', '_')}.bin`);
    writeFileSync(bin, fw);
    expect((await cli(...g, 'write', bin)).code).toBe(0);
    virtualProbeFor(spec).target.poke(part.flash.start + 5, [fw[5] ^ 0x5a]);
    const v = await cli(...g, 'verify', bin);
    expect(v.code).toBe(1);
    expect(v.json()).toEqual({
      verify: { file: bin, ok: false, bytes: 256, mismatchCount: 1, mismatches: [{ address: part.flash.start + 5, expected: fw[5], actual: fw[5] ^ 0x5a }] },
    });
  });

  it('EEPROM (or the data area) is written and read through its own region', async () => {
    const data = bytes(64, 9);
    const start = part.eeprom ? part.eeprom.start : part.flash.start + part.flash.size - 64;
    const hex = tmp.path(`${spec.replace(':', '_')}-ee.hex`);
    writeFileSync(hex, writeIntelHex(MemoryImage.fromBytes('ee', start, data)));
    const w = await cli(...g, 'write', hex);
    expect(w.code, w.out.join('\n')).toBe(0);
    expect((w.json() as { write: { regions: { region: string }[] } }).write.regions[0].region).toBe(part.eeprom ? 'eeprom' : 'flash');
    expect([...virtualProbeFor(spec).target.peek(start, 64)]).toEqual([...data]);
    const out = tmp.path(`${spec.replace(':', '_')}-ee.bin`);
    const r = await cli(...g, 'read', out, '--region', part.eeprom ? 'eeprom' : `${start}:64`, ...(part.eeprom ? ['--length', '64'] : []));
    expect(r.code).toBe(0);
    expect([...readFileSync(out)]).toEqual([...data]);
  });

  it('opt shows decoded bytes; opt set changes one field and keeps complements right', async () => {
    const show = await cli(...g, 'opt');
    expect(show.code).toBe(0);
    const doc = show.json() as { options: { part: string; readProtected: boolean; bytes: Record<string, unknown>[]; written: unknown[] } };
    expect(keys(doc.options)).toEqual(['bytes', 'part', 'readProtected', 'written']);
    expect(doc.options.readProtected).toBe(false);
    expect(doc.options.written).toEqual([]);
    expect(keys(doc.options.bytes[0])).toEqual(['address', 'complement', 'complementOk', 'fields', 'name', 'value']);
    expect(doc.options.bytes.every((b) => b.complementOk === true)).toBe(true);

    const field = SAFE_FIELD[partName];
    const set = await cli(...g, 'opt', 'set', `${field}=1`);
    expect(set.code, set.out.join('\n')).toBe(0);
    const after = set.json() as { options: { bytes: { name: string; address: number; value: number; complement: number | null; fields: { name: string; value: number }[] }[]; written: { address: number; value: number }[] } };
    const byte = after.options.bytes.find((b) => b.fields.some((f) => f.name === field));
    expect(byte?.fields.find((f) => f.name === field)?.value).toBe(1);
    expect(after.options.written).toEqual([{ address: byte?.address, value: byte?.value }]);
    const owner = part.optionBytes.find((o) => o.fields.some((f) => f.name === field));
    if (owner?.complementAddress != null) {
      expect(virtualProbeFor(spec).target.peek(owner.complementAddress, 1)[0]).toBe(~(byte?.value ?? 0) & 0xff);
    }
  });

  it('info and reset', async () => {
    const i = await cli(...g, 'info');
    expect(i.code).toBe(0);
    const d = i.json() as { probe: Record<string, unknown>; target: Record<string, unknown> };
    expect(keys(d)).toEqual(['probe', 'target']);
    expect(keys(d.probe)).toEqual(['firmware', 'kind', 'name', 'portPath', 'problem', 'productId', 'serial', 'swim', 'targetVoltage', 'variant', 'vendorId']);
    expect(d.probe).toMatchObject({ kind: 'virtual', swim: true, variant: variant === 'stlinkv21' ? 'stlinkv21' : variant });
    expect(keys(d.target)).toEqual(['family', 'part', 'readProtected', 'regions', 'swimSpeed', 'underReset']);
    expect(d.target).toMatchObject({ part: part.name, readProtected: false, swimSpeed: 'high' });
    const r = await cli(...g, 'reset');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ reset: { running: true } });
    expect(virtualProbeFor(spec).target.isHalted()).toBe(false);
    const h = await cli(...g, 'reset', '--halt');
    expect(h.json()).toEqual({ reset: { running: false } });
    expect(virtualProbeFor(spec).target.isHalted()).toBe(true);
  });
});

describe('unlock', () => {
  it.each([['stlinkv2:stm8s103f3'], ['stlinkv3:stm8l152c6']])('removes read-out protection on %s and reports what was erased', async (base) => {
    const spec = `${base}:rop`;
    expect(virtualProbeFor(spec).target.isRopActive()).toBe(true);
    const info = await cli('--json', '--virtual', spec, 'info');
    expect((info.json() as { target: { readProtected: boolean } }).target.readProtected).toBe(true);
    const read = await cli('--json', '--virtual', spec, 'read', tmp.path('rop.bin'));
    expect(read.code).toBe(1);
    expect((read.json() as { error: { code: string } }).error.code).toBe('read-protected');
    const u = await cli('--json', '--virtual', spec, 'unlock', '--yes');
    expect(u.code, u.out.join('\n')).toBe(0);
    const doc = u.json() as { unlock: { wasProtected: boolean; erased: string[]; blank: boolean } };
    expect(doc.unlock.wasProtected).toBe(true);
    expect(doc.unlock.erased).toContain('flash');
    expect(doc.unlock.blank).toBe(true);
    expect(virtualProbeFor(spec).target.isRopActive()).toBe(false);
  });
});

describe('list', () => {
  it('shows the virtual probe with firmware and SWIM support', async () => {
    const r = await cli('--json', '--virtual', 'stlinkv2:stm8s103f3', 'list');
    expect(r.code).toBe(0);
    const d = r.json() as { probes: Record<string, unknown>[] };
    expect(d.probes).toHaveLength(1);
    expect(keys(d.probes[0])).toEqual(['firmware', 'kind', 'name', 'portPath', 'problem', 'productId', 'serial', 'swim', 'variant', 'vendorId']);
    expect(d.probes[0]).toMatchObject({ variant: 'stlinkv2', firmware: 'V2J37S7', swim: true, productId: 0x3748, problem: null });
  });

  it('names a probe without SWIM and what to do', async () => {
    const r = await cli('--json', '--virtual', 'stlinkv3minie:stm8s103f3', 'list');
    const p = (r.json() as { probes: { swim: boolean; problem: { code: string; remedy: string } }[] }).probes[0];
    expect(p.swim).toBe(false);
    expect(p.problem.code).toBe('probe-no-swim');
    expect(p.problem.remedy).toBeTruthy();
  });

  it('exits 3 when there is no probe (this machine has no USB)', async () => {
    const r = await cli('--json', 'list');
    expect(r.code).toBe(3);
    expect(r.json()).toEqual({ probes: [] });
  });
});

describe('RAM', () => {
  it('write puts RAM records into RAM (no blocks), read gets them back', async () => {
    const spec = 'stlinkv3:stm8s103f3';
    const data = bytes(100, 4);
    const f = tmp.path('ram.bin');
    writeFileSync(f, data);
    const w = await cli('--json', '--virtual', spec, 'write', f, '--address', '0x100', '--halt');
    expect(w.code, w.out.join('\n')).toBe(0);
    expect((w.json() as { write: { regions: unknown[] } }).write.regions).toEqual([
      { region: 'ram', start: 0x100, size: 100, blocksWritten: null, blocksSkipped: null },
    ]);
    expect([...virtualProbeFor(spec).target.peek(0x100, 100)]).toEqual([...data]);
    const out = tmp.path('ram-back.bin');
    expect((await cli('--virtual', spec, 'read', out, '--region', '0x100:100')).code).toBe(0);
    expect([...readFileSync(out)]).toEqual([...data]);
  });
});

describe('opt guards', () => {
  it('a dangerous field needs --allow-dangerous; the chip is untouched until then', async () => {
    const spec = 'stlinkv3:stm8s103f3';
    const g = ['--json', '--virtual', spec];
    const refused = await cli(...g, 'opt', 'set', 'UBC=1');
    expect(refused.code).toBe(2);
    const e = (refused.json() as { error: { code: string; remedy: string } }).error;
    expect(e.code).toBe('confirm-required');
    expect(e.remedy).toContain('--allow-dangerous');
    expect([...virtualProbeFor(spec).target.peek(0x4801, 2)]).toEqual([0x00, 0xff]);
    const done = await cli(...g, 'opt', 'set', 'UBC=1', '--allow-dangerous');
    expect(done.code).toBe(0);
    expect([...virtualProbeFor(spec).target.peek(0x4801, 2)]).toEqual([0x01, 0xfe]);
  });

  it('corrupt option bytes are shown as such and "opt factory" repairs them', async () => {
    const g = ['--json', '--virtual', 'stlinkv2:stm8s103f3:bad-complement'];
    const before = (await cli(...g, 'opt')).json() as { options: { bytes: { name: string; complementOk: boolean }[] } };
    expect(before.options.bytes.filter((b) => !b.complementOk).length).toBe(1);
    const fix = await cli(...g, 'opt', 'factory');
    expect(fix.code, fix.out.join('\n')).toBe(0);
    const after = fix.json() as { options: { bytes: { complementOk: boolean }[] } };
    expect(after.options.bytes.every((b) => b.complementOk)).toBe(true);
  });

  it('opt write takes an STVP-style file of primaries and writes their complements', async () => {
    const spec = 'stlinkv2:stm8s105c6';
    const f = tmp.path('stvp-opt.hex');
    writeFileSync(f, writeIntelHex(MemoryImage.fromBytes('o', 0x4803, Uint8Array.of(0x01)).merge(MemoryImage.fromBytes('o', 0x4805, Uint8Array.of(0x08)))));
    const r = await cli('--json', '--virtual', spec, 'opt', 'write', f);
    expect(r.code, r.out.join('\n')).toBe(0);
    expect((r.json() as { options: { written: unknown[] } }).options.written).toEqual([
      { address: 0x4803, value: 0x01 },
      { address: 0x4805, value: 0x08 },
    ]);
    expect([...virtualProbeFor(spec).target.peek(0x4803, 4)]).toEqual([0x01, 0xfe, 0x08, 0xf7]);
  });
});

describe('connect under reset', () => {
  it('--connect-under-reset reaches a chip whose firmware disables SWIM, and says so', async () => {
    const r = await cli('--json', '--connect-under-reset', '--virtual', 'stlinkv2:stm8s103f3:swim-disabled', 'info');
    expect(r.code).toBe(0);
    expect((r.json() as { target: { underReset: boolean } }).target.underReset).toBe(true);
  });
});

describe('no probe or no target exits 3', () => {
  it('a target without power', async () => {
    const r = await cli('--json', '--virtual', 'stlinkv2:stm8s103f3:no-power', 'info');
    expect(r.code).toBe(3);
    expect((r.json() as { error: { code: string; remedy: string } }).error.code).toBe('target-not-powered');
  });

  it('a probe without SWIM', async () => {
    const r = await cli('--json', '--virtual', 'stlinkv3minie:stm8s103f3', 'info');
    expect(r.code).toBe(3);
    expect((r.json() as { error: { code: string } }).error.code).toBe('probe-no-swim');
  });
});

describe('faults during a write', () => {
  it('unplug mid-write: a clear error, exit 3', async () => {
    const f = tmp.path('unplug.bin');
    writeFileSync(f, bytes(4096, 5));
    const r = await cli('--json', '--virtual', 'stlinkv3:stm8s103f3:unplug-after=60', 'write', f);
    expect(r.code).toBe(3);
    const e = (r.json() as { error: { code: string; message: string; remedy: string } }).error;
    expect(e.code).toBe('probe-unplugged');
    expect(e.remedy).toBeTruthy();
  });

  it('cancel mid-write: "cancelled", exit 1, flash locked, every block old or new', async () => {
    const spec = 'stlinkv3:stm8s103f3';
    const old = bytes(8192, 1);
    const fw = bytes(8192, 2);
    const chip = virtualProbeFor(spec).target;
    chip.poke(0x8000, old);
    const f = tmp.path('cancel.bin');
    writeFileSync(f, fw);
    const ac = new AbortController();
    const r = await cliWith(
      { signal: ac.signal, onProgress: (p) => p.phase === 'program' && p.done >= p.total * 0.3 && ac.abort() },
      '--json', '--virtual', spec, 'write', f,
    );
    expect(r.code).toBe(1);
    expect((r.json() as { error: { code: string } }).error.code).toBe('cancelled');
    expect(chip.flashState().pul).toBe(false);
    const now = chip.peek(0x8000, 8192);
    let fresh = 0;
    for (let b = 0; b < 128; b++) {
      const blk = [...now.subarray(b * 64, b * 64 + 64)].join();
      const isNew = blk === [...fw.subarray(b * 64, b * 64 + 64)].join();
      const isOld = blk === [...old.subarray(b * 64, b * 64 + 64)].join();
      expect(isNew || isOld, `block ${b}`).toBe(true);
      if (isNew) fresh++;
    }
    expect(fresh).toBeGreaterThan(0);
    expect(fresh).toBeLessThan(128);
  });

  it('UBC-protected pages: the error says read-out protection or UBC', async () => {
    const f = tmp.path('ubc.bin');
    writeFileSync(f, bytes(256, 6));
    const r = await cli('--json', '--virtual', 'stlinkv2:stm8s103f3:ubc=2', 'write', f);
    expect(r.code).toBe(1);
    const e = (r.json() as { error: { code: string; message: string } }).error;
    expect(e.code).toBe('write-protected');
    expect(e.message).toMatch(/UBC/);
  });
});
