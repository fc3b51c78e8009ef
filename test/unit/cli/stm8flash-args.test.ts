import { describe, expect, it } from 'vitest';
import { parseStm8flashArgs } from '../../../src/main/cli/stm8flash/args';
import { stm8flashFormat } from '#shared/image/extensions';
import { AppError } from '#shared/errors';

function usageOf(argv: string[]): AppError {
  try {
    parseStm8flashArgs(argv);
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a usage error');
}

describe('stm8flash argument parsing', () => {
  it('reads the exact command line PlatformIO builds', () => {
    const a = parseStm8flashArgs(['-c', 'stlinkv3', '-p', 'stm8s103?3', '-s', 'flash', '-w', 'firmware.hex']);
    expect(a).toMatchObject({ action: 'write', programmer: 'stlinkv3', part: 'stm8s103?3', memtype: 'flash', file: 'firmware.hex', start: null });
  });

  it('takes attached values and bundled switches the way getopt does', () => {
    const a = parseStm8flashArgs(['-cstlinkv2', '-pstm8s105k4t6', '-seeprom', '-b64', '-rout.bin']);
    expect(a).toMatchObject({ action: 'read', programmer: 'stlinkv2', part: 'stm8s105k4t6', memtype: 'eeprom', bytes: 64, file: 'out.bin' });
    expect(parseStm8flashArgs(['-p', 'stm8s103f3', '-uR']).action).toBe('reset');
  });

  it('parses an explicit start address as hex, with or without 0x', () => {
    expect(parseStm8flashArgs(['-s', '0x8000', '-r', 'a.bin'])).toMatchObject({ memtype: 'address', start: 0x8000 });
    expect(parseStm8flashArgs(['-s', '4000', '-r', 'a.bin'])).toMatchObject({ memtype: 'address', start: 0x4000 });
  });

  it('rejects a region word it does not know instead of reading it as an address (stm8flash #102)', () => {
    const e = usageOf(['-s', 'flash2', '-w', 'a.hex']);
    expect(e.code).toBe('usage');
    expect(e.message).toContain('flash2');
  });

  it('names the valid programmers when -c is unknown', () => {
    const e = usageOf(['-c', 'jlink', '-p', 'stm8s103f3', '-w', 'a.hex']);
    expect(e.code).toBe('usage');
    expect(e.message).toContain('stlinkv21');
  });

  it('refuses stray arguments and unknown options', () => {
    expect(usageOf(['-p', 'stm8s103f3', '-w', 'a.hex', 'extra']).message).toContain('extra');
    expect(usageOf(['-x']).message).toContain('-x');
    expect(usageOf(['-w']).message).toContain('-w');
    expect(usageOf(['-b', 'ten']).message).toContain('ten');
  });

  it('lets -l, -L, -V and -h act at once as stm8flash does, whatever follows', () => {
    expect(parseStm8flashArgs(['-l', '-w', 'x.hex']).action).toBe('list-parts');
    expect(parseStm8flashArgs(['-L']).action).toBe('list-programmers');
    expect(parseStm8flashArgs(['-V', '-l']).action).toBe('version');
    expect(parseStm8flashArgs(['-?']).action).toBe('help');
  });

  it('-u selects the option area', () => {
    expect(parseStm8flashArgs(['-p', 'stm8s103f3', '-u'])).toMatchObject({ action: 'unlock', memtype: 'opt' });
  });
});

describe('file format by extension (stm8flash rules)', () => {
  it.each([
    ['firmware.hex', 'ihex'],
    ['main.ihx', 'ihex'],
    ['x.i86', 'ihex'],
    ['x.s19', 'srec'],
    ['x.s8', 'srec'],
    ['x.srec', 'srec'],
    ['x.bin', 'bin'],
    ['noext', 'bin'],
    ['UPPER.HEX', 'bin'],
  ])('%s → %s', (file, fmt) => {
    expect(stm8flashFormat(file)).toBe(fmt);
  });
});
