/**
 * How long a SWIM operation keeps the wire busy, so the engine can wait that long before its
 * first READSTATUS instead of hammering the probe (each USB transfer costs 0.5 ms on a
 * full-speed probe). Only the first poll is timed this way; after it, bounded back-off.
 *
 * Frame format (docs/spec/stm8-target.md §6.2–6.3, UM0470 p.11–13): a ROTF/WOTF of N ≤ 255 bytes is
 * 50 + 11·N bit slots; longer transfers are split into 255-byte pieces (VSL). Bit time is
 * 2.75 µs at low speed, 1.25 µs at high speed with the default 8 MHz SWIM clock.
 */
import { SWIM_BIT_US } from './constants';

export type SwimSpeed = 'low' | 'high';

/** Largest payload of one ROTF/WOTF (N is an 8-bit count). */
const SWIM_PIECE = 255;

/** Wire time in ms of moving `bytes` bytes with ROTF/WOTF at `speed`. */
export function swimWireMs(bytes: number, speed: SwimSpeed): number {
  if (bytes <= 0) return 0;
  const pieces = Math.ceil(bytes / SWIM_PIECE);
  const bits = 50 * pieces + 11 * bytes;
  return (bits * SWIM_BIT_US[speed]) / 1000;
}

/**
 * Expected duration of the non-memory SWIM commands. ENTER_SEQ is "1.3 ms low then 750 Hz then
 * 1.5 kHz" (OO comment): 1.3 ms + 4 pulses at 750 Hz + 4 at 1.5 kHz ≈ 9.3 ms. Reset lines and GEN_RST are ~50–100 µs (OO comments).
 * These are lower bounds to wait before the first poll; polling covers the rest.
 */
export const SWIM_CMD_MS = {
  enterSeq: 9.5,
  lineReset: 0.05,
  genRst: 0.05,
  resync: 0.05,
  speed: 0.01,
} as const;
