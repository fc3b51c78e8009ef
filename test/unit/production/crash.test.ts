/**
 * Issue 15: a crash between reserving a serial and logging the board never issues that
 * serial twice, and the journal says what became of it. The crash is real: a child process
 * that SIGKILLs itself after the reservation is fsync'd.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetVirtualProbes } from '../../../src/main/probes/index';
import type { BoardRecord } from '../../../src/main/production/board-log';
import { loadRecipe } from '../../../src/main/production/recipe';
import { runProduction } from '../../../src/main/production/runner';
import type { JournalEntry } from '../../../src/main/production/serial-journal';
import { buildStations } from '../../../src/main/production/station-specs';
import { recipeFolder } from './fixture';

const here = dirname(fileURLToPath(import.meta.url));
const lines = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

afterEach(() => forgetVirtualProbes());

describe('production crash between reserving and logging', () => {
  it('restarts from the journal: the reserved serial is settled as orphaned and never issued again', async () => {
    const f = recipeFolder();
    const recipe = await loadRecipe(f.recipePath);
    const child = spawnSync(process.execPath, ['--import', 'tsx/esm', join(here, 'crash-child.ts'), f.recipePath, '3'], { cwd: join(here, '../../..'), encoding: 'utf8', timeout: 90_000 });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(child.stdout).not.toContain('finished');

    // Two boards logged, the third reserved and never logged.
    const logBefore = lines<BoardRecord>(recipe.logPath);
    expect(logBefore.map((r) => r.serial)).toEqual([1000, 1001]);
    const journalBefore = lines<JournalEntry>(recipe.journalPath);
    const open = journalBefore.filter((e) => e.t === 'reserve' && !journalBefore.some((s) => s.t === 'settle' && s.index === e.index));
    expect(open.map((e) => e.serial)).toEqual([1002]);

    // Restart in this process on another probe: three more boards.
    const summary = await runProduction({ recipe, stations: await buildStations({ stations: ['virtual:stlinkv2:stm8s103f3'], part: recipe.part.name }), count: 3 });
    expect(summary.passed).toBe(3);
    expect(summary.recovered).toMatchObject([{ t: 'orphan', serial: 1002 }]);

    const log = lines<BoardRecord>(recipe.logPath);
    const serials = log.map((r) => r.serial);
    expect(serials).toEqual([1000, 1001, 1003, 1004, 1005]);
    const journal = lines<JournalEntry>(recipe.journalPath);
    const orphan = journal.find((e) => e.t === 'orphan');
    expect(orphan).toMatchObject({ serial: 1002, uid: (open[0] as { uid: string }).uid });
    const reserved = journal.filter((e) => e.t === 'reserve').map((e) => e.serial);
    expect(new Set(reserved).size).toBe(reserved.length);
  }, 120_000);
});
