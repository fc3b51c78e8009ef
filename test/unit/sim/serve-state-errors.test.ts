/**
 * `sim serve` outlives a state file it cannot write, and never leaves its socket behind:
 * the real command in its own process, a real client on the socket.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimServer } from '../../conformance/sim-process';
import { SockClient } from './socket-client';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swim-state-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What Node prints for an uncaught error: "    at fn (file:line:col)". */
const STACK_LINE = /^\s+at .+[:(]/m;

describe('sim serve with a state file it cannot write', () => {
  it('says so when a client leaves, keeps serving, and removes its socket at exit', async () => {
    const socketPath = path.join(dir, 'a.sock');
    const state = path.join(dir, 'no-such-folder', 's.json');
    const server = await startSimServer({ probe: 'stlinkv2', part: 'stm8s103f3', socketPath, stateFile: state, clock: 'virtual' });
    let end;
    try {
      for (let visit = 1; visit <= 2; visit++) {
        const { client, hello } = await SockClient.connect(socketPath);
        expect(hello.serial.length).toBeGreaterThan(0);
        expect((await client.out(0x02, [0xf5])).status).toBe(0);
        client.close();
        await server.waitForLog('could not save the state file', visit);
      }
      expect(server.log()).toContain(state);
      expect(server.log()).toContain('still serving');
    } finally {
      end = await server.stop();
    }
    expect(end.signal).toBeNull();
    expect(end.exitCode).toBe(1); // the state asked for was never written
    expect(end.stderr).not.toMatch(STACK_LINE);
    expect(fs.existsSync(socketPath)).toBe(false);
    expect(fs.existsSync(path.dirname(state))).toBe(false);
  }, 60_000);

  it('removes its socket at SIGHUP (a closed terminal) and saves the state', async () => {
    const socketPath = path.join(dir, 'b.sock');
    const state = path.join(dir, 'b.json');
    const server = await startSimServer({ probe: 'stlinkv2', part: 'stm8s103f3', socketPath, stateFile: state, clock: 'virtual' });
    const end = await server.stop(15_000, 'SIGHUP');
    expect({ code: end.exitCode, signal: end.signal }).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(socketPath)).toBe(false);
    expect(JSON.parse(fs.readFileSync(state, 'utf8')).part).toBe('stm8s103f3');
  }, 60_000);
});
