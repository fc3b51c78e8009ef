/** Writing RAM (test patterns, RAM-loaded code) and reading it back. */
import { AppError } from '#shared/errors';
import type { Stm8Session } from '../stm8/session';
import { JobContext } from './context';
import { compare, mismatchError } from './program';
import { requireRegion } from './ranges';
import { hex } from '#shared/hex';
import type { JobOptions, Mismatch, RamWriteReport } from './types';

export async function writeRam(session: Stm8Session, start: number, data: Uint8Array, opts: JobOptions & { verify?: boolean } = {}): Promise<RamWriteReport> {
  const ram = requireRegion(session.part, 'ram');
  if (data.length === 0 || start < ram.start || start + data.length - 1 > ram.end) {
    throw new AppError('outside-memory', `RAM of ${session.part.name} is ${hex(ram.start)}–${hex(ram.end)}; ${hex(start)}+${data.length} does not fit.`, 'Give an address and length inside RAM.', {
      start,
      length: data.length,
    });
  }
  const ctx = new JobContext(session, opts);
  ctx.checkAbort();
  await session.writeMemory(start, data);
  ctx.progress('ram', data.length, data.length, start);
  const verify = opts.verify !== false;
  if (verify) {
    const back = await session.readMemory(start, data.length);
    const mism: Mismatch[] = [];
    const n = compare(start, data, back, mism);
    if (n > 0) throw mismatchError(mism, n);
  }
  return { start, length: data.length, verified: verify, durationMs: ctx.elapsedMs };
}
