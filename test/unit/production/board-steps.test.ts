/**
 * The per-board steps beyond firmware and serial: UID-derived data, option bytes by field
 * name, read-out protection at the end, and what happens when a chip comes back.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetVirtualProbes, virtualProbeFor } from '../../../src/main/probes/index';
import type { BoardRecord } from '../../../src/main/production/board-log';
import { loadRecipe } from '../../../src/main/production/recipe';
import { ropConsentText } from '../../../src/main/production/rop-consent';
import { runProduction } from '../../../src/main/production/runner';
import { buildStations } from '../../../src/main/production/station-specs';
import { crc32 } from '../../../src/main/production/uid-data';
import { findPart } from '#shared/catalogue/index';
import { recipeFolder } from './fixture';

const SPEC = 'stlinkv3:stm8s103f3';
afterEach(() => forgetVirtualProbes());

async function run(recipePath: string, count = 1) {
  const recipe = await loadRecipe(recipePath);
  return runProduction({ recipe, stations: await buildStations({ stations: [`virtual:${SPEC}`], part: recipe.part.name }), count });
}

describe('production board steps', () => {
  it('writes UID data and option bytes by name, then protects the chip; the log names what was written', async () => {
    const part = findPart('stm8s103f3');
    const f = recipeFolder({
      uidData: [{ region: 'eeprom', address: '0x4010', derive: 'crc32le' }],
      optionBytes: { AFR0: 1 },
      readoutProtection: { consent: ropConsentText(part) },
    });
    const vp = virtualProbeFor(SPEC);
    const uid = vp.target.uniqueId() as Uint8Array;
    let seen: { rop: boolean; crc: number[]; opt2: number } | null = null;
    const recipe = await loadRecipe(f.recipePath);
    const s = await runProduction({
      recipe,
      stations: await buildStations({ stations: [`virtual:${SPEC}`], part: recipe.part.name }),
      onEvent: (e) => {
        if (e.state === 'pass') seen = { rop: vp.target.isRopActive(), crc: [...vp.target.peek(0x4010, 4)], opt2: vp.target.peek(0x4803, 1)[0] };
      },
    });
    expect(s.failed, JSON.stringify(s.records)).toBe(0);
    const c = crc32(uid);
    expect(seen).toEqual({ rop: true, crc: [c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24], opt2: 0x01 });
    expect(s.records[0].optionBytes).toEqual({ AFR0: 1, ROP: part.rop.protectValue });
    expect(vp.violations()).toEqual([]);
  }, 60_000);

  it('gives a returning chip its old serial, or refuses it when the recipe says so', async () => {
    const f = recipeFolder();
    const vp = virtualProbeFor(SPEC);
    const first = vp.saveState();
    await run(f.recipePath);
    vp.insertBoard({ uidSeed: 'unused', state: first });
    const again = await run(f.recipePath);
    expect(again.records.map((r) => [r.result, r.serial])).toEqual([['pass', 1000]]);

    const g = recipeFolder({ repeatedUid: 'refuse' });
    forgetVirtualProbes();
    const vg = virtualProbeFor(SPEC);
    const chip = vg.saveState();
    await run(g.recipePath);
    vg.insertBoard({ uidSeed: 'unused', state: chip });
    const refused = await run(g.recipePath);
    expect(refused.records.map((r) => [r.result, r.code, r.serial])).toEqual([['fail', 'uid-refused', null]]);
    const log = readFileSync(g.dir + '/production.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BoardRecord);
    expect(log.map((r) => r.result)).toEqual(['pass', 'fail']);
  }, 60_000);
});
