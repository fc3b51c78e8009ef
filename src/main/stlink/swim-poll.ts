/**
 * The READSTATUS polling schedule for asynchronous SWIM commands. OO `stlink_cmd_allow_retry`
 * re-sends only READSTATUS while the probe answers BUSY, sleeping 1, 2, 4 … ms; stm8flash
 * `swim_cmd_internal` polls too. Here the first poll is timed by the wire-time model
 * (probe.ts), so the back-off after it starts small: most commands end within a few polls of
 * the model's estimate, and a slow probe or chip only costs more polls. Every wait is bounded.
 */

/** An asynchronous SWIM command that READSTATUS has not reported done yet. */
export interface PendingSwim {
  what: string;
  /** Wire-time model's estimate of its duration. */
  expectedMs: number;
  /** Clock time the model expects it to be over. */
  expectedEnd: number;
  /** Clock time of the last BUSY answer (the command was still running then). */
  lastBusyAt: number;
  /** READMEM/WRITEMEM: its first poll teaches AccessAllowance. */
  memoryOp: boolean;
}

/**
 * How much longer than their wire time memory operations take on this probe and chip, as a
 * fraction, learned from the first poll of each: a BUSY answer raises it by half, an OK
 * lowers it by 2 %, so about one first poll in twenty comes early — the cost of tracking a
 * probe whose speed no source documents (the debug module's bus access runs at the CPU
 * clock, which CLK_CKDIVR changes mid-session). Bounded so that a strange answer cannot
 * push the schedule far off.
 */
export class AccessAllowance {
  value = 0.05;

  learn(firstPollBusy: boolean): void {
    this.value = firstPollBusy ? Math.min(1, this.value * 1.5) : Math.max(0.005, this.value * 0.98);
  }
}

/** First back-off step after a BUSY answer (ms); doubles each time. */
const FIRST_STEP_MS = 0.05;

/** Largest back-off step: 4 ms, or an eighth of a long command's expected time. */
function stepCapMs(expectedMs: number): number {
  return Math.max(4, expectedMs / 8);
}

/**
 * How much longer than its wire time a memory operation may take. The debug module's bus
 * accesses run at the CPU clock, and on a hot attach that can be the LSI (38 kHz on STM8L,
 * 128 kHz on STM8S, PM0051/RM0031 clock chapters): a few CPU cycles per byte then cost more
 * than ten times the byte's SWIM frame. 20× covers that with room to spare.
 */
const SLOWEST_OVER_WIRE = 20;

/**
 * How long past its expected end a command may stay BUSY before it is an error: the slowest
 * plausible chip clock (above), plus the 255 ms OO's retries add up to (1 + 2 + … + 128 ms).
 * A 6 KB read may so take up to about 2 s at high speed before it counts as stuck.
 */
export function busyBudgetMs(expectedMs: number): number {
  return SLOWEST_OVER_WIRE * expectedMs + 255;
}

/** Wait before the next READSTATUS after `attempt` BUSY answers (0-based). */
export function busyBackoffMs(attempt: number, expectedMs: number): number {
  return Math.min(stepCapMs(expectedMs), FIRST_STEP_MS * 2 ** Math.min(attempt, 16));
}
