/**
 * Issue 15: four stations on four virtual probes (V2, V2-1, V3, V3 that unplugs itself),
 * twenty boards in continuous mode, all through the engine. Checked against the simulator's
 * memory, not against what the runner says about itself.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetVirtualProbes, virtualProbeFor } from '../../../src/main/probes/index';
import { loadRecipe } from '../../../src/main/production/recipe';
import { runProduction } from '../../../src/main/production/runner';
import { buildStations } from '../../../src/main/production/station-specs';
import type { BoardRecord } from '../../../src/main/production/board-log';
import type { VirtualProbe } from '../../../src/main/sim/index';
import { recipeFolder } from './fixture';

const SPECS = ['stlinkv2:stm8s103f3', 'stlinkv21:stm8s103f3', 'stlinkv3:stm8s103f3', 'stlinkv3:stm8s103f3:unplug-after=400'];

afterEach(() => forgetVirtualProbes());

const u32le = (b: Uint8Array): number => b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] * 2 ** 24);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('production on four virtual stations', () => {
  it('programs 20 boards in continuous mode: distinct serials, the unplugged station logged as failed, chips hold what the log says', async () => {
    const f = recipeFolder();
    const recipe = await loadRecipe(f.recipePath);
    const stations = await buildStations({ stations: SPECS.map((s) => `virtual:${s}`), part: recipe.part.name });
    const probes = new Map<string, VirtualProbe>(SPECS.map((s) => [`virtual:${s}`, virtualProbeFor(s)]));
    // Each board's chip, seen by the simulator at the moment the station is done with it.
    const chips: { station: string; uid: string; eeprom: Uint8Array; flash: Uint8Array }[] = [];
    const summary = await runProduction({
      recipe,
      stations,
      count: 20,
      continuous: true,
      onEvent: (e) => {
        if (e.state !== 'pass' && e.state !== 'fail') return;
        const t = (probes.get(e.station) as VirtualProbe).target;
        chips.push({ station: e.station, uid: hex(t.uniqueId() as Uint8Array), eeprom: t.peek(0x4000, 4), flash: t.peek(0x8000, f.firmware.length) });
      },
    });

    const logged = readFileSync(recipe.logPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BoardRecord);
    expect(logged).toHaveLength(20);
    expect(summary.passed + summary.failed).toBe(20);

    const bad = 'virtual:' + SPECS[3];
    const failed = logged.filter((r) => r.result === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect(r.station).toBe(bad);
      expect(r.code).toBe('probe-unplugged');
    }
    expect(summary.offline.map((o) => o.station)).toEqual([bad]);

    const passed = logged.filter((r) => r.result === 'pass');
    expect(passed.length).toBe(20 - failed.length);
    // Every station but the broken one did boards.
    for (const s of SPECS.slice(0, 3)) expect(passed.some((r) => r.station === `virtual:${s}`)).toBe(true);

    // No serial issued twice: not in the log, not in the journal.
    const serials = logged.map((r) => r.serial).filter((s) => s !== null);
    expect(new Set(serials).size).toBe(serials.length);
    const journal = readFileSync(recipe.journalPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; serial: number; uid: string });
    const reserved = journal.filter((j) => j.t === 'reserve').map((j) => j.serial);
    expect(new Set(reserved).size).toBe(reserved.length);
    expect(new Set(logged.map((r) => r.uid)).size).toBe(20);

    // The chips hold exactly what the log says.
    expect(chips).toHaveLength(20);
    for (const r of passed) {
      const chip = chips.find((c) => c.uid === r.uid);
      expect(chip, `chip ${r.uid}`).toBeDefined();
      expect(u32le(chip!.eeprom)).toBe(r.serial);
      expect(Buffer.from(chip!.flash).equals(Buffer.from(f.firmware))).toBe(true);
      expect(r.firmwareSha256).toBe(f.firmwareSha256);
    }

    // The engine never sent a SWIM command while the chip was busy.
    for (const p of probes.values()) expect(p.violations()).toEqual([]);
  }, 120_000);
});
