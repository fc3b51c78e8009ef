/**
 * The lines of a text image file (Intel HEX, S-record), one at a time, straight from the
 * file's bytes: no string of the whole file and no array of every line is ever built, so a
 * file of 60 MB of blank lines costs a scan, not gigabytes. Lines end in LF, CRLF or a lone
 * CR; each is trimmed, and empty ones are skipped (their numbers still count).
 *
 * The iterator also yields a pause marker every PAUSE_EVERY_BYTES of input, so a caller
 * that must stay responsive (the app's main process) can give the event loop a turn in the
 * middle of a long file; synchronous callers just skip the markers.
 */
import { badFile } from './file-error';

/** A non-empty, trimmed line and its 1-based number. */
export interface RecordLine {
  readonly line: number;
  readonly text: string;
}

/** Yielded between lines now and then: a good moment to let other work run. */
export const PAUSE = null;

/** Bytes scanned between two pause markers. */
const PAUSE_EVERY_BYTES = 256 * 1024;

/**
 * Longest line accepted, before trimming. The longest record of either format is about
 * 520 characters (255 data bytes as hex digits plus the fields around them); a longer line
 * is no record, and refusing it early keeps a hostile file from being buffered whole.
 */
export const MAX_LINE_CHARS = 4096;

const LF = 0x0a;
const CR = 0x0d;
const DOS_EOF = 0x1a;

/**
 * Non-empty trimmed lines of `content` (bytes, or text already decoded), with PAUSE
 * markers in between. A UTF-8 byte-order mark at the start and a DOS end-of-file
 * character (0x1A) at the very end, which old editors and DOS tools add, are ignored.
 */
export function* recordLines(fileName: string, content: Uint8Array | string): Generator<RecordLine | typeof PAUSE> {
  // Text (from callers that decoded already) is scanned as UTF-16 code units, bytes as
  // they are: one scanning loop over an array of codes either way.
  const codes: Uint8Array | Uint16Array = typeof content === 'string' ? utf16(content) : content;
  const length = codes.length;
  let start = 0;
  if (codes[0] === 0xfeff) start = 1;
  else if (length >= 3 && codes[0] === 0xef && codes[1] === 0xbb && codes[2] === 0xbf) start = 3;

  let pending: RecordLine | undefined; // held back one line, so the last one can lose its 0x1A
  const at: Cursor = { i: start, line: 0 };
  let nextPause = start + PAUSE_EVERY_BYTES;
  while (at.i < length) {
    skipBlankLines(codes, at, Math.min(length, nextPause)); // the bulk of a hostile file, in one tight loop
    if (at.i >= nextPause) {
      nextPause = at.i + PAUSE_EVERY_BYTES;
      yield PAUSE;
      continue;
    }
    if (at.i >= length) break;
    at.line++;
    const from = at.i;
    const to = lineEnd(codes, from, Math.min(length, from + MAX_LINE_CHARS + 1)); // never scans past the limit
    if (to - from > MAX_LINE_CHARS) {
      throw badFile(fileName, { line: at.line }, 'too-long', `the line is longer than ${MAX_LINE_CHARS} characters; no record is that long`);
    }
    at.i = to;
    if (at.i < length && codes[at.i++] === CR && codes[at.i] === LF) at.i++; // CRLF is one line end
    const trimmed = String.fromCharCode.apply(null, codes.subarray(from, to) as unknown as number[]).trim();
    if (trimmed !== '') {
      if (pending) yield pending;
      pending = { line: at.line, text: trimmed };
    }
    if (at.i >= nextPause) {
      nextPause = at.i + PAUSE_EVERY_BYTES;
      yield PAUSE;
    }
  }
  if (pending) {
    const last = stripDosEof(pending.text);
    if (last !== '') yield { line: pending.line, text: last };
  }
}

interface Cursor {
  /** Index of the next code to read. */
  i: number;
  /** Number of the last line started. */
  line: number;
}

/** Steps over empty lines (LF, CRLF, lone CR) up to index `stop`, counting them. */
function skipBlankLines(codes: Uint8Array | Uint16Array, at: Cursor, stop: number): void {
  let i = at.i;
  let line = at.line;
  while (i < stop) {
    const c = codes[i];
    if (c === LF) i++;
    else if (c === CR) i += codes[i + 1] === LF ? 2 : 1;
    else break;
    line++;
  }
  at.i = i;
  at.line = line;
}

/** Index of the CR or LF ending the line that starts at `i`, or `stop` when there is none before it. */
function lineEnd(codes: Uint8Array | Uint16Array, i: number, stop: number): number {
  while (i < stop) {
    const c = codes[i];
    if (c === LF || c === CR) return i;
    i++;
  }
  return i;
}

function utf16(text: string): Uint16Array {
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function stripDosEof(text: string): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === DOS_EOF || /\s/.test(text[end - 1]))) end--;
  return text.slice(0, end);
}
