import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '#shared/ipc-wire';
import type { ServerFrame } from '#shared/ipc-wire';
import type { ProbeInfo, Settings } from '#shared/ipc';
import { spawnGroup } from './spawned';

/**
 * `swim-studio [global options] ui` as a user starts it (the real executable, its own
 * process), then the bridge's own API asked what the app starts with: the global options
 * must choose the probe, the part and the faults (issue: `--virtual stlinkv3:stm8s103f3:rop
 * ui` served the V2 probe with no fault).
 */
const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'swim-studio.mjs');
let page: string;

beforeAll(() => {
  // A stand-in page: what is selected is the service's answer, not the renderer build's.
  page = mkdtempSync(join(tmpdir(), 'swim-ui-pre-'));
  writeFileSync(join(page, 'index.html'), '<!doctype html><title>SWIM Studio</title>');
});
afterAll(() => rmSync(page, { recursive: true, force: true }));

async function startedWith(globals: string[]): Promise<{ settings: Settings; probes: ProbeInfo[] }> {
  const env = { ...process.env, SWIM_STUDIO_UI_DIR: page, SWIM_STUDIO_VIRTUAL: '', SWIM_STUDIO_SIM_SOCKET: '' };
  const ui = spawnGroup(process.execPath, [BIN, '--json', ...globals, 'ui'], { env });
  try {
    const [line] = await ui.waitFor(/^\{.*\}$/m, 90_000);
    const { port, token } = JSON.parse(line) as { port: number; token: string };
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ipc?token=${token}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answers = new Map<number, unknown>();
    ws.on('message', (d) => {
      const f = decodeFrame(d.toString()) as ServerFrame;
      if (f.t === 'res') answers.set(f.id, f.result);
    });
    const ask = async (id: number, name: string): Promise<unknown> => {
      ws.send(encodeFrame({ t: 'req', id, name: name as 'getSettings', arg: {} }));
      for (let i = 0; i < 200 && !answers.has(id); i++) await new Promise((r) => setTimeout(r, 25));
      const r = answers.get(id) as { ok: boolean; value: unknown } | undefined;
      if (!r?.ok) throw new Error(`${name}: ${JSON.stringify(r)}`);
      return r.value;
    };
    const settings = (await ask(1, 'getSettings')) as Settings;
    const probes = (await ask(2, 'listProbes')) as ProbeInfo[];
    ws.close();
    return { settings, probes };
  } finally {
    await ui.stop();
  }
}

describe('swim-studio ui and the global options', () => {
  it('selects the --virtual probe, its part and its faults', async () => {
    const { settings, probes } = await startedWith(['--virtual', 'stlinkv3:stm8s103f3:rop,unplug-after=40']);
    expect(settings.lastProbe).toEqual({ kind: 'virtual', variant: 'stlinkv3', faults: ['rop', 'unplug-after=40'] });
    expect(settings.lastPart).toBe('stm8s103f3');
    expect(probes.some((p) => p.id === 'virtual:stlinkv3')).toBe(true);
  }, 120_000);

  it('selects the --sim-socket probe (offered in the list) and the --part, in the catalogue spelling', async () => {
    const socket = join(page, 'probe.sock');
    const { settings, probes } = await startedWith(['--sim-socket', socket, '--part', 'STM8S105C6T6', '--connect-under-reset']);
    expect(settings.lastProbe).toEqual({ kind: 'socket', path: socket });
    expect(settings.lastPart).toBe('stm8s105c6');
    expect(settings.connectUnderReset).toBe(true);
    expect(probes.some((p) => p.selection.kind === 'socket' && p.selection.path === socket)).toBe(true);
  }, 120_000);

  it('refuses a bad --virtual spec or part with exit 2 and the remedy, serving nothing', async () => {
    const env = { ...process.env, SWIM_STUDIO_UI_DIR: page };
    const bad = spawnGroup(process.execPath, [BIN, '--virtual', 'stlinkv9:stm8s103f3', 'ui'], { env });
    expect(await bad.exited(60_000)).toBe(2);
    expect(bad.stderr()).toMatch(/Unknown virtual probe "stlinkv9"[\s\S]*stlinkv2/);
    expect(bad.stdout()).not.toMatch(/http:/);
    const part = spawnGroup(process.execPath, [BIN, '--part', 'stm8s999', 'ui'], { env });
    expect(await part.exited(60_000)).toBe(2);
    expect(part.stderr()).toMatch(/Unknown part "stm8s999"/);
  }, 120_000);
});
