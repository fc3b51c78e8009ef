import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/main/clock';
import { MAX_VIRTUAL_PROBES, VirtualProbePool } from '../../../src/main/service/virtual-probes';
import { FAULT_NAMES } from '../../../src/main/sim/index';

describe('the pool of virtual probes', () => {
  it('keeps the chip of a probe between connects', () => {
    const pool = new VirtualProbePool(() => new VirtualClock());
    const a = pool.get('stlinkv2', 'stm8s103f3');
    expect(pool.get('stlinkv2', 'STM8S103F3')).toBe(a);
  });

  it('stays bounded however many fault mixes a page asks for, dropping the least recently used', () => {
    const pool = new VirtualProbePool(() => new VirtualClock());
    const first = pool.get('stlinkv2', 'stm8s103f3');
    const kept = pool.get('stlinkv3', 'stm8s103f3');
    const names = FAULT_NAMES.slice(0, 6);
    let made = 0;
    // Every subset of six faults: 64 distinct probes, touching `kept` as the user would.
    for (let mask = 1; mask < 1 << names.length; mask++) {
      pool.get('stlinkv2', 'stm8s103f3', names.filter((_, i) => mask & (1 << i)));
      made++;
      pool.get('stlinkv3', 'stm8s103f3');
      expect(pool.all().length).toBeLessThanOrEqual(MAX_VIRTUAL_PROBES);
    }
    expect(made).toBeGreaterThan(MAX_VIRTUAL_PROBES);
    expect(pool.get('stlinkv3', 'stm8s103f3')).toBe(kept);
    expect(pool.get('stlinkv2', 'stm8s103f3')).not.toBe(first);
  });
});
