/**
 * Test helpers for the image formats: record builders that compute checksums the way the
 * format specifications define them (independently of the code under test), sample data,
 * and an assertion for the 'bad-file' errors.
 */
import { expect } from 'vitest';
import { AppError } from '#shared/errors';
import { MemoryImage } from '#shared/image/memory-image';
import { pseudoRandomBytes } from '#shared/pseudo-random';

export { hexRecord, srecRecord } from './records';

/** Deterministic pseudo-random bytes (so a failure is reproducible). */
export function pattern(length: number, seed = 1): Uint8Array {
  return pseudoRandomBytes(length, seed);
}

/**
 * An image like a real combined STM8 build: vectors + code in flash, EEPROM data, option
 * bytes, and (for big parts) code above 64 KB, including a block that crosses 0x20000.
 */
export function sampleImage(opts: { above64k?: boolean } = {}): MemoryImage {
  const segs = [
    { address: 0x8000, data: pattern(0x80, 1) },
    { address: 0x8100, data: pattern(300, 2) }, // gap 0x8080..0x80FF stays a gap
    { address: 0x4000, data: pattern(16, 3) },
    { address: 0x4800, data: Uint8Array.from([0x00, 0x00, 0xff, 0x00, 0xff]) }, // ROP, UBC/NUBC, AFR/NAFR
  ];
  if (opts.above64k) {
    segs.push({ address: 0x18000, data: pattern(0x40, 4) });
    segs.push({ address: 0x1fff0, data: pattern(0x20, 5) }); // crosses the 64 KB line at 0x20000
    segs.push({ address: 0x27ff8, data: pattern(8, 6) }); // last bytes of a 128 KB part
  }
  return MemoryImage.fromSegments('sample', segs);
}

/** Runs `fn`, expects an AppError 'bad-file' with this reason and place, and returns its message. */
export function expectBadFile(fn: () => unknown, want: { reason: string; line?: number; offset?: number; file?: string }): string {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected the parser to throw').toBeInstanceOf(AppError);
  const err = caught as AppError;
  expect(err.code).toBe('bad-file');
  expect(err.details?.reason).toBe(want.reason);
  if (want.file !== undefined) expect(err.message.startsWith(want.file)).toBe(true);
  if (want.line !== undefined) {
    expect(err.details?.line).toBe(want.line);
    expect(err.message).toContain(`:${want.line}: `);
  }
  if (want.offset !== undefined) {
    expect(err.details?.offset).toBe(want.offset);
    expect(err.message).toContain(`at offset 0x${want.offset.toString(16).toUpperCase()}: `);
  }
  return err.message;
}

/** Runs `fn`, expects an AppError with `code`, returns it. */
export function expectAppError(fn: () => unknown, code: string): AppError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  return caught as AppError;
}

/** Awaits a promise that must reject with an AppError, and returns that error. */
export async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}
