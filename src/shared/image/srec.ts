/**
 * Motorola S-records (the format of ST Visual Programmer's .s19 files; record layout as in
 * the Motorola M68000 family reference, appendix C, and the srec(5) manual page):
 *   S0 header, S1/S2/S3 data with 16/24/32-bit addresses, S5/S6 count of data records
 *   (16/24-bit), S7/S8/S9 end with a 32/24/16-bit start address. S4 is reserved.
 * A record is: 'S', type digit, count byte (address + data + checksum bytes), address,
 * data, checksum = ones' complement of the low byte of the sum of count, address and data.
 */
import { AppError } from '../errors';
import { badFile } from './file-error';
import type { MemoryImage } from './memory-image';
import { NO_END_REMEDY, checkRecordChecksum, checkRecordLength, recordFileReader, type RecordFormat } from './record-file';
import { HEX_BYTE, excerpt, recordDigitsToBytes } from './text';

/** Address bytes of each record type; S4 is reserved and absent. */
const ADDRESS_BYTES: Record<number, number> = { 0: 2, 1: 2, 2: 3, 3: 4, 5: 2, 6: 3, 7: 4, 8: 3, 9: 2 };

const SREC: RecordFormat = {
  endRecord: 'end record',
  missingEnd: 'missing end record (S7, S8 or S9) after the last record',
  beyond24BitRemedy: 'The file was built for another processor, or its addresses are wrong.',
  parser(fileName) {
    let dataRecordCount = 0;
    return (line, text) => {
      if (text[0] !== 'S' && text[0] !== 's') {
        throw badFile(fileName, { line }, 'not-a-record', `${excerpt(text)} is not an S-record (records start with 'S' and a type digit)`);
      }
      const typeChar = text[1] ?? '';
      const type = /^[0-9]$/.test(typeChar) ? Number(typeChar) : -1;
      const addressBytes = ADDRESS_BYTES[type];
      if (addressBytes === undefined) {
        throw badFile(
          fileName,
          { line },
          'unknown-record',
          `unknown record type ${excerpt(text.slice(0, 2))} (S-records are S0 to S3 and S5 to S9)`,
        );
      }
      const bytes = recordDigitsToBytes(fileName, line, text.slice(2), 3);
      if (bytes.length < 1) {
        throw badFile(fileName, { line }, 'truncated', `truncated record: no count byte`);
      }
      const count = bytes[0];
      checkRecordLength(fileName, line, `the count byte says ${count} bytes follow`, count, bytes.length - 1);
      if (count < addressBytes + 1) {
        throw badFile(fileName, { line }, 'truncated', `truncated record: S${type} needs ${addressBytes} address bytes and a checksum, the count byte says ${count} bytes`);
      }
      checkRecordChecksum(fileName, line, bytes, (sum) => ~sum & 0xff);
      let address = 0;
      for (let i = 1; i <= addressBytes; i++) address = address * 256 + bytes[i];
      const data = bytes.subarray(1 + addressBytes, bytes.length - 1);

      switch (type) {
        case 0: // header: free text, nothing to load
          return 'nothing';
        case 1:
        case 2:
        case 3:
          dataRecordCount++;
          return { address, data };
        case 5:
        case 6: {
          // The count is the number of S1/S2/S3 records before it (16 or 24 bits wide).
          const modulus = type === 5 ? 0x10000 : 0x1000000;
          if (address !== dataRecordCount % modulus) {
            throw badFile(fileName, { line }, 'count-mismatch', `the count record says ${address} data records, the file has ${dataRecordCount} before it`, NO_END_REMEDY);
          }
          return 'nothing';
        }
        default: // 7, 8, 9: end of file, with a start address we do not need
          return 'end';
      }
    };
  },
};

/**
 * `parseSrec` parses an S-record file into a MemoryImage whose bytes are attributed to the file name;
 * `srecSteps` is the same parse, line by line, pausing now and then (record-file.ts).
 */
export const { parse: parseSrec, steps: srecSteps } = recordFileReader(SREC);

export interface SrecWriteOptions {
  /** Text of the S0 header (ST Visual Programmer puts the file name there). ASCII; cut to 64 characters. */
  header?: string;
  /** Data bytes per record, 1..250 (default 16). */
  bytesPerRecord?: number;
}

/**
 * Writes an image as S-records the way STVP saves .s19: S0 header, S1 data when every
 * address fits 16 bits (else S2, 24-bit), an S5 count (S6 past 65535 records), and the
 * matching terminator (S9 after S1, S8 after S2) with start address 0. LF line endings.
 */
export function writeSrec(image: MemoryImage, options: SrecWriteOptions = {}): string {
  const perRecord = options.bytesPerRecord ?? 16;
  if (!Number.isInteger(perRecord) || perRecord < 1 || perRecord > 250) {
    throw new AppError('invalid-argument', `S-records hold 1 to 250 data bytes here, not ${perRecord}`);
  }
  const wide = (image.bounds?.end ?? 0) > 0xffff;
  const dataType = wide ? 2 : 1;
  const lines: string[] = [];
  const headerText = (options.header ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
  lines.push(record(0, 0, 2, asciiBytes(headerText)));
  let count = 0;
  for (const seg of image.segments) {
    for (let at = 0; at < seg.data.length; at += perRecord) {
      lines.push(record(dataType, seg.address + at, wide ? 3 : 2, seg.data.subarray(at, at + perRecord)));
      count++;
    }
  }
  lines.push(count <= 0xffff ? record(5, count, 2, new Uint8Array(0)) : record(6, count, 3, new Uint8Array(0)));
  lines.push(wide ? record(8, 0, 3, new Uint8Array(0)) : record(9, 0, 2, new Uint8Array(0)));
  return lines.join('\n') + '\n';
}

function record(type: number, address: number, addressBytes: number, data: Uint8Array): string {
  let sum = addressBytes + data.length + 1;
  let out = 'S' + type + HEX_BYTE[sum];
  for (let i = addressBytes - 1; i >= 0; i--) {
    const b = Math.floor(address / 256 ** i) & 0xff;
    sum += b;
    out += HEX_BYTE[b];
  }
  for (const b of data) {
    sum += b;
    out += HEX_BYTE[b];
  }
  return out + HEX_BYTE[~sum & 0xff];
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
