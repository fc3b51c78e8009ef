/**
 * The virtual-clock cases: the engine programs (and verifies) an image through an
 * in-process virtual probe whose clock only advances by the simulator's timing model, so
 * engine_ms is exact and repeatable, and comparable with the floor of docs/spec/simulator.md §5.
 */
import { findPart } from '#shared/catalogue/index';
import { MemoryImage } from '#shared/image/index';
import { connectTarget } from '../src/main/jobs/index';
import type { ProgramReport } from '../src/main/jobs/index';
import { createVirtualProbe, type VirtualVariant } from '../src/main/sim/index';
import { pseudoRandomBytes } from '#shared/pseudo-random';
import { programFloor, readOnlyFloor } from './floor';
import { TracingTransport } from '../src/main/diagnostics/trace';
import { phaseBreakdown, type Phase } from './phases';

export interface CaseResult {
  name: string;
  engineMs: number;
  floorMs: number;
  report: ProgramReport;
  /** USB transfers and SWIM status polls, for "where does the time go". */
  transfers: number;
  statusPolls: number;
  busyPolls: number;
  /** Job time by phase (phases.ts). */
  phases: Record<Phase, number>;
}

export interface EngineCase {
  name: string;
  probe: VirtualVariant;
  part: string;
  /** Bytes of random data programmed from the flash start. */
  bytes: number;
  /** What the chip holds before: 'blank' (all 0x00), 'used' (other random data), 'same' (the image). */
  before: 'blank' | 'used' | 'same';
}

export const ENGINE_CASES: EngineCase[] = [
  { name: 'v2-used-8k', probe: 'stlinkv2', part: 'stm8s103f3', bytes: 8192, before: 'used' },
  { name: 'v3-used-8k', probe: 'stlinkv3', part: 'stm8s103f3', bytes: 8192, before: 'used' },
  { name: 'v2-blank-8k', probe: 'stlinkv2', part: 'stm8s103f3', bytes: 8192, before: 'blank' },
  { name: 'v3-blank-8k', probe: 'stlinkv3', part: 'stm8s103f3', bytes: 8192, before: 'blank' },
  { name: 'v3-used-128k', probe: 'stlinkv3', part: 'stm8s208rb', bytes: 131072, before: 'used' },
  { name: 'v2-unchanged-8k', probe: 'stlinkv2', part: 'stm8s103f3', bytes: 8192, before: 'same' },
  { name: 'v3-unchanged-8k', probe: 'stlinkv3', part: 'stm8s103f3', bytes: 8192, before: 'same' },
];

export async function runEngineCase(c: EngineCase): Promise<CaseResult> {
  const part = findPart(c.part);
  const image = pseudoRandomBytes(c.bytes, 0x5eed + c.bytes);
  const before = c.before === 'blank' ? new Uint8Array(c.bytes) : c.before === 'same' ? image : pseudoRandomBytes(c.bytes, 0xbad + c.bytes);
  const vp = createVirtualProbe({ probe: c.probe, part: c.part });
  vp.target.poke(part.flash.start, before);
  const traced = new TracingTransport(vp.transport, 1_000_000);
  const conn = await connectTarget({ transport: traced, part });
  try {
    const stats0 = { ...conn.probe.stats };
    const t0 = conn.clock.now();
    const firstLine = traced.all().length - 1;
    const report = await conn.program(MemoryImage.fromBytes('bench', part.flash.start, image), { verify: true, skipUnchanged: true });
    const engineMs = conn.clock.now() - t0;
    const got = vp.target.peek(part.flash.start, c.bytes);
    for (let i = 0; i < c.bytes; i++) {
      if (got[i] !== image[i]) throw new Error(`${c.name}: chip differs at 0x${(part.flash.start + i).toString(16)}`);
    }
    const floorMs = c.before === 'same' ? readOnlyFloor(c.bytes) : programFloor(image, before, part.blockSize);
    const s = conn.probe.stats;
    return {
      name: c.name,
      engineMs,
      floorMs,
      report,
      transfers: s.transfers - stats0.transfers,
      statusPolls: s.statusPolls - stats0.statusPolls,
      busyPolls: s.busyPolls - stats0.busyPolls,
      phases: phaseBreakdown(traced.all().slice(firstLine), part),
    };
  } finally {
    await conn.close();
  }
}
