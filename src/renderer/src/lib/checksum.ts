/**
 * STVP's "Memory checksum": the sum of the bytes of an area, kept to 32 bits and shown in
 * hex (docs/spec/anchors.md §1.3, NETMOD215 shows "Memory checksum: 0x0" for an empty area).
 */
export function byteSum32(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum = (sum + bytes[i]) >>> 0;
  return sum;
}
