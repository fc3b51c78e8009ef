import { formatRange } from './address';
import { badFile } from './file-error';

/** A data record of a text format, with the line it came from. */
export interface LineRecord {
  readonly address: number;
  readonly data: Uint8Array;
  readonly line: number;
}

/**
 * Refuses a file in which two records cover the same address, naming both lines. Linkers
 * never write such files; when one appears it was usually concatenated by hand, and
 * guessing which record wins would program the wrong byte. (nrf-intel-hex also refuses
 * them, without line numbers; this check gives the lines.)
 */
export function checkRecordOverlaps(fileName: string, records: readonly LineRecord[]): void {
  const sorted = records.filter((r) => r.data.length > 0).sort((a, b) => a.address - b.address || a.line - b.line);
  let reach: LineRecord | undefined; // the record reaching furthest so far
  for (const r of sorted) {
    if (reach && r.address < reach.address + reach.data.length) {
      const [first, second] = reach.line <= r.line ? [reach, r] : [r, reach];
      throw badFile(
        fileName,
        { line: second.line },
        'overlap',
        `data at ${formatRange({ start: second.address, end: second.address + second.data.length - 1 })} overlaps line ${first.line} (${formatRange({ start: first.address, end: first.address + first.data.length - 1 })})`,
        'Each address may appear once in a file. Rebuild the file, or split it and load the parts separately.',
      );
    }
    if (!reach || r.address + r.data.length > reach.address + reach.data.length) reach = r;
  }
}
