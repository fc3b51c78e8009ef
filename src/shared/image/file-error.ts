import { AppError } from '../errors';

/**
 * Why a file was rejected. Stable strings: tests and callers branch on them, people read
 * the message. One code ('bad-file') for every malformed file, the reason in details.
 */
export type BadFileReason =
  | 'not-a-record'
  | 'bad-character'
  | 'odd-digits'
  | 'truncated'
  | 'too-long'
  | 'bad-checksum'
  | 'unknown-record'
  | 'bad-record'
  | 'count-mismatch'
  | 'missing-end'
  | 'after-end'
  | 'beyond-24-bit'
  | 'overlap'
  | 'not-elf'
  | 'elf-class'
  | 'elf-type'
  | 'wrong-machine'
  | 'no-data';

/** Where in the file: a 1-based line for text formats, a byte offset for binary ones. */
export type FilePlace = { line: number } | { offset: number } | Record<string, never>;

/**
 * Builds the error every parser throws: "NAME:LINE: what is wrong" (or "NAME at offset
 * 0x34: ..."), the compiler-style prefix people and editors already understand.
 */
export function badFile(fileName: string, place: FilePlace, reason: BadFileReason, what: string, remedy?: string): AppError {
  let prefix = fileName;
  const details: Record<string, unknown> = { file: fileName, reason };
  if ('line' in place) {
    prefix += `:${place.line}`;
    details.line = place.line;
  } else if ('offset' in place) {
    prefix += ` at offset 0x${place.offset.toString(16).toUpperCase()}`;
    details.offset = place.offset;
  }
  return new AppError(
    'bad-file',
    `${prefix}: ${what}`,
    remedy ?? 'The file is damaged or not in the format its name says. Rebuild it or export it again from the tool that made it.',
    details,
  );
}
