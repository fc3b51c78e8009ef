/**
 * SIGTERM (an IDE's stop button) and SIGHUP (a closed terminal) during a write are handled
 * like Ctrl+C: the block being written is finished, the flash locked, the target reset,
 * "Cancelled." and exit 1. A real `swim-studio write` in its own process, against a virtual
 * probe served on a socket on the real-time clock, so the write takes the seconds it takes
 * on hardware and the signal arrives in the middle of it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimServer } from '../../conformance/sim-process';
import { pseudoRandomBytes } from '#shared/pseudo-random';

const bin = path.resolve(__dirname, '../../../bin/swim-studio.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swim-signals-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PART = 'stm8s208rb';
const FLASH = 128 * 1024;
const BLOCK = 128;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `write`, sends `signals` once the sim has the client and a second has passed. */
async function writeInterrupted(socketPath: string, file: string, signals: NodeJS.Signals[], waitForClient: () => Promise<void>): Promise<Run> {
  const child = spawn(process.execPath, [bin, '--sim-socket', socketPath, '--part', PART, 'write', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  await waitForClient();
  // 1024 blocks take about 15 s on the real-time clock: one second in, the write is under way.
  await new Promise((r) => setTimeout(r, 1000));
  for (const s of signals) child.kill(s);
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const run = await exited;
  clearTimeout(guard);
  return run;
}

/** The chip's flash from the state file the server writes when it stops. */
function flashOf(stateFile: string): Uint8Array {
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { memories: { flash: string } };
  return new Uint8Array(Buffer.from(state.memories.flash, 'base64'));
}

/** Every block is either still erased or all new; returns how many are new. */
function newBlocks(flash: Uint8Array, fw: Uint8Array): number {
  let fresh = 0;
  for (let at = 0; at < FLASH; at += BLOCK) {
    const now = flash.subarray(at, at + BLOCK);
    const isNew = now.every((b, i) => b === fw[at + i]);
    const isErased = now.every((b) => b === 0);
    expect(isNew || isErased, `block at 0x${(0x8000 + at).toString(16)}`).toBe(true);
    if (isNew) fresh++;
  }
  return fresh;
}

describe('stop signals during a write', () => {
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`${signal}: finishes the block, "Cancelled.", exit 1, every block old or new`, async () => {
      const socketPath = path.join(dir, `${signal}.sock`);
      const stateFile = path.join(dir, `${signal}.json`);
      const fw = pseudoRandomBytes(FLASH, signal.length);
      const file = path.join(dir, `${signal}.bin`);
      fs.writeFileSync(file, fw);
      const server = await startSimServer({ probe: 'stlinkv2', part: PART, socketPath, stateFile, clock: 'realtime', via: 'command' });
      let run: Run;
      try {
        run = await writeInterrupted(socketPath, file, [signal], () => server.waitForLog('client connected', 1, 30_000));
        // The engine closed its session: the probe was released, not dropped mid-transfer.
        await server.waitForLog('client disconnected', 1, 10_000);
      } finally {
        await server.stop();
      }
      expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
      expect(run.stderr).toMatch(/Cancelled\./);
      expect(run.stderr).not.toMatch(/^\s+at .+[:(]/m);
      const fresh = newBlocks(flashOf(stateFile), fw);
      expect(fresh).toBeGreaterThan(0);
      expect(fresh).toBeLessThan(FLASH / BLOCK);
    }, 90_000);
  }

  it('a second signal ends the process at once, with 128 + its number', async () => {
    // Two different signals: the kernel merges a pending signal with one of the same kind,
    // and delivers pending ones lowest number first, so either may count as the second.
    const socketPath = path.join(dir, 'twice.sock');
    const file = path.join(dir, 'twice.bin');
    fs.writeFileSync(file, pseudoRandomBytes(FLASH, 3));
    const server = await startSimServer({ probe: 'stlinkv2', part: PART, socketPath, clock: 'realtime', via: 'command' });
    try {
      const run = await writeInterrupted(socketPath, file, ['SIGTERM', 'SIGHUP'], () => server.waitForLog('client connected', 1, 30_000));
      expect(run.signal).toBeNull();
      expect([129, 143]).toContain(run.code);
    } finally {
      await server.stop();
    }
  }, 90_000);
});
