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
  const text = typeof content === 'string';
  const length = content.length;
  const codeAt = text ? (i: number): number => content.charCodeAt(i) : (i: number): number => content[i];
  let start = 0;
  if (text && content.charCodeAt(0) === 0xfeff) start = 1;
  if (!text && length >= 3 && content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) start = 3;

  let pending: RecordLine | undefined; // held back one line, so the last one can lose its 0x1A
  let lineNumber = 0;
  let nextPause = start + PAUSE_EVERY_BYTES;
  let i = start;
  while (i < length) {
    lineNumber++;
    const from = i;
    while (i < length) {
      const c = codeAt(i);
      if (c === LF || c === CR) break;
      i++;
    }
    if (i - from > MAX_LINE_CHARS) {
      throw badFile(fileName, { line: lineNumber }, 'too-long', `the line is longer than ${MAX_LINE_CHARS} characters; no record is that long`);
    }
    const to = i;
    if (i < length) {
      const ending = codeAt(i++);
      if (ending === CR && i < length && codeAt(i) === LF) i++; // CRLF is one line end
    }
    if (to > from) {
      const trimmed = (text ? content.slice(from, to) : latin1(content, from, to)).trim();
      if (trimmed !== '') {
        if (pending) yield pending;
        pending = { line: lineNumber, text: trimmed };
      }
    }
    if (i >= nextPause) {
      nextPause = i + PAUSE_EVERY_BYTES;
      yield PAUSE;
    }
  }
  if (pending) {
    const last = stripDosEof(pending.text);
    if (last !== '') yield { line: pending.line, text: last };
  }
}

/** Bytes as a string, one character per byte: exact for the ASCII formats, and bad bytes stay visible. */
function latin1(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);
}

function stripDosEof(text: string): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === DOS_EOF || /\s/.test(text[end - 1]))) end--;
  return text.slice(0, end);
}
