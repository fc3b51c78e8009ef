/** Comparing the chip with an image; the error names the first differing addresses. */
import type { Stm8Session } from '../stm8/session';
import { JobContext } from './context';
import { compare, mismatchError } from './program';
import { readChunked } from './read';
import { resolveRange } from './ranges';
import { verifyFailure } from '#shared/errors';
import type { Comparison, ImageLike, JobOptions, Mismatch, VerifyReport } from './types';

/**
 * Read back every byte the image defines and compare. Throws 'verify-failed' with
 * details.mismatches (address, expected, actual; first 64) and details.count.
 */
export async function verifyImage(session: Stm8Session, image: ImageLike, opts: JobOptions = {}): Promise<VerifyReport> {
  const ctx = new JobContext(session, opts);
  for (const seg of image.segments) resolveRange(session.part, { start: seg.address, length: seg.data.length });
  const mism: Mismatch[] = [];
  let total = 0;
  let compared = 0;
  for (const seg of image.segments) {
    if (seg.data.length === 0) continue;
    const back = await readChunked(session, ctx, seg.address, seg.data.length, 'verify');
    total += compare(seg.address, seg.data, back, mism);
    compared += seg.data.length;
  }
  if (total > 0) throw mismatchError(mism, total);
  return { bytesCompared: compared, ok: true, durationMs: ctx.elapsedMs };
}

/** verifyImage, with a difference returned as the comparison it is (any other error is thrown). */
export async function compareImage(session: Stm8Session, image: ImageLike, opts: JobOptions = {}): Promise<Comparison> {
  try {
    const r = await verifyImage(session, image, opts);
    return { ok: true, bytes: r.bytesCompared, mismatchCount: 0, mismatches: [] };
  } catch (e) {
    const f = verifyFailure(e);
    if (!f) throw e;
    return { ok: false, bytes: image.segments.reduce((n, s) => n + s.data.length, 0), ...f };
  }
}
