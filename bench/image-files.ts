/**
 * `npx tsx bench/image-files.ts`: how long reading hostile and large image files takes,
 * against a floor (counting the file's line ends in one tight loop, the least any
 * line-by-line reader must do), one line per case:
 *   RESULT case=NAME parse_ms=N floor_ms=N ratio=R heap_mb=N
 * heap_mb is the growth of the JS heap plus array buffers across the parse (what the
 * parse keeps alive at its peak is bounded by the data cap, not the file). Benchmarks
 * print; they never fail on a number.
 */
import { readImage } from '#shared/image/format';
import { hexRecord } from '../test/unit/image/records';

const MB = 1024 * 1024;
const END = `${hexRecord(1, 0)}\n`;

function lineEnds(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function refusedOrParsed(name: string, bytes: Uint8Array): void {
  try {
    readImage(name, bytes);
  } catch {
    // a refusal is an answer too: the time to reach it is what is measured
  }
}

const cases: [string, string, () => Uint8Array][] = [
  ['blank-lines-60mb', 'blank.hex', () => Buffer.concat([Buffer.alloc(60 * MB, 0x0a), Buffer.from(END)])],
  ['crlf-blank-lines-60mb', 'crlf.hex', () => Buffer.concat([Buffer.from('\r\n'.repeat(30 * MB)), Buffer.from(END)])],
  [
    'valid-hex-35mb',
    'big.hex',
    () => {
      const lines: string[] = [];
      for (let a = 0; lines.length < 800_000; a += 16) {
        if (a % 0x10000 === 0) lines.push(hexRecord(4, 0, [0, a >>> 16]));
        lines.push(hexRecord(0, a & 0xffff, new Array<number>(16).fill(0x11)));
      }
      return Buffer.from(lines.join('\n') + '\n' + END, 'latin1');
    },
  ],
  [
    'hex-128k-of-data',
    'fits.hex',
    () => {
      const lines: string[] = [];
      for (let a = 0; a < 128 * 1024; a += 16) {
        if (a % 0x10000 === 0) lines.push(hexRecord(4, 0, [0, a >>> 16]));
        lines.push(hexRecord(0, a & 0xffff, new Array<number>(16).fill(0x22)));
      }
      return Buffer.from(lines.join('\n') + '\n' + END, 'latin1');
    },
  ],
];

for (const [name, file, make] of cases) {
  const bytes = make();
  refusedOrParsed(file, bytes); // warm up
  lineEnds(bytes);
  const floor = Math.min(...[0, 1, 2].map(() => time(() => lineEnds(bytes))));
  const before = memory();
  const parse = Math.min(...[0, 1, 2].map(() => time(() => refusedOrParsed(file, bytes))));
  const heap = (memory() - before) / MB;
  console.log(`RESULT case=${name} size_mb=${(bytes.length / MB).toFixed(1)} parse_ms=${parse.toFixed(1)} floor_ms=${floor.toFixed(1)} ratio=${(parse / floor).toFixed(2)} heap_mb=${heap.toFixed(1)}`);
}
