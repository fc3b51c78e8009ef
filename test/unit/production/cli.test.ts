/** `swim-studio production`: status lines, the summary, exit codes, JSON and the CSV export. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetVirtualProbes } from '../../../src/main/probes/index';
import { cli } from '../cli/helpers';
import { recipeFolder } from './fixture';

afterEach(() => forgetVirtualProbes());

describe('swim-studio production', () => {
  it('runs virtual stations, prints a line per station event and a summary, and exports the log as CSV', async () => {
    const f = recipeFolder();
    const r = await cli('production', f.recipePath, '--station', 'virtual:stlinkv3:stm8s103f3', '--station', 'virtual:stlinkv3:stm8s103f3', '--count', '3');
    const stdout = r.out.join('\n');
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(stdout).toMatch(/virtual:stlinkv3:stm8s103f3: PASS serial 100\d/);
    expect(stdout).toMatch(/virtual:stlinkv3:stm8s103f3#2: PASS serial 100\d/);
    expect(stdout).toContain('Boards: 3, passed 3, failed 0; yield 100.0 %');
    expect(stdout).toMatch(/Rate: \d+ boards\/hour/);

    const csv = join(f.dir, 'log.csv');
    const e = await cli('production', f.recipePath, '--export-csv', csv);
    expect(e.code, e.err.join('\n')).toBe(0);
    const rows = readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('time,station,probeSerial,uid,serial,firmwareSha256,optionBytes,result,code,message,durationMs');
    expect(rows.slice(1).map((l) => l.split(',')[4]).sort()).toEqual(['1000', '1001', '1002']);
  }, 60_000);

  it('exits 1 with JSON naming the failures when a station loses its probe', async () => {
    const f = recipeFolder();
    const r = await cli('--json', 'production', f.recipePath, '--station', 'virtual:stlinkv2:stm8s103f3:unplug-after=60', '--count', '2');
    expect(r.code).toBe(1);
    const doc = r.json() as { production: { failed: number; failedByCode: Record<string, number>; offline: { code: string }[] } };
    expect(doc.production.failed).toBe(1);
    expect(doc.production.failedByCode).toEqual({ 'probe-unplugged': 1 });
    expect(doc.production.offline.map((o) => o.code)).toEqual(['probe-unplugged']);
  }, 60_000);

  it('refuses a bad station or count before touching anything', async () => {
    const f = recipeFolder();
    expect((await cli('production', f.recipePath, '--station', 'serial:/dev/x')).err.join('\n')).toMatch(/not a station/);
    expect((await cli('production', f.recipePath, '--count', '0', '--station', 'virtual:stlinkv3:stm8s103f3')).code).toBe(2);
    expect(() => readFileSync(join(f.dir, 'production.jsonl'))).toThrow();
  }, 60_000);
});
