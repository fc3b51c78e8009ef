/**
 * The app's virtual probes: one simulated ST-LINK + STM8 per (variant, part, faults), kept
 * so the chip remembers what was written (the demo mode: program, disconnect, reconnect,
 * read it back). The pool is bounded: a page can ask for any mix of faults and each probe
 * holds a whole chip image, so past MAX_VIRTUAL_PROBES the least recently used one is
 * dropped (a later connect to it starts from a factory-fresh chip; a session still open
 * on it keeps working, it holds its own reference).
 *
 * In the app they run on the real-time clock: a 128 KB program takes the seconds it takes
 * on hardware, so the progress bar, time left and Cancel behave as they will with a real
 * probe. Service tests pass a virtual clock instead and run at model speed.
 */
import type { Clock } from '../clock';
import { RealClock } from '../clock';
import { createVirtualProbe, parseFault } from '../sim/index';
import type { VirtualProbe } from '../sim/index';
import type { VirtualVariant } from '#shared/ipc';

/** Enough for every variant × a few parts and fault sets in one sitting; ~100 KB-1 MB each. */
export const MAX_VIRTUAL_PROBES = 16;

export class VirtualProbePool {
  /** In use order: the first entry is the least recently used. */
  private readonly probes = new Map<string, VirtualProbe>();

  constructor(
    private readonly makeClock: () => Clock = () => new RealClock(),
    private readonly limit = MAX_VIRTUAL_PROBES,
  ) {}

  /** The probe for this selection, created on first use. Bad fault names throw the sim's AppError. */
  get(variant: VirtualVariant, part: string, faults: readonly string[] = []): VirtualProbe {
    const key = [variant, part.toLowerCase(), ...faults.map((f) => f.toLowerCase()).sort()].join(':');
    const p = this.probes.get(key) ?? createVirtualProbe({ probe: variant, part, faults: faults.map(parseFault), clock: this.makeClock() });
    this.probes.delete(key);
    this.probes.set(key, p);
    while (this.probes.size > this.limit) this.probes.delete(this.probes.keys().next().value as string);
    return p;
  }

  /** Every probe made so far (tests look inside their chips). */
  all(): VirtualProbe[] {
    return [...this.probes.values()];
  }

  /** Start over with factory-fresh chips. */
  clear(): void {
    this.probes.clear();
  }
}
