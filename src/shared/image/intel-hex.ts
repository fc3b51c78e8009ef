/**
 * Intel HEX (Intel "Hexadecimal Object File Format Specification" rev. A, 1988): record
 * types 00 data, 01 end of file, 02 extended segment address, 03 start segment address,
 * 04 extended linear address, 05 start linear address. Types 02/04 carry STM8 parts
 * above 64 KB (flash continues to 0x27FFF on 128 KB parts).
 *
 * Reading is our own, line by line, so that each error names the file and the LINE and a
 * huge file is never held as text (nrf-intel-hex counts records, not lines, and parses a
 * whole string). Writing uses nrf-intel-hex.
 */
// We use nrf-intel-hex, not intel-hex: intel-hex cannot write files and flattens all regions into one 0xFF-padded buffer.
import MemoryMap from 'nrf-intel-hex';
import { AppError } from '../errors';
import { formatAddress, formatByte } from './address';
import { badFile } from './file-error';
import type { MemoryImage } from './memory-image';
import { checkRecordChecksum, checkRecordLength, recordFileReader, type RecordFormat } from './record-file';
import { excerpt, recordDigitsToBytes } from './text';

const DATA = 0x00;
const END_OF_FILE = 0x01;
const EXTENDED_SEGMENT = 0x02;
const START_SEGMENT = 0x03;
const EXTENDED_LINEAR = 0x04;
const START_LINEAR = 0x05;

/** Data bytes each record type must carry (data records: any length). */
const FIXED_LENGTH: Record<number, number> = {
  [END_OF_FILE]: 0,
  [EXTENDED_SEGMENT]: 2,
  [START_SEGMENT]: 4,
  [EXTENDED_LINEAR]: 2,
  [START_LINEAR]: 4,
};

const INTEL_HEX: RecordFormat = {
  endRecord: 'end-of-file record',
  missingEnd: 'missing end-of-file record (:00000001FF) after the last record',
  beyond24BitRemedy: 'The file was built for another processor, or its extended address records are wrong.',
  parser(fileName) {
    let base = 0; // from the last 02/04 record
    return (line, text) => {
      if (text[0] !== ':') {
        throw badFile(fileName, { line }, 'not-a-record', `${excerpt(text)} is not an Intel HEX record (records start with ':')`);
      }
      const bytes = recordDigitsToBytes(fileName, line, text.slice(1), 2);
      if (bytes.length < 5) {
        throw badFile(fileName, { line }, 'truncated', `truncated record: ${bytes.length} bytes, but a record needs at least 5 (length, address, type, checksum)`);
      }
      const length = bytes[0];
      checkRecordLength(fileName, line, `the length byte says ${length} data bytes`, length, bytes.length - 5);
      checkRecordChecksum(fileName, line, bytes, (sum) => -sum & 0xff); // two's complement of the byte sum (Intel HEX spec)
      const offset = (bytes[1] << 8) | bytes[2];
      const type = bytes[3];
      const data = bytes.subarray(4, 4 + length);
      if (type > START_LINEAR) {
        throw badFile(fileName, { line }, 'unknown-record', `unknown record type ${formatByte(type)} (Intel HEX defines 00 to 05)`);
      }
      if (type !== DATA) {
        if (data.length !== FIXED_LENGTH[type]) {
          throw badFile(fileName, { line }, 'bad-record', `a type ${formatByte(type)} record carries ${FIXED_LENGTH[type]} data bytes, this one ${data.length}`);
        }
        if (offset !== 0) {
          throw badFile(fileName, { line }, 'bad-record', `a type ${formatByte(type)} record must have address field 0000, this one has ${offset.toString(16).toUpperCase().padStart(4, '0')}`);
        }
      }
      switch (type) {
        case DATA:
          if (offset + data.length > 0x10000) {
            // The spec wraps such records inside their 64 KB block; linkers never write them.
            throw badFile(fileName, { line }, 'bad-record', `data at offset ${formatAddress(offset)} runs past the end of its 64 KB block (offset 0xFFFF)`);
          }
          return { address: base + offset, data }; // an empty one loads nothing (nrf-intel-hex would count it as a block)
        case END_OF_FILE:
          return 'end';
        case EXTENDED_SEGMENT:
          base = ((data[0] << 8) | data[1]) << 4; // segment * 16
          return 'nothing';
        case EXTENDED_LINEAR:
          base = ((data[0] << 8) | data[1]) * 0x10000; // upper 16 bits of a 32-bit address
          return 'nothing';
        default: // 03, 05: start addresses for x86 CPUs; nothing to load
          return 'nothing';
      }
    };
  },
};

/**
 * `parseIntelHex` parses an Intel HEX file into a MemoryImage whose bytes are attributed to the file name;
 * `intelHexSteps` is the same parse, line by line, pausing now and then (record-file.ts).
 */
export const { parse: parseIntelHex, steps: intelHexSteps } = recordFileReader(INTEL_HEX);

export interface IntelHexWriteOptions {
  /** Data bytes per record, 1..255 (default 16, as SDCC and objcopy write). */
  bytesPerRecord?: number;
}

/**
 * Writes an image as Intel HEX: type 00 data, a type 04 record before each 64 KB block
 * above the first, type 01 end. Gaps stay gaps. LF line endings, and a final newline.
 */
export function writeIntelHex(image: MemoryImage, options: IntelHexWriteOptions = {}): string {
  const perRecord = options.bytesPerRecord ?? 16;
  if (!Number.isInteger(perRecord) || perRecord < 1 || perRecord > 255) {
    throw new AppError('invalid-argument', `Intel HEX records hold 1 to 255 data bytes, not ${perRecord}`);
  }
  const map = new MemoryMap(image.segments.map((s): [number, Uint8Array] => [s.address, s.data]));
  const text = map.asHexString(perRecord);
  // The library opens every file with a type 04 record, even for 0x0000, where it changes
  // nothing. Drop that one so images below 64 KB come out as SDCC writes them (types 00
  // and 01 only), readable by the oldest 16-bit-only HEX readers.
  const redundant = ':020000040000FA\n';
  return (text.startsWith(redundant) ? text.slice(redundant.length) : text) + '\n';
}
