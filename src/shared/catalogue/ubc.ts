/**
 * How many bytes at the start of flash a UBC (user boot code) option value write-protects.
 *
 * - STM8S/STM8AF medium and high density (and STLUX/STNRG, same controller): 512-byte pages
 *   (PIC stm8s208.inc "UBC {0..0x3e} 512 bytes row"; waveshare STM8 UBC notes: "the first two
 *   pages (1 KB) hold the vector table"). The STM8S105C6/207 datasheet table, as quoted by an ST
 *   moderator (STF STM8S207RBT6 thread) and on 86ic.net, reads 0x01 = pages 0-1, 0x02 = pages 0-3,
 *   0x03 = pages 0-4 ... 0x3E = pages 0-63, other values reserved; a user there measured 0x06 =
 *   the first 4 KB (8 pages). So: 1 → 2 pages, n ≥ 2 → n + 2 pages. SPL-S FLASH_GetBootSize
 *   (FPR × 512) reads the FPR register, not this option byte, so it does not contradict this.
 * - STM8S/STM8AF low density: 64-byte pages (waveshare: "the first two pages (128 bytes) hold
 *   the vector table"); the datasheet table was not retrieved, so n pages are counted plainly,
 *   capped at the flash size.
 * - STM8L/STM8AL/STM8L101/STM8TL: n pages of one block each (SPL-L FLASH_GetBootSize: UBC × 128
 *   on 128-byte-block parts), capped at the flash size.
 * Returns null for a code the datasheet calls reserved.
 */
import type { Part } from './types';

export function ubcProtectedBytes(part: Pick<Part, 'optionLayout' | 'ubcPageSize' | 'flash'>, value: number): number | null {
  const v = value & 0xff;
  if (v === 0) return 0;
  const page = part.ubcPageSize;
  if (page === 512) {
    if (v > 0x3e) return null;
    const pages = v === 1 ? 2 : v + 2;
    return Math.min(pages * page, part.flash.size);
  }
  return Math.min(v * page, part.flash.size);
}
