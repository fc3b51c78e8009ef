/**
 * Helpers shared by the two text formats (Intel HEX, Motorola S-record): text to bytes for
 * the writers, excerpts for messages, and a record's hex digits to bytes with an error
 * that names the file and line.
 */
import { badFile } from './file-error';

/** Text to bytes for the writers (ASCII only by construction). */
export function textToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

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
