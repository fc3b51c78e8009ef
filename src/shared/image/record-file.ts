/**
 * The reading loop the text formats (Intel HEX, S-records) share: the file's lines one at a
 * time with their pauses (record-lines.ts), nothing but an error after the end record, the
 * 24-bit address check and the data cap on every data record (parse-steps.ts DataBudget),
 * the end record required, and the overlap check (record-overlap.ts). Each format brings
 * the parser of its own records, and uses the length and checksum checks below.
 */
import { MAX_ADDRESS, formatAddress, formatByte, formatRange } from './address';
import { badFile } from './file-error';
import { MemoryImage } from './memory-image';
import { DataBudget, runSteps, type ParseSteps } from './parse-steps';
import { PAUSE, recordLines } from './record-lines';
import { checkRecordOverlaps, type LineRecord } from './record-overlap';
import { excerpt } from './text';

/** What one record comes to: bytes to load at an address, the end of the file, or nothing to load. */
export type RecordMeaning = { address: number; data: Uint8Array } | 'end' | 'nothing';

/** Reads the record of one line (in file order, so it may keep state), or throws badFile. */
export type RecordParser = (line: number, text: string) => RecordMeaning;

export interface RecordFormat {
  /** What the end record is called: "… follows the end record of line 12". */
  readonly endRecord: string;
  /** The error when the file has no end record. */
  readonly missingEnd: string;
  /** The remedy when data lies beyond the 24-bit address space. */
  readonly beyond24BitRemedy: string;
  /** A fresh parser for one file. */
  parser(fileName: string): RecordParser;
}

/** The remedy for a file that stops before its end record (or whose record count is off). */
export const NO_END_REMEDY = 'The file was probably cut short (interrupted copy or download). Rebuild it or copy it again.';

/** A format's two ways to read a file: straight through, or pausing now and then (parse-steps.ts). */
export interface RecordFileReader {
  parse(fileName: string, content: Uint8Array | string, maxDataBytes?: number): MemoryImage;
  steps(fileName: string, content: Uint8Array | string, maxDataBytes?: number): ParseSteps<MemoryImage>;
}

export function recordFileReader(format: RecordFormat): RecordFileReader {
  const steps = (fileName: string, content: Uint8Array | string, maxDataBytes = Infinity): ParseSteps<MemoryImage> => recordFileSteps(format, fileName, content, maxDataBytes);
  return { steps, parse: (fileName, content, maxDataBytes) => runSteps(steps(fileName, content, maxDataBytes)) };
}

/**
 * The parse of a text image file, line by line, pausing now and then (parse-steps.ts). Stops
 * as soon as the data passes `maxDataBytes`, so the memory it holds is bounded by that, not
 * by the file.
 */
function* recordFileSteps(format: RecordFormat, fileName: string, content: Uint8Array | string, maxDataBytes: number): ParseSteps<MemoryImage> {
  const parse = format.parser(fileName);
  const budget = new DataBudget(fileName, maxDataBytes);
  const dataRecords: LineRecord[] = [];
  let endLine = 0;
  let lastLine = 0;

  for (const item of recordLines(fileName, content)) {
    if (item === PAUSE) {
      yield PAUSE;
      continue;
    }
    const { line, text } = item;
    if (endLine) {
      throw badFile(fileName, { line }, 'after-end', `${excerpt(text)} follows the ${format.endRecord} of line ${endLine}`);
    }
    lastLine = line;
    const meaning = parse(line, text);
    if (meaning === 'end') endLine = line;
    else if (meaning !== 'nothing' && meaning.data.length > 0) {
      const { address: start, data } = meaning;
      const end = start + data.length - 1;
      if (end > MAX_ADDRESS) {
        throw badFile(
          fileName,
          { line },
          'beyond-24-bit',
          `data at ${formatRange({ start, end })} is beyond the 24-bit STM8 address space (highest address ${formatAddress(MAX_ADDRESS)})`,
          format.beyond24BitRemedy,
        );
      }
      budget.spend(data.length, `line ${line}`);
      dataRecords.push({ address: start, data, line });
    }
  }
  if (!endLine) {
    throw badFile(fileName, { line: lastLine || 1 }, 'missing-end', format.missingEnd, NO_END_REMEDY);
  }
  checkRecordOverlaps(fileName, dataRecords);
  return MemoryImage.fromSegments(fileName, dataRecords);
}

/**
 * The bytes a record's length field declares against those the line holds. `says` words the
 * field, e.g. "the count byte says 19 bytes follow".
 */
export function checkRecordLength(fileName: string, line: number, says: string, declared: number, present: number): void {
  if (present < declared) {
    throw badFile(fileName, { line }, 'truncated', `truncated record: ${says}, the line holds ${present}`);
  }
  if (present > declared) {
    throw badFile(fileName, { line }, 'too-long', `${says}, the line holds ${present}`);
  }
}

/** The record's last byte against `checksumOf` the sum of the bytes before it. */
export function checkRecordChecksum(fileName: string, line: number, bytes: Uint8Array, checksumOf: (sum: number) => number): void {
  let sum = 0;
  for (let i = 0; i < bytes.length - 1; i++) sum += bytes[i];
  const expected = checksumOf(sum);
  const stored = bytes[bytes.length - 1];
  if (stored !== expected) {
    throw badFile(fileName, { line }, 'bad-checksum', `bad checksum: the record ends with ${formatByte(stored)}, its bytes need ${formatByte(expected)}`);
  }
}
