import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { forgetVirtualProbes, virtualProbeFor } from '../../../src/main/probes/index';
import { MemoryImage, writeIntelHex } from '#shared/image/index';
import { cli, scratch } from './helpers';

/**
 * stm8flash-compatible mode on virtual probes, in process. The virtual chip of a spec lives
 * for the process (src/main/probes/virtual.ts), so a test can look at it afterwards through
 * the simulator's backdoor (peek) — the chip, not our own output, is the witness.
 */
const tmp = scratch();
afterAll(() => tmp.cleanup());
beforeEach(() => forgetVirtualProbes());

function firmware(bytes: number, seed: number): Uint8Array {
  const d = new Uint8Array(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    d[i] = (x >>> 16) & 0xff;
  }
  return d;
}

function hexFile(name: string, address: number, data: Uint8Array): string {
  const f = tmp.path(name);
  writeFileSync(f, writeIntelHex(MemoryImage.fromBytes(name, address, data)));
  return f;
}

describe('stm8flash -w as PlatformIO calls it', () => {
  it('writes, verifies and prints the lines scripts grep for', async () => {
    const spec = 'stlinkv3:stm8s103f3';
    const fw = firmware(1000, 7);
    const f = hexFile('firmware.hex', 0x8000, fw);
    const r = await cli('--virtual', spec, 'stm8flash', '-c', 'stlinkv3', '-p', 'stm8s103?3', '-s', 'flash', '-w', f);
    expect(r.err.join('\n')).toContain('Determine FLASH area');
    expect(r.code).toBe(0);
    expect(r.err).toContain(`Due to its file extension (or lack thereof), "${f}" is considered as INTEL HEX format!`);
    expect(r.err).toContain('1000 bytes at 0x8000... OK');
    expect(r.err).toContain('Bytes written: 1000');
    expect(r.err).toContain('Bytes verified: 1000');
    expect(r.err.some((l) => l.startsWith('Found '))).toBe(false); // -c matched what is attached
    expect([...virtualProbeFor(spec).target.peek(0x8000, 1000)]).toEqual([...fw]);
  });

  it('uses a V3 when -c stlinkv2 was asked, and says so', async () => {
    const spec = 'stlinkv3:stm8s103f3';
    const f = hexFile('v2hint.hex', 0x8000, firmware(64, 3));
    const r = await cli('--virtual', spec, 'stm8flash', '-c', 'stlinkv2', '-p', 'stm8s103f3', '-w', f);
    expect(r.code).toBe(0);
    expect(r.err).toContain('Found STLINK-V3S (0x374F), you asked for stlinkv2 - using the detected probe.');
    expect(r.err).toContain('Bytes written: 64');
  });

  it('-v verifies against the chip and exits 1 on a difference', async () => {
    const spec = 'stlinkv2:stm8s105c6';
    const fw = firmware(300, 11);
    const f = hexFile('v.hex', 0x8000, fw);
    expect((await cli('--virtual', spec, 'stm8flash', '-c', 'stlinkv2', '-p', 'stm8s105?6', '-w', f)).code).toBe(0);
    const ok = await cli('--virtual', spec, 'stm8flash', '-c', 'stlinkv2', '-p', 'stm8s105?6', '-v', f);
    expect(ok.code).toBe(0);
    expect(ok.err).toContain('Verifying 300 bytes at 0x8000... OK');
    expect(ok.err).toContain('Bytes verified: 300');
    virtualProbeFor(spec).target.poke(0x8010, [fw[0x10] ^ 0xff]);
    const bad = await cli('--virtual', spec, 'stm8flash', '-c', 'stlinkv2', '-p', 'stm8s105?6', '-v', f);
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/0x8010: file [0-9A-F]{2}, chip [0-9A-F]{2}/);
  });

  it('-r reads an area into a binary file', async () => {
    const spec = 'stlinkv21:stm8s103f3';
    const eeprom = firmware(640, 5);
    virtualProbeFor(spec).target.poke(0x4000, eeprom);
    const out = tmp.path('eeprom.bin');
    const r = await cli('--virtual', spec, 'stm8flash', '-c', 'stlinkv21', '-p', 'stm8s103f3', '-s', 'eeprom', '-r', out);
    expect(r.code).toBe(0);
    expect(r.err).toContain('Determine EEPROM area');
    expect(r.err).toContain('Reading 640 bytes at 0x4000... OK');
    expect(r.err).toContain('Bytes received: 640');
    expect([...readFileSync(out)]).toEqual([...eeprom]);
  });

  it('-s with an address and -b reads just that span', async () => {
    const spec = 'stlinkv3:stm8s103f3';
    const fw = firmware(32, 9);
    virtualProbeFor(spec).target.poke(0x8100, fw);
    const out = tmp.path('span.bin');
    const r = await cli('--virtual', spec, 'stm8flash', '-p', 'stm8s103f3', '-s', '0x8100', '-b', '32', '-r', out);
    expect(r.code).toBe(0);
    expect(r.err).toContain('Determine FLASH area');
    expect([...readFileSync(out)]).toEqual([...fw]);
  });

  it('a HEX file with records outside the area is refused before anything is written', async () => {
    const spec = 'stlinkv3:stm8s103f3';
    const f = tmp.path('combined.hex');
    const img = MemoryImage.fromBytes('c', 0x8000, firmware(16, 1)).merge(MemoryImage.fromBytes('c', 0x4000, firmware(4, 2)));
    writeFileSync(f, writeIntelHex(img));
    const r = await cli('--virtual', spec, 'stm8flash', '-p', 'stm8s103f3', '-s', 'flash', '-w', f);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/outside the FLASH area/);
    expect([...virtualProbeFor(spec).target.peek(0x8000, 16)].every((b) => b === 0)).toBe(true);
  });

  it('-s opt -w fills complements of an STVP-style file; wrong complements and ROP on are refused', async () => {
    const spec = 'stlinkv2:stm8s103f3';
    const chip = virtualProbeFor(spec).target;
    const primaries = hexFile('opt.hex', 0x4803, Uint8Array.of(0x80)); // OPT2 only, as STVP saves it
    const ok = await cli('--virtual', spec, 'stm8flash', '-c', 'stlinkv2', '-p', 'stm8s103f3', '-s', 'opt', '-w', primaries);
    expect(ok.code, ok.err.join('\n')).toBe(0);
    expect(ok.err).toContain('Determine OPT area');
    expect([...chip.peek(0x4803, 2)]).toEqual([0x80, 0x7f]);

    const zeros = hexFile('optzero.hex', 0x4805, Uint8Array.of(0x08, 0x00)); // the stm8flash #109 trap
    const bad = await cli('--virtual', spec, 'stm8flash', '-p', 'stm8s103f3', '-s', 'opt', '-w', zeros);
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/complement/);
    expect(bad.err.some((l) => l.startsWith('Using '))).toBe(false); // refused before connecting
    expect([...chip.peek(0x4805, 2)]).toEqual([0x00, 0xff]);

    const rop = hexFile('rop.hex', 0x4800, Uint8Array.of(0xaa));
    const prot = await cli('--virtual', spec, 'stm8flash', '-p', 'stm8s103f3', '-s', 'opt', '-w', rop);
    expect(prot.code).toBe(2);
    expect(prot.err.join('\n')).toMatch(/--allow-protect/);
    expect(chip.isRopActive()).toBe(false);
    expect(chip.peek(0x4800, 1)[0]).toBe(0);
  });

  it('-R resets, -u unlocks a protected chip', async () => {
    const spec = 'stlinkv2:stm8s103f3:rop';
    const reset = await cli('--virtual', spec, 'stm8flash', '-c', 'stlinkv2', '-p', 'stm8s103f3', '-R');
    expect(reset.code).toBe(0);
    expect(reset.err).toContain('Resetting board...');
    expect(virtualProbeFor(spec).target.isRopActive()).toBe(true);
    const u = await cli('--virtual', spec, 'stm8flash', '-c', 'stlinkv2', '-p', 'stm8s103f3', '-u');
    expect(u.code).toBe(0);
    expect(u.err).toContain('Unlocked device. Option bytes reset to default state.');
    expect(virtualProbeFor(spec).target.isRopActive()).toBe(false);
  });

  it('usage problems exit 2 and never 255; no probe exits 3', async () => {
    const noPart = await cli('stm8flash', '-c', 'stlinkv3', '-w', 'x.hex');
    expect(noPart.code).toBe(2);
    expect(noPart.err.join('\n')).toMatch(/no part/);
    const badPart = await cli('--virtual', 'stlinkv3:stm8s103f3', 'stm8flash', '-p', 'stm8q999', '-w', 'x.hex');
    expect(badPart.code).toBe(2);
    expect(badPart.err.join('\n')).toMatch(/stm8q999/);
    const noAction = await cli('--virtual', 'stlinkv3:stm8s103f3', 'stm8flash', '-p', 'stm8s103f3');
    expect(noAction.code).toBe(2);
    const esp = await cli('stm8flash', '-c', 'espstlink', '-p', 'stm8s103f3', '-w', 'x.hex');
    expect(esp.code).toBe(2);
    const f = hexFile('np.hex', 0x8000, firmware(8, 1));
    const noSwim = await cli('--virtual', 'stlinkv3minie:stm8s103f3', 'stm8flash', '-c', 'stlinkv3', '-p', 'stm8s103f3', '-w', f);
    expect(noSwim.code).toBe(3);
    expect(noSwim.err.join('\n')).toMatch(/SWIM/);
  });

  it('-l lists stm8flash part patterns, -V a version, -h the options', async () => {
    const l = await cli('stm8flash', '-l');
    expect(l.code).toBe(0);
    const names = l.out.join(' ').split(/\s+/);
    expect(names).toContain('stm8s103?3');
    expect(names).toContain('stm8l152?6');
    const v = await cli('stm8flash', '-V');
    expect(v.out[0]).toMatch(/^\d{8}-\d/);
    const h = await cli('stm8flash', '-h');
    expect(h.code).toBe(0);
    expect(h.out.join('\n')).toContain('-c programmer');
  });
});
