/**
 * Reading OpenOCD's console output: memory dumps (`mdb`) and the transfer-rate lines of
 * `load_image` / `verify_image`, which benchmarks use to time OpenOCD's own work without
 * its process start-up.
 */

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

export interface OpenOcdTransfer {
  kind: 'downloaded' | 'verified';
  bytes: number;
  seconds: number;
}

/** "downloaded 4096 bytes in 0.369150s (10.836 KiB/s)" and "verified 4096 bytes in 0.0738s ...", in order. */
export function parseTransfers(output: string): OpenOcdTransfer[] {
  return [...output.matchAll(/^(downloaded|verified) (\d+) bytes in ([\d.]+)s/gm)].map((m) => ({
    kind: m[1] as OpenOcdTransfer['kind'],
    bytes: Number(m[2]),
    seconds: Number(m[3]),
  }));
}
