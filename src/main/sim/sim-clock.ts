/**
 * How the virtual probe spends time. On a virtual clock a cost simply moves time forward
 * (simulator.md §3: "time advances only by the model"). On the real-time clock the same
 * costs are really waited, paced against a running "device busy until" mark so that
 * sub-millisecond costs add up correctly even though timers only have 1 ms resolution.
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

  /** Spend `ms` of device time. */
  async spend(ms: number): Promise<void> {
    if (ms <= 0) return;
    const c = this.clock;
    if (isAdvancing(c)) {
      c.advance(ms);
      await Promise.resolve();
      return;
    }
    const now = c.now();
    this.freeAt = Math.max(this.freeAt, now) + ms;
    const ahead = this.freeAt - now;
    // Sleep only whole milliseconds; the remainder is carried in freeAt and paid later.
    if (ahead >= 1) await c.sleep(Math.floor(ahead));
  }
}

/** Virtual clocks can be moved forward from outside (the socket server keeps them up with the wall). */
export function advanceVirtualTo(clock: Clock, ms: number): void {
  if (isAdvancing(clock) && 'advanceTo' in clock && typeof clock.advanceTo === 'function') {
    (clock as unknown as { advanceTo(ms: number): void }).advanceTo(ms);
  }
}
