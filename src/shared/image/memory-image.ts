import { AppError } from '../errors';
import { MAX_ADDRESS, type AddressRange, formatAddress, formatByte, formatRange, subtractRanges } from './address';

/**
 * A sparse memory image: bytes at 24-bit STM8 addresses, with holes where nothing was
 * written. Holes stay holes: the STM8 erased value is 0x00 (PM0051/PM0054 "erased state"),
 * not 0xFF, and padding either way would make a programmer overwrite bytes the user never
 * asked it to touch. Padding happens only when asked (toBytes with a fill byte,
 * withGapsFilled).
 *
 * Immutable: every operation returns a new image. Data is copied when it comes in, so
 * the caller's buffers never alias an image; the Uint8Arrays handed out (segments) are
 * read-only by contract and may be shared between images.
 *
 * Every byte remembers its source (usually a file name) so that an overlap between two
 * files can name both.
 */

/** Contiguous bytes starting at `address`. */
export interface Segment {
  readonly address: number;
  readonly data: Uint8Array;
}

/** A range of addresses and the source (file name) its bytes came from. */
export interface SourcedRange extends AddressRange {
  readonly source: string;
}

/** Internal run of bytes from one source. Runs are sorted, disjoint, and adjacent runs of one source are joined. */
interface Chunk {
  readonly address: number;
  readonly data: Uint8Array;
  readonly source: string;
}

/**
 * A plain-data copy of an image, for crossing IPC (structured clone keeps Uint8Arrays, but
 * not classes). Rebuild with MemoryImage.fromData, which checks it again.
 */
export interface MemoryImageData {
  chunks: { address: number; data: Uint8Array; source: string }[];
}

export class MemoryImage {
  readonly #chunks: readonly Chunk[];
  #segments: readonly Segment[] | undefined;

  private constructor(chunks: readonly Chunk[]) {
    this.#chunks = chunks;
  }

  /** An image with no bytes. */
  static empty(): MemoryImage {
    return EMPTY;
  }

  /**
   * Builds an image from segments that all come from `source`. Segments may arrive in
   * any order; overlapping segments must agree byte for byte, otherwise 'image-overlap'.
   * Addresses beyond 0xFFFFFF are refused ('image-address').
   */
  static fromSegments(source: string, segments: Iterable<Segment>): MemoryImage {
    const items = [...segments].filter((s) => s.data.length > 0);
    for (const s of items) checkAddresses(source, s.address, s.data.length);
    items.sort((a, b) => a.address - b.address);

    // Sweep in address order. Because starts are sorted, a segment can only overlap the
    // run being built (the run that reaches furthest), so one comparison suffices.
    const runs: { address: number; pieces: Uint8Array[]; length: number }[] = [];
    for (const s of items) {
      const last = runs.at(-1);
      const lastEnd = last ? last.address + last.length : -1;
      if (!last || s.address > lastEnd) {
        runs.push({ address: s.address, pieces: [s.data], length: s.data.length });
        continue;
      }
      const overlap = Math.min(lastEnd, s.address + s.data.length) - s.address;
      if (overlap > 0) {
        // Rare (in-file duplicates): flatten the run so it can be compared at random.
        const flat = concat(last.pieces, last.length);
        last.pieces = [flat];
        const base = s.address - last.address;
        for (let k = 0; k < overlap; k++) {
          if (flat[base + k] !== s.data[k]) {
            throw overlapError(
              { start: s.address, end: s.address + overlap - 1 },
              source,
              source,
              s.address + k,
              flat[base + k],
              s.data[k],
            );
          }
        }
      }
      if (overlap < s.data.length) {
        last.pieces.push(s.data.subarray(overlap));
        last.length += s.data.length - overlap;
      }
    }
    // concat() always allocates, so the image never shares memory with the caller.
    return new MemoryImage(runs.map((r) => ({ address: r.address, data: concat(r.pieces, r.length), source })));
  }

  /** One block of bytes at `address` (e.g. a raw binary file). */
  static fromBytes(source: string, address: number, data: Uint8Array): MemoryImage {
    return MemoryImage.fromSegments(source, [{ address, data }]);
  }

  /** Rebuilds an image from toData() output (e.g. received over IPC), checking it like any input. */
  static fromData(data: MemoryImageData): MemoryImage {
    const bySource = new Map<string, Segment[]>();
    for (const c of data.chunks) {
      const list = bySource.get(c.source) ?? [];
      list.push({ address: c.address, data: c.data });
      bySource.set(c.source, list);
    }
    return MemoryImage.mergeAll([...bySource].map(([source, segs]) => MemoryImage.fromSegments(source, segs)));
  }

