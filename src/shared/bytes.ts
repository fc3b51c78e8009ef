/** Byte-array comparisons the engine uses to decide what to program, and the benchmarks to model it. */

/** Same length and the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Every byte of d[from, to) is 0x00 (the STM8 erased value). */
export function isAllZero(d: Uint8Array, from = 0, to = d.length): boolean {
  for (let i = from; i < to; i++) if (d[i] !== 0) return false;
  return true;
}
