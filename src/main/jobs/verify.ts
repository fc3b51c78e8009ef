/** Comparing the chip with an image; the error names the first differing addresses. */
import type { Stm8Session } from '../stm8/session';
import { JobContext } from './context';
import { compare, mismatchError } from './program';
import { readChunked } from './read';
import { resolveRange } from './ranges';
import type { Comparison, ImageLike, JobOptions, Mismatch, VerifyReport } from './types';

/** Read back every byte the image defines and compare; how long it took, for the report. */
async function readAndCompare(session: Stm8Session, image: ImageLike, opts: JobOptions): Promise<{ comparison: Comparison; durationMs: number }> {
  const ctx = new JobContext(session, opts);
  for (const seg of image.segments) resolveRange(session.part, { start: seg.address, length: seg.data.length });
  const mismatches: Mismatch[] = [];
  let differing = 0;
  let bytes = 0;
  for (const seg of image.segments) {
    if (seg.data.length === 0) continue;
    const back = await readChunked(session, ctx, seg.address, seg.data.length, 'verify');
    differing += compare(seg.address, seg.data, back, mismatches);
    bytes += seg.data.length;
  }
  return { comparison: { ok: differing === 0, bytes, mismatchCount: differing, mismatches }, durationMs: ctx.elapsedMs };
}

/** A difference as a result (its count and first 64 mismatches), for faces that show it rather than fail on it. */
export async function compareImage(session: Stm8Session, image: ImageLike, opts: JobOptions = {}): Promise<Comparison> {
  return (await readAndCompare(session, image, opts)).comparison;
}

/**
 * A difference as an error: 'verify-failed' with details.mismatches (address, expected,
 * actual; first 64) and details.count.
 */
export async function verifyImage(session: Stm8Session, image: ImageLike, opts: JobOptions = {}): Promise<VerifyReport> {
  const { comparison: c, durationMs } = await readAndCompare(session, image, opts);
  if (!c.ok) throw mismatchError(c.mismatches, c.mismatchCount);
  return { bytesCompared: c.bytes, ok: true, durationMs };
}