  /** Plain data for IPC: every run of bytes with its source (copies, so the receiver may keep them). */
  toData(): MemoryImageData {
    return { chunks: this.#chunks.map((c) => ({ address: c.address, data: c.data.slice(), source: c.source })) };
  }

  /** Merges several images in order; see merge(). */
  static mergeAll(images: Iterable<MemoryImage>): MemoryImage {
    let out = EMPTY;
    for (const img of images) out = out.merge(img);
    return out;
  }

  /**
   * Contiguous blocks in address order, adjacent bytes joined whatever their source.
   * The arrays are read-only by contract.
   */
  get segments(): readonly Segment[] {
    this.#segments ??= joinAdjacent(this.#chunks, () => true).map((c) => ({ address: c.address, data: c.data }));
    return this.#segments;
  }

  /** Address ranges that hold data, sorted, adjacent ranges joined. */
  get ranges(): AddressRange[] {
    return this.segments.map((s) => ({ start: s.address, end: s.address + s.data.length - 1 }));
  }

  /** Which source each range of bytes came from, in address order. */
  get sources(): SourcedRange[] {
    return this.#chunks.map((c) => ({ start: c.address, end: c.address + c.data.length - 1, source: c.source }));
  }

  /** Number of bytes that hold data (holes not counted). */
  get byteCount(): number {
    let n = 0;
    for (const c of this.#chunks) n += c.data.length;
    return n;
  }

  get isEmpty(): boolean {
    return this.#chunks.length === 0;
  }

  /** Lowest and highest address holding data, or undefined for an empty image. */
  get bounds(): AddressRange | undefined {
    const first = this.#chunks[0];
    const last = this.#chunks.at(-1);
    if (!first || !last) return undefined;
    return { start: first.address, end: last.address + last.data.length - 1 };
  }

  /** The byte at `address`, or undefined when the image has no data there. */
  byteAt(address: number): number | undefined {
    const c = this.#chunkAt(address);
    return c ? c.data[address - c.address] : undefined;
  }

  /** The source of the byte at `address`, or undefined when the image has no data there. */
  sourceAt(address: number): string | undefined {
    return this.#chunkAt(address)?.source;
  }

  /**
   * This image plus `other`. Where both hold data the bytes must be equal (then the
   * byte keeps its first source); different data is an 'image-overlap' error naming both
   * sources, the overlapping range and the first differing byte.
   */
  merge(other: MemoryImage): MemoryImage {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    const a = this.#chunks;
    const b = other.#chunks;
    // Conflict check: walk both sorted lists once.
    for (let i = 0, j = 0; i < a.length && j < b.length; ) {
      const A = a[i];
      const B = b[j];
      const aEnd = A.address + A.data.length;
      const bEnd = B.address + B.data.length;
      const start = Math.max(A.address, B.address);
      const end = Math.min(aEnd, bEnd);
      for (let addr = start; addr < end; addr++) {
        const x = A.data[addr - A.address];
        const y = B.data[addr - B.address];
        if (x !== y) throw overlapError({ start, end: end - 1 }, A.source, B.source, addr, x, y);
      }
      if (aEnd <= bEnd) i++;
      else j++;
    }
    // Union: all of this image, plus the parts of `other` this image does not cover.
    const covered = this.sources;
    const pieces: Chunk[] = [...a];
    for (const B of b) {
      for (const r of subtractRanges([{ start: B.address, end: B.address + B.data.length - 1 }], covered)) {
        pieces.push({ address: r.start, data: B.data.subarray(r.start - B.address, r.end - B.address + 1), source: B.source });
      }
    }
    pieces.sort((x, y) => x.address - y.address);
    return new MemoryImage(joinAdjacent(pieces, (x, y) => x.source === y.source));
  }

  /** The bytes from `start` to `end` inclusive (the catalogue's region convention). */
  slice(start: number, end: number): MemoryImage {
    const out: Chunk[] = [];
    for (const c of this.#chunks) {
      const cEnd = c.address + c.data.length - 1;
      if (cEnd < start || c.address > end) continue;
      const s = Math.max(start, c.address);
      const e = Math.min(end, cEnd);
      out.push({ address: s, data: c.data.subarray(s - c.address, e - c.address + 1), source: c.source });
    }
    return new MemoryImage(out);
  }

  /** The bytes inside a region (a catalogue MemoryRegion or any inclusive range). */
  byRegion(region: AddressRange): MemoryImage {
    return this.slice(region.start, region.end);
  }

  /** Ranges inside `window` where this image has no data. */
  gaps(window: AddressRange): AddressRange[] {
    return subtractRanges([window], this.ranges);
  }

  /** The same bytes, every one now attributed to `source`. */
  withSource(source: string): MemoryImage {
    return new MemoryImage(joinAdjacent(this.#chunks.map((c) => ({ ...c, source })), () => true));
  }

  /** This image with every hole inside `window` filled with `fill` (attributed to `source`). */
  withGapsFilled(window: AddressRange, fill: number, source = 'fill'): MemoryImage {
    checkByte(fill);
    const holes = this.gaps(window).map((g) => ({ address: g.start, data: new Uint8Array(g.end - g.start + 1).fill(fill) }));
    return this.merge(MemoryImage.fromSegments(source, holes));
  }

  /**
   * The bytes from `start` to `end` inclusive as one array. A hole is an 'image-gap'
   * error unless `fill` is given: nothing is invented silently.
   */
  toBytes(start: number, end: number, fill?: number): Uint8Array {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end >= start && end <= MAX_ADDRESS)) {
      throw new AppError('invalid-argument', `Invalid address range ${start}..${end}`, undefined, { start, end });
    }
    const out = new Uint8Array(end - start + 1);
    if (fill !== undefined) {
      checkByte(fill);
      out.fill(fill);
    } else {
      const gaps = this.gaps({ start, end });
      if (gaps.length > 0) {
        const more = gaps.length > 1 ? ` and ${gaps.length - 1} more gap${gaps.length > 2 ? 's' : ''}` : '';
        throw new AppError(
          'image-gap',
          `The image has no data at ${formatRange(gaps[0])}${more} inside ${formatRange({ start, end })}`,
          'Give a fill byte for the gaps (the STM8 erased value is 0x00), or save a format that keeps gaps (Intel HEX, S-record).',
          { gaps, start, end },
        );
      }
    }
    for (const c of this.slice(start, end).#chunks) out.set(c.data, c.address - start);
    return out;
  }

  /** Same addresses and same bytes (sources are not compared). */
  equals(other: MemoryImage): boolean {
    const x = this.segments;
    const y = other.segments;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      if (x[i].address !== y[i].address || x[i].data.length !== y[i].data.length) return false;
      const dx = x[i].data;
      const dy = y[i].data;
      for (let k = 0; k < dx.length; k++) if (dx[k] !== dy[k]) return false;
    }
    return true;
  }

  #chunkAt(address: number): Chunk | undefined {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = chunks[mid];
      if (address < c.address) hi = mid - 1;
      else if (address >= c.address + c.data.length) lo = mid + 1;
      else return c;
    }
    return undefined;
  }
}

