/**
 * The debug module's memory access runs at the CPU clock (CHOICES.md "Debug-module access"):
 * a read costs its SWIM wire time, which does not depend on the CPU clock, plus a bus access
 * per byte that does: 2 MHz after reset, 16 MHz once CLK_CKDIVR = 0x00, far slower on a hot
 * attach to firmware that runs from the LSI.
 */
import { describe, expect, it } from 'vitest';
import { DM_CYCLES, dmAccessMs, parseVirtualSpec, swimWireTimeMs } from '../../../src/main/sim/index';
import { RawHost } from './raw-host';

const LEN = 1024;

/** How long a READMEM of LEN RAM bytes keeps the probe BUSY (from the command's arrival to its end), on the trace. */
async function readDuration(h: RawHost): Promise<number> {
  await h.cmd([0xf4, 0x0b, LEN >> 8, LEN & 0xff, 0, 0, 0x01, 0x00]);
  const issued = h.probe.trace().pop()!.t;
  // Step in small increments: the first OK answer bounds the end from above.
  let lastBusy = issued;
  for (;;) {
    const before = h.now;
    const s = await h.status();
    if (s !== 0x01) break;
    lastBusy = before;
    await h.sleep(0.01);
  }
  return lastBusy - issued;
}

describe('debug-module access time follows the CPU clock', () => {
  it('STM8S: 2 MHz after reset, 16 MHz after CLK_CKDIVR := 0; the wire time stays the same', async () => {
    const h = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3' });
    await h.connect({ highSpeed: true });
    expect(h.probe.target.cpuClockHz()).toBe(2_000_000);
    const at2 = await readDuration(h);
    expect(await h.writeMem(0x50c6, [0x00])).toBe(0);
    expect(h.probe.target.cpuClockHz()).toBe(16_000_000);
    const at16 = await readDuration(h);
    const wire = swimWireTimeMs(LEN, true);
    // Each bound within one poll step (status OUT+IN on V3 ≈ 0.13 ms, plus the 0.01 ms sleep).
    expect(at2).toBeGreaterThan(wire + dmAccessMs(LEN, 2e6) - 0.2);
    expect(at2).toBeLessThanOrEqual(wire + dmAccessMs(LEN, 2e6));
    expect(at16).toBeGreaterThan(wire + dmAccessMs(LEN, 16e6) - 0.2);
    expect(at16).toBeLessThanOrEqual(wire + dmAccessMs(LEN, 16e6));
    expect(at2 - at16).toBeGreaterThan(2); // 1024 × 5 × (0.5 − 0.0625) µs ≈ 2.2 ms
    expect(DM_CYCLES.nominal).toBe(5);
  });

  it('hot attach to STM8S firmware running from the LSI (128 kHz): slower still, and CKDIVR alone does not help', async () => {
    const h = await RawHost.open({ probe: 'stlinkv3', part: 'stm8s103f3' });
    h.probe.target.setFirmwareClock({ source: 'lsi', ckdivr: 0x00 });
    expect(h.probe.target.cpuClockHz()).toBe(128_000);
    await h.connect({ underReset: false }); // no reset: the firmware's clock stays
    await h.halt();
    const atLsi = await readDuration(h);
    expect(atLsi).toBeGreaterThan(swimWireTimeMs(LEN, false) + dmAccessMs(LEN, 128e3) - 0.2);
    expect(await h.writeMem(0x50c6, [0x00])).toBe(0);
    expect(h.probe.target.cpuClockHz()).toBe(128_000);
    // A reset brings back the reset clock (HSI / 8) while SWIM holds the core stalled.
    expect(await h.swim(0x07)).toBe(0);
    expect(await h.swim(0x08)).toBe(0);
    expect(h.probe.target.cpuClockHz()).toBe(2_000_000);
  });

  it('the lsi-clock fault plays that hot attach (also from a --virtual spec), until a reset', async () => {
    const spec = parseVirtualSpec('stlinkv3:stm8s103f3:lsi-clock');
    const h = await RawHost.open({ probe: spec.probe, part: spec.part, faults: spec.faults });
    expect(h.probe.target.cpuClockHz()).toBe(128_000);
    await h.connect({ underReset: false });
    await h.halt();
    const atLsi = await readDuration(h);
    expect(await h.swim(0x07)).toBe(0);
    expect(await h.swim(0x08)).toBe(0);
    expect(h.probe.target.cpuClockHz()).toBe(2_000_000);
    const at2 = await readDuration(h);
    expect(atLsi - at2).toBeGreaterThan(dmAccessMs(LEN, 128e3) - dmAccessMs(LEN, 2e6) - 0.5);
    h.probe.clearFault('lsi-clock');
    expect(await h.write8(0x7f99, 0x00)).toBe(0); // resume: the firmware no longer switches
    expect(h.probe.target.cpuClockHz()).toBe(2_000_000);
  });

  it('STM8L: 2 MHz after reset (CKDIVR 0x03), 16 MHz at CKDIVR 0, 38 kHz on the LSI', async () => {
    const h = await RawHost.open({ probe: 'stlinkv2', part: 'stm8l152c6' });
    await h.connect();
    expect(h.probe.target.cpuClockHz()).toBe(2_000_000);
    expect(await h.writeMem(0x50c0, [0x00])).toBe(0);
    expect(h.probe.target.cpuClockHz()).toBe(16_000_000);
    h.probe.target.setFirmwareClock({ source: 'lsi', ckdivr: 0x00 });
    expect(await h.write8(0x7f99, 0x00)).toBe(0); // resume: the firmware switches to the LSI
    expect(h.probe.target.cpuClockHz()).toBe(38_000);
  });
});
