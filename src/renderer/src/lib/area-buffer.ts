/**
 * One memory area of the target as the app holds it (a "tab" in STVP's words): the bytes
 * as edited (what Program writes), the bytes as on the device (what was last read,
 * programmed or erased; null while unknown), which bytes the user changed by hand, and the
 * area's state. Pure data and rules, no Vue: the memory store wraps it and tells the views
 * when it changed through `revision`. Not to be confused with src/shared/image's
 * MemoryImage, which is the sparse contents of a firmware file.
 */
import type { RegionKind } from '#shared/catalogue/types';
import { byteSum32 } from './checksum';

/** STVP's per-area status words, plus the ones a modern tool needs. */
export type AreaState = 'empty' | 'loaded' | 'read' | 'edited' | 'programmed' | 'verified' | 'erased' | 'verify-failed';

/** STM8 flash and EEPROM read 0x00 when erased (docs/spec/stm8-target.md §5): the buffer's blank value. */
const ERASED_BYTE = 0x00;

export class AreaBuffer {
  readonly kind: RegionKind;
  readonly start: number;
  readonly size: number;
  /** What Program writes. Starts blank, as STVP fills the buffer before loading a file. */
  readonly edited: Uint8Array;
  /** As on the device, or null while never read/programmed/erased in this session. */
  device: Uint8Array | null = null;
  /** 1 where the user changed the byte by hand (typing, fill, paste) since the last load or read. */
  readonly touched: Uint8Array;
  state: AreaState = 'empty';
  /** Name of the file the buffer came from, if any. */
  fileName: string | null = null;
  /** True when the buffer holds changes not yet written to a file. */
  unsaved = false;
  /** Bumped on every change, so views know to redraw without deep-watching 128 KB. */
  revision = 0;

  constructor(kind: RegionKind, start: number, size: number) {
    this.kind = kind;
    this.start = start;
    this.size = size;
    this.edited = new Uint8Array(size).fill(ERASED_BYTE);
    this.touched = new Uint8Array(size);
  }

  get end(): number {
    return this.start + this.size - 1;
  }

  contains(address: number): boolean {
    return address >= this.start && address <= this.end;
  }

  /** True when the byte at `offset` is known to differ from the device. */
  differs(offset: number): boolean {
    return this.device !== null && this.device[offset] !== this.edited[offset];
  }

  differenceCount(): number {
    if (!this.device) return 0;
    let n = 0;
    for (let i = 0; i < this.size; i++) if (this.device[i] !== this.edited[i]) n++;
    return n;
  }

  touchedCount(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) n += this.touched[i];
    return n;
  }

  checksum(): number {
    return byteSum32(this.edited);
  }

  /** A hand edit of one byte. Returns false (and changes nothing) outside the area. */
  setByte(offset: number, value: number): boolean {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.size) return false;
    const v = value & 0xff;
    if (this.edited[offset] !== v) {
      this.edited[offset] = v;
      this.touched[offset] = 1;
      this.afterEdit();
    }
    return true;
  }

  /** Fill [from, to] (inclusive offsets) with one value. Returns how many bytes were filled. */
  fill(from: number, to: number, value: number): number {
    const a = Math.max(0, Math.min(from, to));
    const b = Math.min(this.size - 1, Math.max(from, to));
    if (b < a) return 0;
    this.edited.fill(value & 0xff, a, b + 1);
    this.touched.fill(1, a, b + 1);
    this.afterEdit();
    return b - a + 1;
  }

  /** Write bytes starting at `offset`, clipped to the area. Returns how many landed. */
  paste(offset: number, bytes: Uint8Array): number {
    if (offset < 0 || offset >= this.size) return 0;
    const n = Math.min(bytes.length, this.size - offset);
    this.edited.set(bytes.subarray(0, n), offset);
    this.touched.fill(1, offset, offset + n);
    if (n > 0) this.afterEdit();
    return n;
  }

  /**
   * A file's bytes for this area: the buffer is filled blank first and the pieces laid on
   * top (docs/spec/anchors.md §1.3: STVP's FillImageMemory then LoadFile), so uncovered bytes are
   * programmed as erased ones.
   */
  loadPieces(pieces: { offset: number; data: Uint8Array }[], fileName: string): void {
    this.edited.fill(ERASED_BYTE);
    for (const p of pieces) this.edited.set(p.data, p.offset);
    this.replacedBy('loaded', fileName);
  }

  /** The device was read: both views become what the chip holds. */
  takeRead(bytes: Uint8Array): void {
    this.device = bytes.slice(0, this.size);
    this.edited.set(this.device);
    // What came off the chip is not an edit: closing does not need to ask about it.
    this.replacedBy('read', null);
  }

  /** The buffer holds a whole new source, a file or the chip: no hand edits, nothing unsaved. */
  private replacedBy(state: 'loaded' | 'read', fileName: string | null): void {
    this.touched.fill(0);
    this.fileName = fileName;
    this.state = state;
    this.unsaved = false;
    this.bump();
  }

  /** Program succeeded: the device now holds the buffer. */
  markProgrammed(verified: boolean): void {
    this.device = this.edited.slice();
    this.touched.fill(0);
    this.state = verified ? 'verified' : 'programmed';
    this.bump();
  }

  /** A verify finished; `deviceBytes` (when the job returns them) become "as on device". */
  markVerified(ok: boolean, deviceBytes?: Uint8Array): void {
    if (deviceBytes) this.device = deviceBytes.slice(0, this.size);
    else if (ok) this.device = this.edited.slice();
    this.state = ok ? 'verified' : 'verify-failed';
    this.bump();
  }

  /** The area was erased on the chip: the device now reads blank, the buffer is kept. */
  markErased(): void {
    this.device = new Uint8Array(this.size).fill(ERASED_BYTE);
    this.state = 'erased';
    this.bump();
  }

  /** The buffer was written to a file. */
  markSaved(fileName: string): void {
    this.fileName = fileName;
    this.unsaved = false;
    this.bump();
  }

  /** Forget the device side (another part or target was chosen). */
  forgetDevice(): void {
    this.device = null;
    this.bump();
  }

  private afterEdit(): void {
    this.state = 'edited';
    this.unsaved = true;
    this.bump();
  }

  private bump(): void {
    this.revision++;
  }
}
