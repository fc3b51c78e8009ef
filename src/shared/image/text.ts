/**
 * Helpers shared by the two text formats (Intel HEX, Motorola S-record): decoding file
 * bytes, splitting lines, and turning a record's hex digits into bytes with an error that
 * names the file and line.
 */
import { badFile } from './file-error';

/**
 * File bytes to text. The formats are pure ASCII, so a byte-per-char (latin1) decode is
 * exact for good files and keeps bad bytes visible in error messages. A UTF-8 byte-order
 * mark, which some Windows editors add, is dropped.
 */
export function bytesToText(bytes: Uint8Array): string {
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  let out = '';
  const CHUNK = 0x8000; // String.fromCharCode's argument list must stay small
  for (let i = start; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + CHUNK)));
  }
  return out;
}

/** Text to bytes for the writers (ASCII only by construction). */
export function textToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Accepts a file as bytes or already-decoded text. */
export function asText(content: Uint8Array | string): string {
  return typeof content === 'string' ? content.replace(/^\uFEFF/, '') : bytesToText(content);
}

/**
 * Lines with their 1-based numbers, trimmed. Accepts LF, CRLF and lone CR endings; a DOS
 * end-of-file character (0x1A) at the very end is ignored, as old DOS tools appended one.
 */
export function numberedLines(text: string): { line: number; text: string }[] {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === DOS_EOF || /\s/.test(text[end - 1]))) end--;
  return text
    .slice(0, end)
    .split(/\r\n|\r|\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }));
}

const DOS_EOF = 0x1a;

/** Shows an offending piece of a line without flooding the message. */
export function excerpt(text: string, max = 24): string {
  const shown = text.length > max ? text.slice(0, max) + '…' : text;
  return JSON.stringify(shown);
}

/**
 * Hex digits of one record to bytes. Rejects characters that are not hex digits and an
 * odd number of digits, each with the file name and line.
 */
export function recordDigitsToBytes(fileName: string, line: number, digits: string, column: number): Uint8Array {
  const out = new Uint8Array(digits.length >> 1);
  for (let i = 0; i < digits.length; i++) {
    const v = HEX_VALUE[digits.charCodeAt(i)] ?? -1;
    if (v < 0) {
      const code = digits.charCodeAt(i);
      const shown = code < 0x20 || code > 0x7e ? `byte 0x${code.toString(16).toUpperCase().padStart(2, '0')}` : `'${digits[i]}'`;
      throw badFile(fileName, { line }, 'bad-character', `${shown} at column ${column + i} is not a hex digit`);
    }
    if (i & 1) out[i >> 1] |= v;
    else if (i < out.length * 2) out[i >> 1] = v << 4;
  }
  if (digits.length % 2 !== 0) {
    throw badFile(fileName, { line }, 'odd-digits', `odd number of hex digits (${digits.length}): a record is whole bytes, two digits each`);
  }
  return out;
}

/** Value of each ASCII hex digit by character code; -1 for everything else. */
const HEX_VALUE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let d = 0; d < 16; d++) {
    t['0123456789ABCDEF'.charCodeAt(d)] = d;
    t['0123456789abcdef'.charCodeAt(d)] = d;
  }
  return t;
})();

/** Two upper-case hex digits for every byte value, for the writers. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));
