import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The real executable (bin/swim-studio.mjs through tsx), as a shell or a script runs it:
 * exit codes are the process's, JSON is the process's stdout, the environment variable
 * selects the virtual probe.
 */
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(repo, 'bin', 'swim-studio.mjs');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, SWIM_STUDIO_VIRTUAL: '', SWIM_STUDIO_SIM_SOCKET: '', ...env }, timeout: 60_000 }, (e, stdout, stderr) => {
      resolve({ code: e ? ((e as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

describe('bin/swim-studio.mjs', () => {
  it('connects to the virtual probe named by SWIM_STUDIO_VIRTUAL and prints one JSON document', async () => {
    const r = await run(['--json', 'info'], { SWIM_STUDIO_VIRTUAL: 'stlinkv21:stm8s105c6' });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { probe: { variant: string; firmware: string }; target: { part: string } };
    expect(doc.probe.variant).toBe('stlinkv21');
    expect(doc.target.part).toBe('stm8s105c6');
  });

  it('exits 2 for an unknown part and 3 when there is no probe', async () => {
    const bad = await run(['--json', '--part', 'stm8s999', 'erase']);
    expect(bad.code).toBe(2);
    expect((JSON.parse(bad.stdout) as { error: { code: string } }).error.code).toBe('unknown-part');
    const none = await run(['--part', 'stm8s103f3', 'info']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/No ST-LINK/);
  });
});
