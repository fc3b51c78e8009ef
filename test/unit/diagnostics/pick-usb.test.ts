/** Step 2's choices over a USB list (no USB on the test machines, so the list is given). */
import { describe, expect, it } from 'vitest';
import { pickUsbProbe } from '../../../src/main/diagnostics/locate';
import type { ProbeFacts } from '../../../src/main/diagnostics/types';

function usb(variant: string, productId: number, name: string, serial: string, portPath: string, inDfu = false): ProbeFacts & { serialRaw: string } {
  return { transport: 'usb', variant, name, vendorId: 0x0483, productId, serial, serialRaw: serial, portPath, inDfu };
}

const V2 = usb('stlinkv2', 0x3748, 'ST-LINK/V2', '303030303030303030303031', '1-1');
const V2b = usb('stlinkv2', 0x3748, 'ST-LINK/V2', '303030303030303030303031', '1-2');
const V3 = usb('stlinkv3', 0x374f, 'STLINK-V3S', '002F00123456', '1-3');
const DFU = usb('stlinkv3-loader', 0x374d, 'STLINK-V3 USB loader', '0670FF', '1-4', true);
const V1 = usb('stlinkv1', 0x3744, 'ST-LINK/V1', 'X', '1-5');

const codes = (p: ReturnType<typeof pickUsbProbe>) => p.findings.map((f) => f.code);

describe('pickUsbProbe', () => {
  it('nothing attached: no-probe (U1)', () => {
    const p = pickUsbProbe([], {});
    expect(p.chosen).toBeNull();
    expect(codes(p)).toEqual(['no-probe']);
  });

  it('one probe: chosen, nothing to say', () => {
    expect(pickUsbProbe([V3], {})).toMatchObject({ chosen: 0, subject: 0, findings: [] });
  });

  it('a V3 in its loader is named as such (P3), but a working probe beside it is preferred', () => {
    const only = pickUsbProbe([DFU], {});
    expect(only.chosen).toBeNull();
    expect(only.subject).toBe(0);
    expect(only.findings[0].code).toBe('probe-in-dfu');
    expect(only.findings[0].explanation).toMatch(/0x374D/);
    const both = pickUsbProbe([DFU, V3], {});
    expect(both.chosen).toBe(1);
    expect(codes(both)).toEqual(['several-probes']);
  });

  it('an ST-LINK/V1 is refused with the usb-storage hint (U5)', () => {
    const p = pickUsbProbe([V1], {});
    expect(p.chosen).toBeNull();
    expect(p.findings[0].code).toBe('probe-v1-unsupported');
    expect(p.findings[0].remedies.join(' ')).toMatch(/quirks=483:3744:i/);
  });

  it('clones sharing a serial: duplicate-serials, choose by port (P4)', () => {
    const p = pickUsbProbe([V2, V2b], {});
    expect(codes(p)).toEqual(['duplicate-serials', 'several-probes']);
    expect(pickUsbProbe([V2, V2b], { probe: '1-2' }).chosen).toBe(1);
  });

  it('--probe by serial, and a serial that is not there', () => {
    expect(pickUsbProbe([V2, V3], { probe: '002f00123456' }).chosen).toBe(1);
    const p = pickUsbProbe([V2, V3], { probe: 'DEADBEEF' });
    expect(p.chosen).toBeNull();
    expect(p.findings.at(-1)?.code).toBe('probe-not-found');
    expect(p.findings.at(-1)?.explanation).toMatch(/STLINK-V3S/);
  });

  it('stm8flash -c hint on the USB list', () => {
    const p = pickUsbProbe([V3], { stm8flashProgrammer: 'stlinkv2' });
    expect(p.chosen).toBe(0);
    expect(codes(p)).toEqual(['stm8flash-wrong-programmer']);
  });
});
