import { describe, expect, it } from 'vitest';
import { pickProbe } from '../../../src/main/probes/usb';
import type { ProbeSummary } from '../../../src/main/probes/types';
import { serialToHex } from '../../../src/main/stlink/serial';

function summary(serialRaw: string, portPath: string): ProbeSummary {
  return {
    id: `usb:${portPath}`,
    transport: 'usb',
    variant: 'stlinkv2',
    variantName: 'ST-LINK/V2',
    vendorId: 0x0483,
    productId: 0x3748,
    serial: serialToHex(serialRaw),
    serialRaw,
    portPath,
    productName: 'STM32 STLink',
    inDfu: false,
    supportsSwim: null,
  };
}

describe('choosing one of several probes', () => {
  const a = { item: 'A', summary: summary('066DFF485550755187121814', '1-1') };
  const b = { item: 'B', summary: summary(String.fromCharCode(0x55, 0xff, 0x06, 0x49), '1-2') };
  const b2 = { item: 'B2', summary: summary(String.fromCharCode(0x55, 0xff, 0x06, 0x49), '1-3.1') };

  it('one probe, nothing asked: that one', () => {
    expect(pickProbe([a], undefined)).toBe('A');
  });

  it('several and none chosen: probe-ambiguous listing them', () => {
    const e = (() => {
      try {
        pickProbe([a, b], undefined);
      } catch (x) {
        return x as { code: string; remedy: string; details: { probes: ProbeSummary[] } };
      }
      return null;
    })();
    expect(e?.code).toBe('probe-ambiguous');
    expect(e?.details.probes).toHaveLength(2);
    expect(e?.remedy).toContain('55FF0649');
  });

  it('by serial (hex of the bytes, any case), by port path when clones share a serial', () => {
    expect(pickProbe([a, b], '55ff0649')).toBe('B');
    expect(pickProbe([a, b], '066dff485550755187121814')).toBe('A');
    expect(() => pickProbe([a, b, b2], '55FF0649')).toThrow(/share the serial/);
    expect(pickProbe([a, b, b2], '1-3.1')).toBe('B2');
    expect(() => pickProbe([a], 'nope')).toThrow(/No ST-LINK with serial or port "nope"/);
    expect(() => pickProbe([], undefined)).toThrow(/No ST-LINK is connected/);
  });
});
