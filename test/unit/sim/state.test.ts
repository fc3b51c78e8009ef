import { describe, expect, it } from 'vitest';
import { AppError } from '#shared/errors';
import { createVirtualProbe, validateState } from '../../../src/main/sim/index';
import { pattern } from './raw-host';

describe('virtual chip state', () => {
  it('saves every memory and a new probe starts with them (JSON round trip)', () => {
    const a = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s105c6', serial: 'S1' });
    a.target.poke(0x8000, pattern(512, 1));
    a.target.poke(0x4000, pattern(64, 2));
    a.target.poke(0x0100, pattern(16, 3));
    a.target.poke(0x4803, [0x12, 0xed]);
    const json = JSON.parse(JSON.stringify(a.saveState()));
    const b = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s105c6', state: validateState(json) });
    expect(b.info.serialNumber).toBe('S1');
    expect(Array.from(b.target.peek(0x8000, 512))).toEqual(Array.from(pattern(512, 1)));
    expect(Array.from(b.target.peek(0x4000, 64))).toEqual(Array.from(pattern(64, 2)));
    expect(Array.from(b.target.peek(0x0100, 16))).toEqual(Array.from(pattern(16, 3)));
    expect(Array.from(b.target.peek(0x4803, 2))).toEqual([0x12, 0xed]);
    expect(Array.from(b.target.uniqueId()!)).toEqual(Array.from(a.target.uniqueId()!));
  });

  it('a ROP removal written before the power went mass-erases at the next power-up', () => {
    const a = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'rop' }] });
    a.target.poke(0x4800, [0x00]); // removal written, not yet reset
    const s = a.saveState();
    expect(s.ropActive).toBe(true);
    const b = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', state: s });
    expect(b.target.isRopActive()).toBe(false);
    expect(b.target.peek(0x8000, 8192).every((x) => x === 0)).toBe(true);
  });

  it('refuses a state file of another part or of a wrong shape', () => {
    const s = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' }).saveState();
    expect(() => createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s105c6', state: s })).toThrow(/stm8s103f3/);
    expect(() => validateState({ format: 'x' })).toThrow(AppError);
    const cut = { ...s, memories: { ...s.memories, flash: Buffer.alloc(10).toString('base64') } };
    expect(() => createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', state: cut })).toThrow(/flash holds 10 bytes/);
  });
});
