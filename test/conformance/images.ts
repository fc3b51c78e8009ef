/**
 * Test images for the conformance runs (reproducible bytes from src/shared/pseudo-random),
 * written as raw .bin files for OpenOCD's `load_image FILE ADDRESS bin`, and a readable
 * "first difference" for failures.
 */
import { writeFile } from 'node:fs/promises';

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
