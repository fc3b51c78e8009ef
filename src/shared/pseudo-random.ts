/**
 * Deterministic pseudo-random numbers (xorshift32, Marsaglia 2003): repeatable "undefined"
 * chip content in the virtual probe, and test and benchmark data that a seed reproduces
 * exactly. Not for anything secret.
 */
export class Xorshift32 {
  private state: number;

  constructor(seed: number) {
    // A zero state would stay zero forever: use a fixed non-zero one instead.
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** The next 32-bit value (never 0). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  byte(): number {
    return this.next() & 0xff;
  }
}

/** `length` bytes from the generator seeded with `seed`: the same seed gives the same bytes. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const rng = new Xorshift32(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.byte();
  return out;
}
