/**
 * The physical floor of a job (simulator.md §5), from the simulator's own timing model so
 * both sides of the ratio use one set of numbers: t_prog per block that must change (3 ms
 * when the block on the chip is already 0x00, 6 ms otherwise) plus the SWIM wire time of
 * every written byte and every verified byte at high speed. USB latency is not in it.
 */
import { programFloorMs, swimWireTimeMs } from '../src/main/sim/timing';

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
    if (have.every((b) => b === 0)) erasedBlocks++;
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Deterministic pseudo-random bytes (xorshift32), so every run benchmarks the same data. */
export function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
