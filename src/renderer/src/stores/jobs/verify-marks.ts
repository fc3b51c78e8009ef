/**
 * What a verify or a failed write tells about the chip's bytes, marked in the area buffers,
 * and the error a verify failure is reported as.
 */
import type { MemoryArea, VerifyResult } from '#shared/ipc';
import { hex } from '#shared/hex';
import { ApiError } from '../../api/client';
import { hexAddress } from '../../lib/hex-text';
import { useMemoryStore } from '../memory';

/** A verify (alone or after a write) found bytes that differ: the job fails with this. */
export class VerifyFailed extends ApiError {
  constructor(r: VerifyResult) {
    const first = r.mismatches[0];
    super({
      code: 'verify-failed',
      message: `Verify failed: ${r.mismatchCount} byte${r.mismatchCount === 1 ? '' : 's'} differ${r.mismatchCount === 1 ? 's' : ''}${
        first ? `, the first at ${hexAddress(first.address)} (expected ${hex(first.expected, 2)}, chip has ${hex(first.actual, 2)})` : ''
      }.`,
      remedy: 'The differing bytes are marked in the hex view. Program again; if it keeps failing, check write protection (UBC) and the wiring.',
    });
  }
}

/** Marks what a verify found: the chip's bytes at the mismatches become "as on device". */
export function applyVerify(areas: MemoryArea[], r: VerifyResult): void {
  const memory = useMemoryStore();
  for (const a of areas) {
    const buf = memory.buffer(a)!;
    const device = buf.edited.slice();
    let bad = false;
    for (const m of r.mismatches) {
      if (buf.contains(m.address)) {
        device[m.address - buf.start] = m.actual;
        bad = true;
      }
    }
    buf.markVerified(!bad && r.ok, device);
    if (!r.ok && !bad && r.mismatchCount > 0) buf.state = 'verify-failed';
    memory.touch(a);
  }
}

/** A write or erase stopped part-way: the chip's bytes in these areas are unknown again. */
export function forgetDevice(areas: MemoryArea[]): void {
  const memory = useMemoryStore();
  for (const a of areas) {
    memory.buffer(a)?.forgetDevice();
    memory.touch(a);
  }
}
