/**
 * Turning a serial number into the bytes written to the chip. Every encoding refuses a value
 * it cannot hold (never a silent wrap: two boards with the same bytes would be two boards
 * with the same serial).
 */
import { AppError } from '#shared/errors';
import type { SerialEncoding } from './recipe-schema';

export interface SerialFormat {
  encoding: SerialEncoding;
  length?: number;
  format?: string;
}

/** A serial number: from start/step it is a number, from a list file it is the line's text. */
export type SerialValue = number | string;

function tooBig(value: SerialValue, what: string): AppError {
  return new AppError('serial-out-of-range', `Serial number ${value} does not fit ${what}.`, 'Choose a wider encoding, a smaller start or step, or a shorter list entry.', {
    serial: value,
  });
}

function asNumber(value: SerialValue, what: string): number {
  const n = typeof value === 'number' ? value : /^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(value) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new AppError('bad-serial', `Serial "${value}" is not a whole number, which ${what} needs.`, 'Use numbers in the serial list, or the "ascii" encoding.', { serial: value });
  }
  return n;
}

function unsigned(n: number, bytes: number, littleEndian: boolean, value: SerialValue, what: string): Uint8Array {
  if (n >= 2 ** (8 * bytes)) throw tooBig(value, what);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[littleEndian ? i : bytes - 1 - i] = Math.floor(n / 2 ** (8 * i)) & 0xff;
  return out;
}

/** Packed BCD, most significant digit first, two digits a byte, padded with leading zeros. */
function bcd(n: number, bytes: number, value: SerialValue): Uint8Array {
  const digits = String(n);
  if (digits.length > bytes * 2) throw tooBig(value, `${bytes} BCD bytes`);
  const padded = digits.padStart(bytes * 2, '0');
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (Number(padded[2 * i]) << 4) | Number(padded[2 * i + 1]);
  return out;
}

const FORMAT_FIELD = /%(0?)(\d*)([dX])/;

/** The text a printf-like format gives for `n` ("SN%06d", 42 → "SN000042"). */
export function formatSerialText(format: string, n: number): string {
  const m = FORMAT_FIELD.exec(format);
  if (!m || FORMAT_FIELD.test(format.slice(m.index + m[0].length))) {
    throw new AppError('bad-recipe', `The serial format "${format}" must hold exactly one %d or %X field.`, 'Write e.g. "SN%06d".');
  }
  const text = m[3] === 'X' ? n.toString(16).toUpperCase() : String(n);
  const width = m[2] ? Number(m[2]) : 0;
  return format.slice(0, m.index) + text.padStart(width, m[1] ? '0' : ' ') + format.slice(m.index + m[0].length);
}

function ascii(text: string, length: number | undefined, value: SerialValue): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new AppError('bad-serial', `Serial "${text}" holds characters other than printable ASCII.`, 'Use printable ASCII in the serial format or list.', { serial: value });
  }
  const size = length ?? text.length;
  if (text.length > size) throw tooBig(value, `${size} ASCII bytes`);
  const out = new Uint8Array(size);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** The bytes `value` is written as. */
export function encodeSerial(value: SerialValue, f: SerialFormat): Uint8Array {
  switch (f.encoding) {
    case 'u32le':
      return unsigned(asNumber(value, 'u32le'), 4, true, value, '32 bits');
    case 'u32be':
      return unsigned(asNumber(value, 'u32be'), 4, false, value, '32 bits');
    case 'u16le':
      return unsigned(asNumber(value, 'u16le'), 2, true, value, '16 bits');
    case 'u16be':
      return unsigned(asNumber(value, 'u16be'), 2, false, value, '16 bits');
    case 'bcd':
      return bcd(asNumber(value, 'bcd'), f.length ?? 4, value);
    case 'ascii':
      return ascii(typeof value === 'string' ? value : formatSerialText(f.format ?? '%d', value), f.length, value);
  }
}
