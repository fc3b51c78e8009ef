/**
 * Waiting until a clock time. On the virtual clock this is a plain sleep (time jumps). On the
 * real-time clock timers have ~1 ms granularity, far coarser than the waits SWIM needs
 * (tens of µs for a short frame), so sub-millisecond waits are polled with setImmediate:
 * it yields to the event loop every turn and ends within a few µs of the target.
 */
import type { Clock } from '../clock';

/** Below this, a real-time wait polls instead of arming a timer (timers have ~1 ms granularity). */
const TIMER_MIN_MS = 1;

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Resolve when `clock.now() >= t`. Real time: a timer for all but the last millisecond of
 * longer waits, then a short poll to the target (at most about 2 ms of polling per wait),
 * so waits end close to their target without keeping the CPU busy for long.
 */
export async function waitUntil(clock: Clock, t: number): Promise<void> {
  const ms = t - clock.now();
  if (ms <= 0) return;
  if (clock.kind !== 'realtime') {
    await clock.sleep(ms);
    return;
  }
  // A timer for all but the last millisecond (timers wake late, more so on a loaded
  // machine, and a late wake-up here delays every flash block), then a short poll.
  if (ms > 2 * TIMER_MIN_MS) await clock.sleep(ms - TIMER_MIN_MS);
  while (clock.now() < t) await turn();
}

/** Wait `ms` from now (see waitUntil). */
export function waitFor(clock: Clock, ms: number): Promise<void> {
  return waitUntil(clock, clock.now() + ms);
}
