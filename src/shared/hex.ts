/**
 * Hexadecimal numbers for people: addresses and byte values in messages, reports and listings.
 * Upper-case digits, as in ST's reference manuals and datasheets.
 */

/** "0x8000": `0x` and at least `width` upper-case digits (4 by default: an STM8 address). */
export function hex(n: number, width = 4): string {
  return '0x' + hexDigits(n, width);
}

/** At least `width` upper-case hex digits, no prefix: hexDigits(0xa, 2) → "0A". */
export function hexDigits(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/** "0x0A": a byte value as an STM8 reference manual writes it. */
export function hex2(n: number): string {
  return hex(n & 0xff, 2);
}
