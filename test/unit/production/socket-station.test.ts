/**
 * A production station on a served virtual probe (`sim serve`, a real child process), with
 * the board swapped through the server's control socket as an operator would: the station
 * sees each board go and the next one come, and every chip gets its own serial.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRecipe } from '../../../src/main/production/recipe';
import { runProduction } from '../../../src/main/production/runner';
import { buildStations } from '../../../src/main/production/station-specs';
import { startSimServer, type SimServer } from '../../conformance/sim-process';
import { recipeFolder } from './fixture';

let server: SimServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

/** Send one control line and wait (bounded) for its answer. */
function control(path: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.createConnection(path);
    const timer = setTimeout(() => {
      c.destroy();
      reject(new Error(`no answer to "${line}"`));
    }, 5000);
    c.setEncoding('utf8');
    c.on('connect', () => c.write(line + '\n'));
    c.on('data', (d: string) => {
      clearTimeout(timer);
      c.end();
      resolve(d.trim());
    });
    c.on('error', reject);
  });
}

describe('production on a served virtual probe', () => {
  it('follows board swaps made through the control socket', async () => {
    server = await startSimServer({ probe: 'stlinkv3', part: 'stm8s103f3', via: 'command' });
    const ctl = server.socketPath + '.control';
    expect(await control(ctl, 'status')).toMatch(/^ok board [0-9a-f]{24}$/);
    expect(await control(ctl, 'jump')).toMatch(/^error/);

    const f = recipeFolder();
    const recipe = await loadRecipe(f.recipePath);
    // The operator: takes the board off when told to, puts the next one on when asked for one.
    const swaps: Promise<string>[] = [];
    let removed = 0;
    const summary = await runProduction({
      recipe,
      stations: await buildStations({ stations: [`socket:${server.socketPath}`], part: recipe.part.name }),
      count: 3,
      onEvent: (e) => {
        if (e.state === 'remove-board') swaps.push(control(ctl, 'remove').then((a) => String(++removed) + a));
        if (e.state === 'waiting-board' && swaps.length) swaps.push(Promise.all(swaps).then(() => control(ctl, `insert next-${removed}`)));
      },
    });
    await Promise.all(swaps);
    expect(summary.records.map((r) => [r.result, r.serial])).toEqual([
      ['pass', 1000],
      ['pass', 1001],
      ['pass', 1002],
    ]);
    expect(new Set(summary.records.map((r) => r.uid)).size).toBe(3);
    expect(server.log()).not.toContain('violation');
  }, 60_000);
});
