/**
 * Test images for the conformance runs: reproducible pseudo-random bytes (the seed reproduces
 * the exact image), written as raw .bin files for OpenOCD's `load_image FILE ADDRESS bin`,
 * and a readable "first difference" for failures.
 */
import { writeFile } from 'node:fs/promises';

/** xorshift32: small, deterministic, good enough to make every byte of a block matter. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  let x = seed >>> 0 || 0x9e3779b9;
  const out = new Uint8Array(length);
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

export async function writeBin(path: string, bytes: Uint8Array): Promise<string> {
  await writeFile(path, bytes);
  return path;
}

/** A short hex dump of where two buffers first differ, for readable failures. */
export function firstDifference(actual: Uint8Array, expected: Uint8Array, base = 0): string | null {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      const from = Math.max(0, i - 4);
      const hex = (b: Uint8Array) =>
        Array.from(b.subarray(from, from + 16), (v) => v.toString(16).padStart(2, '0')).join(' ');
      return `first difference at 0x${(base + i).toString(16)}: actual [${hex(actual)}] expected [${hex(expected)}] (from 0x${(base + from).toString(16)})`;
    }
  }
  return null;
}
