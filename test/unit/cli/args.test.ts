import { describe, expect, it } from 'vitest';
import { parseArgs, parseNumber } from '../../../src/main/cli/args';

describe('subcommand argument parser', () => {
  const specs = [
    { name: 'region', short: 'r', value: true },
    { name: 'no-verify' },
    { name: 'set', value: true, repeat: true },
  ];

  it('collects long, short, inline values, switches and positionals', () => {
    const p = parseArgs(['fw.hex', '--region=eeprom', '--no-verify', '-r', 'flash', '--set', 'A=1', '--set', 'B=2'], specs);
    expect(p.positionals).toEqual(['fw.hex']);
    expect(p.options.get('region')).toBe('flash');
    expect(p.options.get('no-verify')).toBe('true');
    expect(p.lists.get('set')).toEqual(['A=1', 'B=2']);
  });

  it('treats everything after -- as positionals', () => {
    expect(parseArgs(['--', '--region'], specs).positionals).toEqual(['--region']);
  });

  it('reports unknown options, missing values, values on switches and extra positionals as usage errors', () => {
    expect(() => parseArgs(['--regoin', 'x'], specs)).toThrow(/unknown option "--regoin"/);
    expect(() => parseArgs(['--region'], specs)).toThrow(/needs a value/);
    expect(() => parseArgs(['--region', '--no-verify'], specs)).toThrow(/option --region needs a value/);
    expect(parseArgs(['--region=--odd'], specs).options.get('region')).toBe('--odd');
    expect(() => parseArgs(['--no-verify=1'], specs)).toThrow(/takes no value/);
    expect(() => parseArgs(['a', 'b'], specs, 1)).toThrow(/unexpected argument "b"/);
    try {
      parseArgs(['--bogus'], specs);
    } catch (e) {
      expect((e as { code: string }).code).toBe('usage');
    }
  });
});

describe('numbers as users write them', () => {
  it.each([
    ['0x8000', 0x8000],
    ['8000h', 0x8000],
    ['32768', 32768],
    ['8k', 8192],
    ['1KB', 1024],
    ['0b101', 5],
  ])('%s = %d', (text, n) => {
    expect(parseNumber(text)).toBe(n);
  });
  it('rejects words', () => {
    expect(parseNumber('flash')).toBeUndefined();
    expect(parseNumber('0x')).toBeUndefined();
  });
});
