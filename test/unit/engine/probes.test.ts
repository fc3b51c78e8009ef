import { describe, expect, it } from 'vitest';
import { connectTarget } from '../../../src/main/jobs/index';
import { forgetVirtualProbes, isNoProbeError, listProbes, openProbe, scanProbes, virtualProbeFor } from '../../../src/main/probes/index';
import { classifyUsbError } from '../../../src/main/usb/node-usb';
import { toUsbAppError } from '../../../src/main/usb/errors';

describe('probe selection', () => {
  it('USB: no subsystem on this machine reads as "no probes" with a note, never an exception', async () => {
    const scan = await scanProbes();
    // Where USB works this lists real probes (maybe none); where it does not, [] plus a note.
    for (const n of scan.notes) expect(n.code).toBe('usb-unavailable');
    if (scan.notes.length > 0) expect(scan.probes).toEqual([]);
    if (scan.probes.length === 0) {
      const err = await openProbe({}).catch((e) => e);
      expect(err.code).toBe('no-probe');
      expect(isNoProbeError(err)).toBe(true);
      expect(err.remedy).toMatch(/virtual|Plug in/);
    }
  });

  it('--virtual: the spec\'s part is the default part, and the chip persists across connections', async () => {
    forgetVirtualProbes();
    const spec = 'stlinkv3:stm8s103f3';
    const [p] = await listProbes({ virtual: spec });
    expect(p.transport).toBe('virtual');
    expect(p.variant).toBe('stlinkv3');
    const c = await connectTarget({ virtual: spec });
    expect(c.part.name).toBe('stm8s103f3');
    await c.program({ segments: [{ address: 0x8000, data: Uint8Array.of(9, 8, 7) }] });
    await c.close();
    const d = await connectTarget({ virtual: spec });
    expect((await d.read({ start: 0x8000, length: 3 })).data).toEqual(Uint8Array.of(9, 8, 7));
    await d.close();
    expect(virtualProbeFor(spec).target.peek(0x8000, 3)).toEqual(Uint8Array.of(9, 8, 7));
    forgetVirtualProbes();
  });

  it('--virtual with faults and bad specs', async () => {
    const err = await connectTarget({ virtual: 'stlinkv3minie:stm8s103f3' }).catch((e) => e);
    expect(err.code).toBe('probe-no-swim');
    const bad = await connectTarget({ virtual: 'stlinkv9:stm8s103f3' }).catch((e) => e);
    expect(bad.code).toBe('bad-probe-variant');
    const busy = await connectTarget({ virtual: 'stlinkv2:stm8s103f3:busy' }).catch((e) => e);
    expect(busy.code).toBe('probe-busy');
    forgetVirtualProbes();
  });

  it('libusb failures map to typed errors with remedies', () => {
    expect(toUsbAppError(classifyUsbError(new Error('LIBUSB_ERROR_ACCESS: Access denied'))).code).toBe('probe-permission');
    expect(toUsbAppError(classifyUsbError(new Error('Resource busy'))).code).toBe('probe-busy');
    expect(toUsbAppError(classifyUsbError(new Error('LIBUSB_ERROR_NO_DEVICE'))).code).toBe('probe-unplugged');
    expect(toUsbAppError(classifyUsbError(new Error('Operation timed out'))).code).toBe('usb-timeout');
    expect(toUsbAppError(classifyUsbError(new Error('/sys/bus/usb/devices/ not found (errno 2)'))).code).toBe('usb-unavailable');
    expect(toUsbAppError(classifyUsbError(new Error('no WinUSB driver installed'))).code).toBe('probe-no-driver');
    expect(toUsbAppError(classifyUsbError(new Error('LIBUSB_ERROR_ACCESS'))).remedy).toMatch(/udev/);
  });
});

describe('hot-plug subscription', () => {
  it('subscribing and unsubscribing works without a USB subsystem', async () => {
    const { watchProbes } = await import('../../../src/main/probes/index');
    const calls: number[] = [];
    const stop = watchProbes((p) => calls.push(p.length));
    await new Promise((r) => setTimeout(r, 20));
    stop();
    stop();
    expect(calls).toEqual([]);
  });
});
