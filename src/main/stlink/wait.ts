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
 * Resolve when `clock.now() >= t`. Real time: a timer for waits of a millisecond or more (it
 * may overshoot a little — harmless, every wait here is "no earlier than"), a short poll for
 * the sub-millisecond rest, so the CPU is not kept busy for long.
 */
export async function waitUntil(clock: Clock, t: number): Promise<void> {
  const ms = t - clock.now();
  if (ms <= 0) return;
  if (clock.kind !== 'realtime') {
    await clock.sleep(ms);
    return;
  }
  if (ms >= TIMER_MIN_MS) {
    await clock.sleep(ms);
    return;
  }
  while (clock.now() < t) await turn();
}

/** Wait `ms` from now (see waitUntil). */
export function waitFor(clock: Clock, ms: number): Promise<void> {
  return waitUntil(clock, clock.now() + ms);
}
