/**
 * Text forms of bytes and addresses for the hex views, and the parsers for what users type
 * into "go to", "find" and "fill" boxes. Pure functions: no DOM, no Vue.
 */
import { hex } from '#shared/hex';
import { HEX_BYTE } from '#shared/image/text';

/** "00".."FF", built once: the hex grid formats thousands of cells per frame. */
export { HEX_BYTE };

/** The ASCII column shows printable 7-bit characters and a dot for everything else. */
export const ASCII_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i >= 0x20 && i < 0x7f ? String.fromCharCode(i) : '.',
);

/** STM8 addresses are 24-bit; STVP prints them as 0x + 6 hex digits. */
export function hexAddress(address: number, digits = 6): string {
  return hex(address, digits);
}

/** A 32-bit value as 0x + 8 hex digits (STVP shows checksums this way). */
export function formatHex32(value: number): string {
  return hex(value >>> 0, 8);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * An address as typed by a user. Hex is the default, as in every hex editor and STVP
 * ("8000" = 0x8000); "0x8000", "$8000", "8000h" are hex too; "#32768" or "32768d" is decimal.
 */
export function parseAddress(text: string): Parsed<number> {
  const t = text.trim().replace(/_/g, '');
  if (t === '') return { ok: false, error: 'Type an address, e.g. 8000 or 0x8000.' };
  let digits = t;
  let radix = 16;
  if (/^0x/i.test(t)) digits = t.slice(2);
  else if (t.startsWith('$')) digits = t.slice(1);
  else if (/h$/i.test(t)) digits = t.slice(0, -1);
  else if (t.startsWith('#')) {
    digits = t.slice(1);
    radix = 10;
  } else if (/d$/i.test(t) && /^[0-9]+d$/i.test(t)) {
    digits = t.slice(0, -1);
    radix = 10;
  }
  const valid = radix === 16 ? /^[0-9a-f]+$/i : /^[0-9]+$/;
  if (!valid.test(digits)) return { ok: false, error: `"${text.trim()}" is not an address (hex like 8000 or 0x8000).` };
  const value = parseInt(digits, radix);
  if (value > 0xffffff) return { ok: false, error: `${hexAddress(value)} is beyond the 24-bit STM8 address space.` };
  return { ok: true, value };
}

/**
 * A byte sequence as typed by a user: hex pairs with optional spaces, commas or 0x prefixes
 * ("DE AD BE EF", "deadbeef", "0xDE,0xAD"), or a quoted string for ASCII ("\"Hello\"").
 */
export function parseByteSequence(text: string): Parsed<Uint8Array> {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'Type bytes in hex (e.g. DE AD BE EF) or text in quotes.' };
  const quoted = /^"(.*)"$/s.exec(t) ?? /^'(.*)'$/s.exec(t);
  if (quoted) {
    const bytes = asciiBytes(quoted[1]);
    return bytes ? { ok: true, value: bytes } : { ok: false, error: 'Only 7-bit ASCII characters can be searched as text.' };
  }
  const cleaned = t.replace(/0x/gi, '').replace(/[\s,;:]+/g, ' ').trim();
  const groups = cleaned.split(' ');
  const nibbles: string[] = [];
  for (const g of groups) {
    if (!/^[0-9a-f]+$/i.test(g)) return { ok: false, error: `"${g}" is not hex. Use pairs like DE AD, or "text" in quotes.` };
    // A lone digit in a spaced list means one byte ("A 1" = 0A 01); runs must be whole pairs.
    if (g.length % 2 === 1) {
      if (groups.length > 1 && g.length === 1) nibbles.push('0' + g);
      else return { ok: false, error: `"${g}" has an odd number of hex digits.` };
    } else {
      for (let i = 0; i < g.length; i += 2) nibbles.push(g.slice(i, i + 2));
    }
  }
  return { ok: true, value: Uint8Array.from(nibbles, (p) => parseInt(p, 16)) };
}

/** Bytes of a 7-bit ASCII string, or null when it holds anything else. */
export function asciiBytes(text: string): Uint8Array | null {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return null;
    out[i] = c;
  }
  return out;
}

/** Bytes as the clipboard carries them: space-separated hex pairs, 16 to a line. */
export function bytesToHexText(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row: string[] = [];
    for (let j = i; j < Math.min(i + 16, bytes.length); j++) row.push(HEX_BYTE[bytes[j]]);
    lines.push(row.join(' '));
  }
  return lines.join('\n');
}
