/**
 * OpenOCD against the engine, like with like: the same served virtual probe (`swim-studio sim
 * serve`, real-time clock), the same chip state (an STM8S103 whose flash already holds other
 * data — a "used" chip, loaded from one state file copied for each side), the same 8 KB
 * written and verified, on the V3 and on the V2. Two figures per side:
 * - process: the wall clock of the whole process, start to exit (OpenOCD with
 *   `init; reset halt; load_image; verify_image`, the way that works on STM8; the CLI with
 *   `write FILE`, which verifies after writing). Includes start-up, connect and reset.
 * - job: the write + verify alone — OpenOCD's own "downloaded … in Xs" plus "verified … in
 *   Ys", the CLI's `durationMs` of the write job.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { conformanceTools, runOpenOcd, startSimServer } from '../test/conformance/harness';
import { MemoryImage } from '#shared/image/index';
import { connectTarget } from '../src/main/jobs/index';
import { pseudoRandomBytes } from '#shared/pseudo-random';

export interface SideBySide {
  probe: 'stlinkv3' | 'stlinkv2';
  openocd: { processMs: number; jobMs: number };
  engine: { processMs: number; jobMs: number };
}

export type OpenOcdOutcome = { kind: 'result'; results: SideBySide[] } | { kind: 'skip'; reason: string };

const BYTES = 8192;
const PART = 'stm8s103f3';
const BIN = fileURLToPath(new URL('../bin/swim-studio.mjs', import.meta.url));

/** A served probe whose chip holds `old` in flash, saved to `stateFile` for later runs. */
async function prepareUsedChip(probe: SideBySide['probe'], stateFile: string, old: Uint8Array): Promise<void> {
  const server = await startSimServer({ probe, part: PART, stateFile, via: 'command' });
  try {
    const conn = await connectTarget({ simSocket: server.socketPath, part: PART });
    try {
      await conn.program(MemoryImage.fromBytes('old', 0x8000, old), { verify: false });
    } finally {
      await conn.close();
    }
  } finally {
    await server.stop();
  }
}

function seconds(output: string, what: 'downloaded' | 'verified'): number | null {
  const m = new RegExp(`${what} \\d+ bytes in ([0-9.]+)s`).exec(output);
  return m ? Number(m[1]) * 1000 : null;
}

async function openOcdSide(probe: SideBySide['probe'], state: string, bin: string): Promise<SideBySide['openocd'] | string> {
  const server = await startSimServer({ probe, part: PART, stateFile: state, via: 'command' });
  try {
    const r = await runOpenOcd({
      socketPath: server.socketPath,
      commands: ['init', 'reset halt', `load_image ${bin} 0x8000 bin`, `verify_image ${bin} 0x8000 bin`],
      timeoutMs: 120_000,
    });
    const down = seconds(r.output, 'downloaded');
    const ver = seconds(r.output, 'verified');
    if (r.exitCode !== 0 || down === null || ver === null) return `OpenOCD failed on ${probe}: ${r.output.split('\n').slice(-4).join(' | ')}`;
    return { processMs: r.wallMs, jobMs: down + ver };
  } finally {
    await server.stop();
  }
}

async function engineSide(probe: SideBySide['probe'], state: string, bin: string): Promise<SideBySide['engine'] | string> {
  const server = await startSimServer({ probe, part: PART, stateFile: state, via: 'command' });
  try {
    const args = [BIN, '--sim-socket', server.socketPath, '--part', PART, '--json', 'write', bin, '--format', 'bin', '--address', '0x8000'];
    const t0 = performance.now();
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
    const processMs = performance.now() - t0;
    if (r.code !== 0) return `the CLI failed on ${probe}: ${r.out.slice(-300)}`;
    const doc = JSON.parse(r.out) as { write: { durationMs: number } };
    return { processMs, jobMs: doc.write.durationMs };
  } finally {
    await server.stop();
  }
}

export async function runOpenOcdCase(): Promise<OpenOcdOutcome> {
  const tools = await conformanceTools();
  if (tools.missing.length > 0) return { kind: 'skip', reason: `missing ${tools.missing.join(', ')}` };
  const dir = await mkdtemp(join(tmpdir(), 'swim-bench-'));
  try {
    const data = pseudoRandomBytes(BYTES, 0x0c0d);
    const bin = join(dir, 'fw.bin');
    await writeFile(bin, data);
    const results: SideBySide[] = [];
    for (const probe of ['stlinkv3', 'stlinkv2'] as const) {
      const used = join(dir, `used-${probe}.json`);
      await prepareUsedChip(probe, used, pseudoRandomBytes(BYTES, 0xbad));
      const ocdState = join(dir, `ocd-${probe}.json`);
      const engState = join(dir, `eng-${probe}.json`);
      await copyFile(used, ocdState);
      await copyFile(used, engState);
      const openocd = await openOcdSide(probe, ocdState, bin);
      if (typeof openocd === 'string') return { kind: 'skip', reason: openocd };
      const engine = await engineSide(probe, engState, bin);
      if (typeof engine === 'string') return { kind: 'skip', reason: engine };
      results.push({ probe, openocd, engine });
    }
    return { kind: 'result', results };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
