/**
 * Layer 4 vocabulary: what a job is asked, what it reports while it runs, and what it returns.
 * Every field here is plain data (JSON-safe except Uint8Array), so faces can pass it on.
 */
import type { DecodedOptionByte, OptionWrite, RegionKind } from '#shared/catalogue/types';
import type { Mismatch } from '#shared/ipc';

/** What a job is doing right now. */
export type JobPhase = 'read' | 'compare' | 'erase' | 'program' | 'verify' | 'blank-check' | 'option-bytes' | 'unlock' | 'reset' | 'ram';

/** A progress event. `done`/`total` count bytes, except in 'program'/'erase' where they count blocks. */
export interface PhaseProgress {
  phase: JobPhase;
  done: number;
  total: number;
  /** Address being worked on. */
  address: number;
  unit: 'bytes' | 'blocks';
}

/** Options every job takes. */
export interface JobOptions {
  /** Cancel between blocks/chunks: the job throws AppError 'cancelled', flash locked, target reset. */
  signal?: AbortSignal;
  onProgress?: (p: PhaseProgress) => void;
}

/** A region of the part by kind, or an explicit range (inclusive start, length in bytes). */
export type MemoryRequest = { region: RegionKind } | { start: number; length: number };

/** Structural image type: MemoryImage from src/shared/image fits it (its `segments`). */
export interface ImageLike {
  readonly segments: readonly { readonly address: number; readonly data: Uint8Array }[];
}

export interface ReadResult {
  start: number;
  data: Uint8Array;
  /** Region kind when the range lies in one region. */
  region: RegionKind | null;
  /**
   * True when read-out protection is active and the range touches flash or EEPROM: the
   * data is then what the chip answers under ROP (garbage), not the contents.
   */
  protected: boolean;
  durationMs: number;
}

export interface ProgramJobOptions extends JobOptions {
  /** Read back and compare everything written (default true). */
  verify?: boolean;
  /** Skip blocks that already hold the data (default true). */
  skipUnchanged?: boolean;
}

/** Per region summary of a programming job. */
export interface RegionProgramSummary {
  region: RegionKind;
  /** Bytes of the image inside this region. */
  imageBytes: number;
  blocksTouched: number;
  blocksWritten: number;
  blocksSkipped: number;
}

export interface ProgramReport {
  regions: RegionProgramSummary[];
  /** Blocks the image touches (flash + EEPROM). */
  blocksTotal: number;
  blocksWritten: number;
  /** Blocks that already held the data. */
  blocksSkipped: number;
  /** Written with fast block programming (the block on the chip was all 0x00). */
  blocksFast: number;
  /** Written with standard block programming (erase + write). */
  blocksStandard: number;
  /** Blocks whose new content is all 0x00, done with a block erase instead. */
  blocksErased: number;
  /** Image bytes (holes not counted). */
  imageBytes: number;
  /** Bytes moved to the chip in block writes and RAM writes. */
  bytesWritten: number;
  /** Bytes read before writing (to skip, merge and choose the mode). */
  bytesPreRead: number;
  /** Bytes read back to verify. */
  bytesVerified: number;
  ramBytesWritten: number;
  verified: boolean;
  /** Clock time of the job, ms (virtual time on a virtual probe). */
  durationMs: number;
  /** USB transfers used. */
  transfers: number;
}

/** One differing byte: the same shape the app shows (shared/ipc), defined there once. */
export type { Mismatch } from '#shared/ipc';

export interface VerifyReport {
  bytesCompared: number;
  /** Always true when returned; a difference throws AppError 'verify-failed' with details.mismatches. */
  ok: true;
  durationMs: number;
}

/** A verify whose difference is a result to show, not an error: what the CLI and the app report. */
export interface Comparison {
  ok: boolean;
  /** Bytes compared: every byte the image holds. */
  bytes: number;
  mismatchCount: number;
  /** The first differences, in address order (details.mismatches of 'verify-failed'). */
  mismatches: Mismatch[];
}

export interface EraseReport {
  start: number;
  length: number;
  blocksErased: number;
  /** Blocks that already read all 0x00. */
  blocksSkipped: number;
  durationMs: number;
}

export interface BlankCheckReport {
  start: number;
  length: number;
  /** Blank = every byte 0x00, the STM8 erased value (docs/spec/stm8-target.md §5). */
  blank: boolean;
  nonBlankBytes: number;
  firstNonBlank: number | null;
  durationMs: number;
}

export interface OptionBytesReport {
  /** The whole option area as read. */
  start: number;
  raw: Uint8Array;
  decoded: DecodedOptionByte[];
  /** Read-out protection active now. */
  ropActive: boolean;
  /** Option bytes whose complement is broken (STM8S style). */
  complementErrors: string[];
}

export interface OptionBytesChanges {
  /** Field changes by name, e.g. { AFR7: 1, IWDG_HW: 0 } (applied to what the chip holds now). */
  changes?: Record<string, number>;
  /**
   * Whole bytes by address (an option file): primaries alone get their complements filled;
   * complements given must match. Bytes not given keep their current value.
   */
  bytes?: readonly OptionWrite[];
  /** Byte values by option-byte name, e.g. { OPT2: 0x80 }. */
  named?: Record<string, number>;
  /** Required to write a ROP value that protects the chip. */
  confirmProtect?: boolean;
  /** Required for changes of fields marked dangerous (UBC, hardware watchdog...). */
  confirmDangerous?: boolean;
  /**
   * Option bytes whose complement is broken on the chip start from their factory value
   * (else such a byte must be given whole, or the write is refused: 'option-pair-broken').
   */
  fromFactory?: boolean;
}

export interface WriteOptionBytesReport {
  /** Bytes written (primaries and complements), in write order. */
  written: OptionWrite[];
  /** Bytes that already held the value. */
  unchanged: number;
  /** Read back after writing. */
  after: OptionBytesReport;
  /** Option bytes take effect at the next reset (the connection's close resets by default). */
  effectiveAfterReset: true;
  durationMs: number;
}

export interface UnlockReport {
  /** ROP was active before. */
  wasProtected: boolean;
  /** How: 'stm8s' (ROP 0x00 + factory option bytes), 'stm8l' (0xAA written twice), 'stm8l101' (factory bytes, no complements). */
  method: 'stm8s' | 'stm8l' | 'stm8l101';
  /** Regions that were erased by the unlock (empty when the chip was not protected). */
  erased: { region: RegionKind; start: number; size: number }[];
  /** The chip reads blank (all 0x00) in flash and EEPROM after the unlock. */
  blank: boolean;
  /** Option bytes after the unlock (factory defaults). */
  optionBytes: OptionBytesReport;
  durationMs: number;
}

export interface RamWriteReport {
  start: number;
  length: number;
  verified: boolean;
  durationMs: number;
}
