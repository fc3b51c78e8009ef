/**
 * Test images for the conformance runs: reproducible pseudo-random bytes (a seed printed on
 * failure reproduces the exact image), written as raw .bin files for OpenOCD's
 * `load_image FILE ADDRESS bin`.
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

/** Parses OpenOCD's `mdb ADDR N` output ("0x00004800: 00 00 ff ...") into address → byte. */
export function parseMdb(output: string): Map<number, number> {
  const bytes = new Map<number, number>();
  for (const m of output.matchAll(/^0x([0-9a-f]{8}):((?: [0-9a-f]{2})+)/gim)) {
    const base = parseInt(m[1], 16);
    m[2]
      .trim()
      .split(/\s+/)
      .forEach((h, i) => bytes.set(base + i, parseInt(h, 16)));
  }
  return bytes;
}

/** Bytes [start, start+length) from an address map, or null where one is missing. */
export function mapRange(map: Map<number, number>, start: number, length: number): (number | null)[] {
  return Array.from({ length }, (_, i) => map.get(start + i) ?? null);
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