const EMPTY = MemoryImage.fromSegments('', []);

function checkAddresses(source: string, address: number, length: number): void {
  if (!Number.isInteger(address) || address < 0 || address + length - 1 > MAX_ADDRESS) {
    const shown = Number.isInteger(address) && address >= 0 ? formatRange({ start: address, end: address + length - 1 }) : String(address);
    throw new AppError(
      'image-address',
      `${source ? source + ': ' : ''}data at ${shown} is outside the 24-bit STM8 address space (highest address ${formatAddress(MAX_ADDRESS)})`,
      'STM8 addresses run from 0x000000 to 0xFFFFFF. Check the base address or the tool that produced the data.',
      { source, address, length },
    );
  }
}

function checkByte(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new AppError('invalid-argument', `Fill value ${value} is not a byte (0x00..0xFF)`);
  }
}

function overlapError(range: AddressRange, srcA: string, srcB: string, at: number, a: number, b: number): AppError {
  const where = formatRange(range);
  const message =
    srcA === srcB
      ? `${srcA} holds ${where} twice with different data (first difference at ${formatAddress(at)}: ${formatByte(a)}, then ${formatByte(b)})`
      : `${srcA} and ${srcB} both hold ${where} with different data (first difference at ${formatAddress(at)}: ${formatByte(a)} in ${srcA}, ${formatByte(b)} in ${srcB})`;
  return new AppError(
    'image-overlap',
    message,
    'Load only one of them, or rebuild them so that they do not put different data at the same addresses.',
    { range, sources: [srcA, srcB], address: at },
  );
}

/** Joins runs that touch (end + 1 === next start) when `same` allows it; one allocation per joined group. */
function joinAdjacent(chunks: readonly Chunk[], same: (a: Chunk, b: Chunk) => boolean): Chunk[] {
  const out: Chunk[] = [];
  let group: Chunk[] = [];
  let groupLength = 0;
  const flush = (): void => {
    if (group.length === 0) return;
    const first = group[0];
    out.push(group.length === 1 ? first : { address: first.address, data: concat(group.map((g) => g.data), groupLength), source: first.source });
    group = [];
    groupLength = 0;
  };
  for (const c of chunks) {
    const prev = group.at(-1);
    if (prev && (prev.address + prev.data.length !== c.address || !same(prev, c))) flush();
    group.push(c);
    groupLength += c.data.length;
  }
  flush();
  return out;
}

function concat(pieces: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
