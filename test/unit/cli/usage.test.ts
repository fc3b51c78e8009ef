import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, scratch } from './helpers';

/**
 * Everything that must be refused before a probe is touched: these run with a virtual
 * probe named, but the error comes from the arguments or the file, so exit codes and
 * messages are the CLI's own.
 */
const tmp = scratch();
afterAll(() => tmp.cleanup());
const V = ['--virtual', 'stlinkv3:stm8s103f3'];

describe('usage errors exit 2 with a JSON error document', () => {
  it('unknown command', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('unknown command "frobnicate"');
  });

  it('unknown part names the closest ones', async () => {
    const r = await cli('--json', '--part', 'stm8s10x3', 'read', tmp.path('x.hex'));
    expect(r.code).toBe(2);
    const doc = r.json() as { error: { code: string; message: string; remedy: string } };
    expect(doc.error.code).toBe('unknown-part');
    expect(doc.error.message).toMatch(/stm8s103/);
    expect(doc.error.remedy).toBeTruthy();
    expect(Object.keys(doc)).toEqual(['error']);
  });

  it('a missing part says how to name one', async () => {
    const r = await cli('--json', 'erase');
    expect(r.code).toBe(2);
    expect((r.json() as { error: { code: string } }).error.code).toBe('part-required');
  });

  it('an address outside the part lists its memory map', async () => {
    const r = await cli('--json', ...V, 'read', tmp.path('x.bin'), '--region', '0x20000:16');
    expect(r.code).toBe(2);
    const e = (r.json() as { error: { code: string; message: string; remedy: string } }).error;
    expect(e.code).toBe('bad-address');
    expect(e.message).toContain('0x20000');
    expect(e.remedy).toMatch(/flash 0x8000-0x9FFF/);
  });

  it('a range running past the end of its region', async () => {
    const r = await cli('--json', ...V, 'read', tmp.path('x.bin'), '--region', '0x9FF0:0x20');
    expect(r.code).toBe(2);
    expect((r.json() as { error: { code: string } }).error.code).toBe('bad-address');
  });

  it('an unknown option of a subcommand', async () => {
    const r = await cli(...V, 'write', 'fw.hex', '--verfy');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('--verfy');
  });

  it('unlock without --yes', async () => {
    const r = await cli('--json', ...V, 'unlock');
    expect(r.code).toBe(2);
    expect((r.json() as { error: { code: string } }).error.code).toBe('confirm-required');
  });

  it('an option value that would turn read-out protection on', async () => {
    const r = await cli('--json', ...V, 'opt', 'factory');
    // factory values never protect, so this one is not refused for ROP; a ROP=0xAA is
    const p = await cli('--json', ...V, 'opt', 'set', 'ROP=0xAA');
    expect(p.code).toBe(2);
    expect((p.json() as { error: { code: string; message: string } }).error.message).toMatch(/read-out protection ON/);
    expect(r.code).not.toBe(2);
  });
});

describe('bad files exit 1 before anything is connected', () => {
  it('a missing file', async () => {
    const r = await cli('--json', ...V, 'write', tmp.path('nope.hex'));
    expect(r.code).toBe(1);
    expect((r.json() as { error: { code: string } }).error.code).toBe('file-not-found');
  });

  it('a corrupt Intel HEX file names the line', async () => {
    const f = tmp.path('bad.hex');
    writeFileSync(f, ':10800000000102030405060708090A0B0C0D0E0FFF\n:00000001FF\n');
    const r = await cli('--json', ...V, 'write', f);
    expect(r.code).toBe(1);
    const e = (r.json() as { error: { code: string; message: string } }).error;
    expect(e.code).toBe('bad-file');
    expect(e.message).toContain('bad.hex:1');
  });

  it('a file with data outside the part', async () => {
    const f = tmp.path('big.bin');
    writeFileSync(f, new Uint8Array(16 * 1024)); // 16 KB from 0x8000 into an 8 KB part
    const r = await cli('--json', ...V, 'write', f);
    expect(r.code).toBe(1);
    const e = (r.json() as { error: { code: string; message: string } }).error;
    expect(e.code).toBe('outside-memory');
    expect(e.message).toContain('0xA000');
  });

  it('a file with option-byte records is sent to "opt write"', async () => {
    const f = tmp.path('opt.hex');
    // one byte 0x00 at 0x4800 (ROP), Intel HEX with an extended linear address of 0
    writeFileSync(f, ':0148000000B7\n:00000001FF\n');
    const r = await cli('--json', ...V, 'write', f);
    expect(r.code).toBe(1);
    const e = (r.json() as { error: { code: string; remedy: string } }).error;
    expect(e.code).toBe('image-has-options');
    expect(e.remedy).toContain('opt write');
  });
});

describe('parts (no probe needed)', () => {
  it('lists the catalogue as JSON with the documented fields', async () => {
    const r = await cli('--json', 'parts', 'stm8s103');
    expect(r.code).toBe(0);
    const doc = r.json() as { parts: Record<string, unknown>[] };
    expect(doc.parts.length).toBeGreaterThan(0);
    const p = doc.parts.find((x) => x.name === 'stm8s103?3') as Record<string, unknown>;
    expect(Object.keys(p).sort()).toEqual(
      ['aliases', 'blockSize', 'eeprom', 'family', 'flash', 'name', 'option', 'pattern', 'ram', 'series'].sort(),
    );
    expect(p.flash).toEqual({ start: 0x8000, size: 8192 });
    expect(p.blockSize).toBe(64);
  });

  it('prints a table for people and exits 1 when nothing matches', async () => {
    const r = await cli('parts', 'stm8l152');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^PART\s+PATTERN\s+FLASH/);
    expect(r.out.some((l) => l.includes('stm8l152'))).toBe(true);
    const none = await cli('parts', 'zzz');
    expect(none.code).toBe(1);
  });
});
