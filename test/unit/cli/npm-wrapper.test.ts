import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnGroup } from './spawned';

/**
 * The README's `npx swim-studio sim serve … &` then `kill %1`: the shell's job is npm's
 * process, so only npm gets the signal. Before, npm and its shell ended and the node server
 * kept running, orphaned, on its socket; now it notices and stops cleanly (state saved).
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'swim-npx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Processes still in the process group `pgid`. */
function groupMembers(pgid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when nothing matches
  }
}

describe.skipIf(process.platform !== 'linux')('npx swim-studio sim serve, stopped through npm', () => {
  it('ends the node server too, which saves its state and leaves no process behind', async () => {
    const socket = join(dir, 'probe.sock');
    const state = join(dir, 'chip.json');
    const env = { ...process.env, SWIM_STUDIO_VIRTUAL: '', SWIM_STUDIO_SIM_SOCKET: '' };
    const npx = spawnGroup('npx', ['swim-studio', 'sim', 'serve', '--socket', socket, '--probe', 'stlinkv3', '--part', 'stm8s103f3', '--state', state], { cwd: ROOT, env });
    try {
      await npx.waitFor(/listening on /, 120_000);
      expect(groupMembers(npx.child.pid!).length).toBeGreaterThanOrEqual(2); // npm and node (and sh)
      process.kill(npx.child.pid!, 'SIGTERM'); // what `kill %1` does: npm only
      const deadline = Date.now() + 20_000;
      while (groupMembers(npx.child.pid!).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(groupMembers(npx.child.pid!), npx.stderr()).toEqual([]);
      expect(existsSync(state)).toBe(true);
    } finally {
      await npx.stop();
    }
  }, 180_000);
});
