/**
 * The app's virtual probes: one simulated ST-LINK + STM8 per (variant, part, faults),
 * kept for the life of the process so the chip remembers what was written (the demo mode:
 * program, disconnect, reconnect, read it back).
 *
 * In the app they run on the real-time clock: a 128 KB program takes the seconds it takes
 * on hardware, so the progress bar, time left and Cancel behave as they will with a real
 * probe. Service tests pass a virtual clock instead and run at model speed.
 */
import type { Clock } from '../clock';
import { RealClock } from '../clock';
import { createVirtualProbe, parseFault } from '../sim/index';
import type { VirtualProbe } from '../sim/index';
import type { VirtualVariant } from '../../shared/ipc';

export class VirtualProbePool {
  private readonly probes = new Map<string, VirtualProbe>();

  constructor(private readonly makeClock: () => Clock = () => new RealClock()) {}

  /** The probe for this selection, created on first use. Bad fault names throw the sim's AppError. */
  get(variant: VirtualVariant, part: string, faults: readonly string[] = []): VirtualProbe {
    const key = [variant, part.toLowerCase(), ...faults.map((f) => f.toLowerCase()).sort()].join(':');
    let p = this.probes.get(key);
    if (!p) {
      p = createVirtualProbe({ probe: variant, part, faults: faults.map(parseFault), clock: this.makeClock() });
      this.probes.set(key, p);
    }
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
