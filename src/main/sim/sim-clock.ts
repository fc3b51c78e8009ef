/**
 * How the virtual probe spends time. On a virtual clock a cost simply moves time forward
 * (docs/spec/simulator.md §3: "time advances only by the model"). On the real-time clock the same
 * costs are really waited: timers for the whole milliseconds, then a short spin for the
 * rest, because most costs (a 0.5 ms USB transfer, a 0.1 ms SWIM frame) are below what a
 * timer can wait, and a client timing its commands against the wall clock must find the
 * device exactly as late as the model says — no earlier, and not a timer tick later.
 */
import type { Clock } from '../clock';

interface Advancing {
  advance(ms: number): void;
}

function isAdvancing(c: Clock): c is Clock & Advancing {
  return c.kind === 'virtual' && typeof (c as Partial<Advancing>).advance === 'function';
}

export class Pacer {
  private freeAt = 0;
  constructor(readonly clock: Clock) {}

  /** Spend `ms` of device time; returns the clock time at which it has been spent. */
  async spend(ms: number): Promise<number> {
    const c = this.clock;
    if (isAdvancing(c)) {
      if (ms > 0) c.advance(ms);
      await Promise.resolve();
      return c.now();
    }
    const until = Math.max(this.freeAt, c.now()) + Math.max(0, ms);
    this.freeAt = until;
    const ahead = until - c.now();
    if (ahead >= 2) await c.sleep(Math.floor(ahead - 1));
    while (c.now() < until) {
      // spin for the sub-millisecond rest (timers cannot wait that little)
    }
    return c.now();
  }
}

/** Virtual clocks can be moved forward from outside (the socket server keeps them up with the wall). */
export function advanceVirtualTo(clock: Clock, ms: number): void {
  if (isAdvancing(clock) && 'advanceTo' in clock && typeof clock.advanceTo === 'function') {
    (clock as unknown as { advanceTo(ms: number): void }).advanceTo(ms);
  }
}
