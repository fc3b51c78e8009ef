/**
 * The physical floor of a job (docs/spec/simulator.md §5), from the simulator's own timing model so
 * both sides of the ratio use one set of numbers: t_prog per block that must change (3 ms
 * when the block on the chip is already 0x00, 6 ms otherwise) plus the SWIM wire time of
 * every written byte and every verified byte at high speed. USB latency is not in it.
 */
import { programFloorMs, swimWireTimeMs } from '../src/main/sim/timing';
import { isAllZero, sameBytes } from '#shared/bytes';

/** Floor of writing `image` over `before` (both the same length, block aligned) and verifying it. */
export function programFloor(image: Uint8Array, before: Uint8Array, blockSize: number): number {
  let erasedBlocks = 0;
  let usedBlocks = 0;
  let writtenBytes = 0;
  for (let off = 0; off < image.length; off += blockSize) {
    const want = image.subarray(off, off + blockSize);
    const have = before.subarray(off, off + blockSize);
    if (sameBytes(want, have)) continue;
    writtenBytes += want.length;
    if (isAllZero(have)) erasedBlocks++;
    else usedBlocks++;
  }
  return programFloorMs({ erasedBlocks, usedBlocks, writtenBytes, verifiedBytes: writtenBytes });
}

/**
 * Floor of re-flashing an image the chip already holds: nothing to program, but every byte
 * must be read once to know that (the "read-only floor").
 */
export function readOnlyFloor(bytes: number): number {
  return swimWireTimeMs(bytes, true);
}
