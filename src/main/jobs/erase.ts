/** Erasing blocks to 0x00 (the STM8 erased value, docs/spec/stm8-target.md §5) and blank checking. */
import { AppError } from '#shared/errors';
import type { Stm8Session } from '../stm8/session';
import { JobContext } from './context';
import { programImage } from './program';
import { readChunked } from './read';
import { regionAt } from '#shared/catalogue/regions';
import { resolveRange } from './ranges';
import { hex } from '#shared/hex';
import type { BlankCheckReport, EraseReport, JobOptions, MemoryRequest } from './types';

/**
 * Erase a region or range of flash/EEPROM: every touched block becomes all 0x00 (block erase,
 * CR2.ERASE), verified. Blocks that already read 0x00 are skipped. RAM is cleared by writing zeros.
 * Option bytes are refused (use the option-byte job). Ranges are widened to whole blocks.
 */
export async function eraseMemory(session: Stm8Session, req: MemoryRequest, opts: JobOptions = {}): Promise<EraseReport> {
  const part = session.part;
  const r = resolveRange(part, req);
  const first = regionAt(part, r.start);
  const last = regionAt(part, r.start + r.length - 1);
  if (!first || !last || first !== last) {
    throw new AppError('bad-range', `Erase one region at a time (${hex(r.start)}+${r.length} spans several).`, 'Give a region (flash, eeprom, ram) or a range inside one.');
  }
  if (first.kind === 'option' || first.kind === 'bootrom') {
    throw new AppError('bad-range', `The ${first.kind} area cannot be erased this way.`, first.kind === 'option' ? 'Option bytes are restored by an unlock or written with their complements by the option-byte job.' : 'The boot ROM is read-only.');
  }
  const ctx = new JobContext(session, opts);
  if (first.kind === 'ram') {
    await session.writeMemory(r.start, new Uint8Array(r.length));
    return { start: r.start, length: r.length, blocksErased: 0, blocksSkipped: 0, durationMs: ctx.elapsedMs };
  }
  const bs = part.blockSize;
  const start = r.start - (r.start % bs);
  const end = r.start + r.length;
  const length = Math.ceil((end - start) / bs) * bs;
  // Erasing is programming zeros: the pipeline skips blocks already 0x00, uses block erase
  // (3 ms) for the others, and verifies — all with progress and cancellation.
  const rep = await programImage(session, { segments: [{ address: start, data: new Uint8Array(length) }] }, {
    signal: opts.signal,
    onProgress: opts.onProgress ? (p) => opts.onProgress?.({ ...p, phase: p.phase === 'program' ? 'erase' : p.phase }) : undefined,
    verify: true,
    skipUnchanged: true,
  });
  return { start, length, blocksErased: rep.blocksWritten, blocksSkipped: rep.blocksSkipped, durationMs: ctx.elapsedMs };
}

/** Blank check: every byte 0x00. */
export async function blankCheck(session: Stm8Session, req: MemoryRequest, opts: JobOptions = {}): Promise<BlankCheckReport> {
  const r = resolveRange(session.part, req);
  const ctx = new JobContext(session, opts);
  const data = await readChunked(session, ctx, r.start, r.length, 'blank-check');
  let first: number | null = null;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== 0) {
      n++;
      if (first === null) first = r.start + i;
    }
  }
  return { start: r.start, length: r.length, blank: n === 0, nonBlankBytes: n, firstNonBlank: first, durationMs: ctx.elapsedMs };
}
