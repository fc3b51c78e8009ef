/** Reading a region or an address range, in big READMEM chunks with progress and cancel. */
import { isRopActive } from '#shared/catalogue/rop';
import type { Stm8Session } from '../stm8/session';
import { JobContext } from './context';
import { resolveRange, touchesProtected } from './ranges';
import type { JobOptions, MemoryRequest, ReadResult } from './types';

/** Read bytes from the chip in chunks; reports progress, stops between chunks on abort. */
export async function readChunked(session: Stm8Session, ctx: JobContext, start: number, length: number, phase: 'read' | 'verify' | 'blank-check'): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  const max = session.maxReadBytes;
  for (let off = 0; off < length; off += max) {
    ctx.checkAbort();
    const n = Math.min(max, length - off);
    out.set(await session.readMemory(start + off, n), off);
    ctx.progress(phase, off + n, length, start + off);
  }
  return out;
}

/** Is read-out protection active now (ROP byte as the chip reads it)? */
export async function readRopActive(session: Stm8Session): Promise<boolean> {
  const v = await session.readByte(session.part.rop.address);
  return isRopActive(session.part, v);
}

/**
 * Read a region ({ region: 'flash' }) or a range ({ start, length }); ranges may cover
 * registers too. Refuses ranges outside the part ('outside-memory'). Under ROP the
 * result is flagged `protected` (the chip answers garbage for flash/EEPROM).
 */
export async function readMemory(session: Stm8Session, req: MemoryRequest, opts: JobOptions = {}): Promise<ReadResult> {
  const r = resolveRange(session.part, req, { allowRegisters: true });
  const ctx = new JobContext(session, opts);
  const prot = touchesProtected(session.part, r.start, r.length) ? await readRopActive(session) : false;
  const data = await readChunked(session, ctx, r.start, r.length, 'read');
  return { start: r.start, data, region: r.region, protected: prot, durationMs: ctx.elapsedMs };
}
