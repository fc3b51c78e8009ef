/**
 * The probe's view of its last asynchronous SWIM command (ENTER_SEQ, GEN_RST, RESET,
 * ASSERT/DEASSERT_RESET, SPEED, WRITEMEM, READMEM): when it ends, the status it ends with,
 * how far it has got, and whether a READSTATUS has reported it done yet.
 *
 * Both references poll READSTATUS after every such command until byte 0 is not BUSY before
 * they send the next SWIM command (OpenOCD `stlink_cmd_allow_retry`, stm8flash
 * `swim_cmd_internal`). What a real probe does with a command that comes earlier is not
 * known; the virtual probe takes the worst plausible answer: the command is lost
 * (CHOICES.md). "Earlier" means: before a READSTATUS has reported the operation done, so an
 * engine that merely times its commands is caught even when its timing happens to be right.
 *
 * While busy, READSTATUS bytes 1–3 count the bytes the operation has moved so far (24-bit,
 * little-endian): stm8flash gives up after 4 identical non-OK answers 10 ms apart, yet moves
 * 6 KB chunks that take far longer, so a real probe's answer must change while it works.
 */

/** Status byte 0 of READSTATUS (docs/spec/stlink-swim.md §3.1). */
export const SWIM_OK = 0x00;
export const SWIM_BUSY = 0x01;
export const SWIM_NO_RESPONSE = 0x04;
export const SWIM_BAD_STATE = 0x05;

interface Operation {
  /** Its name for violation reports, e.g. "READMEM 0x8000+6144". */
  name: string;
  isRead: boolean;
  doneAt: number;
  code: number;
  /** Time each byte was moved (memory operations), ascending; null for the others. */
  byteTimes: Float64Array | null;
  /** A READSTATUS has answered with byte 0 ≠ BUSY since it began (or its client went away). */
  reported: boolean;
}

export class SwimStatus {
  private op: Operation | null = null;

  /** Power-up / USB reset: nothing in flight, status OK. */
  reset(): void {
    this.op = null;
  }

  /** A new asynchronous operation begins (it replaces the reported one). */
  begin(name: string, code: number, doneAt: number, opts: { isRead?: boolean; byteTimes?: Float64Array } = {}): void {
    this.op = { name, isRead: opts.isRead ?? false, doneAt, code, byteTimes: opts.byteTimes ?? null, reported: false };
  }

  /**
   * The operation that makes a new SWIM command at time t a violation: still running, or
   * finished but not yet reported done by a READSTATUS. Null when a command may come.
   */
  blocking(t: number): { name: string; isRead: boolean; doneAt: number; running: boolean } | null {
    const op = this.op;
    if (!op || (op.reported && t >= op.doneAt)) return null;
    return { name: op.name, isRead: op.isRead, doneAt: op.doneAt, running: t < op.doneAt };
  }

  /** Is the operation still running at time t? */
  busyAt(t: number): boolean {
    return this.op !== null && t < this.op.doneAt;
  }

  /** The 4 bytes READSTATUS answers at time t; answering with byte 0 ≠ BUSY reports the operation done. */
  readStatus(t: number): number[] {
    const op = this.op;
    if (!op) return [SWIM_OK, 0, 0, 0];
    const moved = op.byteTimes ? countUpTo(op.byteTimes, t) : 0;
    const progress = [moved & 0xff, (moved >> 8) & 0xff, (moved >> 16) & 0xff];
    if (t < op.doneAt) return [SWIM_BUSY, ...progress];
    op.reported = true;
    return [op.code, ...progress];
  }

  /**
   * The client went away (USB handle closed): nobody will ask for the status, so the probe
   * does not wait for a READSTATUS; the operation still runs to its own end.
   */
  waive(): void {
    if (this.op) this.op.reported = true;
  }
}

/** How many of the ascending times are ≤ t. */
function countUpTo(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
