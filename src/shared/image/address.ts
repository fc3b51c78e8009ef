/**
 * Address vocabulary shared by every image format: STM8 addresses are 24 bits wide
 * (PM0044: 16 MB linear program space), ranges are inclusive like the catalogue's
 * MemoryRegion (start..end), and addresses print the way datasheets write them.
 */
import { hex } from '../hex';

/** Highest STM8 address (24-bit address space). */
export const MAX_ADDRESS = 0xffffff;

/** An inclusive address range, same convention as MemoryRegion (end = last byte). */
export interface AddressRange {
  readonly start: number;
  /** Last address in the range (inclusive). */
  readonly end: number;
}

/** "0x8000", "0x18000": at least four hex digits, upper case, as datasheets print them. */
export function formatAddress(address: number): string {
  return hex(address, 4);
}

/** "0x8000–0x9FFF" (en dash), or a single address when the range is one byte. */
export function formatRange(range: AddressRange): string {
  return range.start === range.end ? formatAddress(range.start) : `${formatAddress(range.start)}–${formatAddress(range.end)}`;
}

/** "0x12": one byte, two hex digits. */
export function formatByte(value: number): string {
  return hex(value, 2);
}

/** Number of bytes in an inclusive range. */
export function rangeLength(range: AddressRange): number {
  return range.end - range.start + 1;
}

/** True when the two inclusive ranges share at least one address. */
export function rangesOverlap(a: AddressRange, b: AddressRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * `ranges` minus every range in `holes`, both lists inclusive. The result is sorted and
 * never contains empty ranges. Used to find bytes outside every memory of a part, and
 * the gaps of an image inside a window.
 */
export function subtractRanges(ranges: readonly AddressRange[], holes: readonly AddressRange[]): AddressRange[] {
  const sortedHoles = [...holes].sort((a, b) => a.start - b.start);
  const out: AddressRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    let cursor = r.start;
    for (const h of sortedHoles) {
      if (h.end < cursor) continue;
      if (h.start > r.end) break;
      if (h.start > cursor) out.push({ start: cursor, end: h.start - 1 });
      cursor = Math.max(cursor, h.end + 1);
      if (cursor > r.end) break;
    }
    if (cursor <= r.end) out.push({ start: cursor, end: r.end });
  }
  return out;
}
