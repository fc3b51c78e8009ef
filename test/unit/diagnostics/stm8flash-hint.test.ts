/** stm8flash -c values against the probes attached (docs/spec/anchors.md §6 U6, PIO-30045). */
import { describe, expect, it } from 'vitest';
import { stm8flashProgrammerFinding, stm8flashProgrammerFor } from '../../../src/main/diagnostics/stm8flash-hint';
import type { ProbeFacts } from '../../../src/main/diagnostics/types';

function probe(variant: string, productId: number, name: string): ProbeFacts {
  return { transport: 'usb', variant, name, vendorId: 0x0483, productId, serial: 'ABC', portPath: '1-2', inDfu: false };
}

const V3 = probe('stlinkv3', 0x374f, 'STLINK-V3S');
const V3E = probe('stlinkv3', 0x3754, 'STLINK-V3E (no MSD)');
const V2 = probe('stlinkv2', 0x3748, 'ST-LINK/V2');
const V21 = probe('stlinkv21', 0x374b, 'ST-LINK/V2-1');

describe('stm8flash -c hint', () => {
  it('the seed case: -c stlinkv2 with only a V3 → pass -c stlinkv3', () => {
    const f = stm8flashProgrammerFinding('stlinkv2', [V3]);
    expect(f?.code).toBe('stm8flash-wrong-programmer');
    expect(f?.explanation).toMatch(/STLINK-V3S \(PID 0x374F/);
    expect(f?.explanation).toMatch(/Could not open USB device/);
    expect(f?.remedies[0]).toBe('Pass -c stlinkv3 instead (in platformio.ini: upload_protocol = stlinkv3).');
  });

  it('a V3 stm8flash cannot open at all gets the extra note', () => {
    const f = stm8flashProgrammerFinding('stlinkv2', [V3E]);
    expect(f?.remedies.join(' ')).toMatch(/opens only PID 0x374F; this probe is 0x3754/);
  });

  it('the other way round: -c stlinkv3 with a V2 → -c stlinkv2; -c stlinkv21 with a V2-1 is fine', () => {
    expect(stm8flashProgrammerFinding('stlinkv3', [V2])?.remedies[0]).toMatch(/-c stlinkv2 /);
    expect(stm8flashProgrammerFinding('stlinkv21', [V21])).toBeNull();
    expect(stm8flashProgrammerFinding('STLINKV2', [V3, V2])).toBeNull();
  });

  it('no probe attached, or an unknown -c value: nothing to say here', () => {
    expect(stm8flashProgrammerFinding('stlinkv2', [])).toBeNull();
    expect(stm8flashProgrammerFinding('usbasp', [V3])).toBeNull();
  });

  it('maps variants to -c values', () => {
    expect(stm8flashProgrammerFor('stlinkv1')).toBe('stlink');
    expect(stm8flashProgrammerFor('stlinkv3pwr')).toBe('stlinkv3');
    expect(stm8flashProgrammerFor('stlinkv3-loader')).toBeNull();
  });
});
