/**
 * Time for protocol code. Nothing below the faces calls setTimeout directly: it asks a
 * Clock, so the virtual probe and the engine can share a virtual clock in tests and
 * benchmarks (time advances only by the model, every figure is exact and repeatable),
 * while real probes and out-of-process clients use the wall clock.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin (fractional allowed). */
  now(): number;
  /** Wait `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
  /** Which kind, for reports. */
  readonly kind: 'virtual' | 'realtime';
}

/** Wall-clock time. */
export class RealClock implements Clock {
  readonly kind = 'realtime' as const;
  private readonly origin = performance.now();
  now(): number {
    return performance.now() - this.origin;
  }
  /**
   * Never returns early: Node truncates fractional timer delays and counts from a cached
   * loop time (setTimeout(1.9) was seen to fire after 0.08 ms), so we wait in whole
   * milliseconds until performance.now() has really passed the deadline.
   */
  async sleep(ms: number): Promise<void> {
    if (ms <= 0) return;
    const until = performance.now() + ms;
    while (performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(until - performance.now()))));
    }
  }
}

/**
 * Virtual time: `sleep` and `advance` move time forward instantly. The simulator advances
 * it by the cost of every transfer; the engine advances it when it waits. A sleep yields
 * to the event loop once so that cancellation and progress callbacks still interleave.
 */
export class VirtualClock implements Clock {
  readonly kind = 'virtual' as const;
  private t = 0;
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    if (ms > 0) this.t += ms;
  }
  /** Move time forward to `ms` if it is behind (never backwards). */
  advanceTo(ms: number): void {
    if (ms > this.t) this.t = ms;
  }
  async sleep(ms: number): Promise<void> {
    this.advance(ms);
    await Promise.resolve();
  }
}
