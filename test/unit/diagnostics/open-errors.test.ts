/**
 * Open failures the virtual probe cannot play (permissions, drivers): the real virtual
 * probe runs underneath, only its open() is made to fail the way node-usb reports it.
 */
import { describe, expect, it } from 'vitest';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { runDiagnostics } from '../../../src/main/diagnostics/ladder';
import { TransportError, type TransportErrorCode, type UsbTransport } from '../../../src/main/usb/transport';
import { udevRuleText } from '../../../src/main/diagnostics/udev';
import { finding, lastRun } from './helpers';

function failingOpen(code: TransportErrorCode, message: string): UsbTransport {
  const t = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' }).transport;
  return { ...t, info: t.info, clock: t.clock, open: () => Promise.reject(new TransportError(code, message)) };
}

describe('opening the probe', () => {
  it('access denied: probe-permission with the udev rule and its install commands (U3)', async () => {
    const r = await runDiagnostics({ transport: failingOpen('access', 'LIBUSB_ERROR_ACCESS') });
    const f = finding(r, 'probe-permission');
    expect(f.action).toBe('show-udev-rule');
    expect(f.snippets?.[0].text).toBe(udevRuleText());
    expect(f.snippets?.[1].text).toMatch(/udevadm control --reload-rules/);
    expect(f.remedies.join(' ')).toMatch(/replug/);
    expect(lastRun(r)).toMatchObject({ id: 'probe-open', state: 'failed' });
    expect(r.traceTail[0]).toMatchObject({ op: 'open', error: 'LIBUSB_ERROR_ACCESS' });
  });

  it('no driver: probe-no-driver points at the ST-LINK driver and WinUSB for MI_00 (U2)', async () => {
    const r = await runDiagnostics({ transport: failingOpen('no-driver', 'LIBUSB_ERROR_NOT_SUPPORTED: no driver') });
    const f = finding(r, 'probe-no-driver');
    expect(f.remedies[0]).toMatch(/STSW-LINK009/);
    expect(f.remedies[1]).toMatch(/MI_00.*WinUSB/);
    expect(lastRun(r)).toMatchObject({ id: 'probe-open', state: 'failed' });
  });
});
