/**
 * OpenOCD against the engine on the same kind of virtual probe, on the wall clock: each is
 * given a fresh virtual probe served on a socket by `swim-studio sim serve` (real-time clock,
 * docs/spec/simulator.md §3) and writes + verifies the same 8 KB into a blank stm8s103f3.
 * OpenOCD: `load_image` + `verify_image` (OO-T293: the way that works on STM8), its time
 * being the run's wall time minus a run that only does `init; reset halt`. Engine: the
 * program+verify job over --sim-socket, timed around the job.
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { conformanceTools, runOpenOcd, startSimServer } from '../test/conformance/harness';
import { MemoryImage } from '../src/shared/image/index';
import { connectTarget } from '../src/main/jobs/index';
import { pseudoRandomBytes } from '../src/shared/pseudo-random';

export type OpenOcdOutcome =
  | { kind: 'result'; engineMs: number; openocdMs: number }
  | { kind: 'skip'; reason: string };

const BYTES = 8192;

export async function runOpenOcdCase(): Promise<OpenOcdOutcome> {
  const tools = await conformanceTools();
  if (tools.missing.length > 0) return { kind: 'skip', reason: `missing ${tools.missing.join(', ')}` };
  const dir = await mkdtemp(join(tmpdir(), 'swim-bench-'));
  try {
    const data = pseudoRandomBytes(BYTES, 0x0c0d);
    const bin = join(dir, 'fw.bin');
    await writeFile(bin, data);

    const baseline = await openOcdRun(['init', 'reset halt']);
    const full = await openOcdRun(['init', 'reset halt', `load_image ${bin} 0x8000 bin`, `verify_image ${bin} 0x8000 bin`]);
    if (!full.ok) return { kind: 'skip', reason: `OpenOCD failed: ${full.tail}` };
    const openocdMs = Math.max(0, full.wallMs - baseline.wallMs);

    const server = await startSimServer({ probe: 'stlinkv2', part: 'stm8s103f3' });
    let engineMs: number;
    try {
      const conn = await connectTarget({ simSocket: server.socketPath, part: 'stm8s103f3' });
      try {
        const t0 = performance.now();
        await conn.program(MemoryImage.fromBytes('bench', 0x8000, data), { verify: true });
        engineMs = performance.now() - t0;
      } finally {
        await conn.close();
      }
    } finally {
      await server.stop();
    }
    return { kind: 'result', engineMs, openocdMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function openOcdRun(commands: string[]): Promise<{ ok: boolean; wallMs: number; tail: string }> {
  // OpenOCD's stlink driver speaks to what it takes for an ST-LINK/V2 (its default config).
  const server = await startSimServer({ probe: 'stlinkv2', part: 'stm8s103f3' });
  try {
    const r = await runOpenOcd({ socketPath: server.socketPath, commands, timeoutMs: 120_000 });
    const ok = r.exitCode === 0 && !r.timedOut && (!commands.some((c) => c.startsWith('verify_image')) || /verified \d+ bytes/.test(r.output));
    return { ok, wallMs: r.wallMs, tail: r.output.split('\n').slice(-5).join(' | ') };
  } finally {
    await server.stop();
  }
}
