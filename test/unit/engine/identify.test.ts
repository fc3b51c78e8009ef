import { describe, expect, it } from 'vitest';
import { createVirtualProbe } from '../../../src/main/sim/index';
import { StlinkProbe } from '../../../src/main/stlink/probe';
import { decodeVersion, formatVersion } from '../../../src/main/stlink/version';
import { serialToHex, serialMatches } from '../../../src/main/stlink/serial';
import { AppError } from '#shared/errors';

describe('probe identification on every virtual variant', () => {
  it('V2: version string V2J37S7 from GET_VERSION, SWIM supported', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' });
    const p = await StlinkProbe.open(v.transport);
    expect(p.identity.versionString).toBe('V2J37S7');
    expect(p.identity.variant).toBe('stlinkv2');
    expect(p.identity.supportsSwim).toBe(true);
    expect(p.identity.fromVersionEx).toBe(false);
    expect(p.identity.versionLine).toBe('STLINK V2J37S7 (API v2) VID:PID 0483:3748');
    await p.close();
  });

  it('V2-1 (STM8 Nucleo): the MxSy field swap gives V2M25S7 with SWIM 7 and no JTAG', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv21', part: 'stm8s103f3' });
    const p = await StlinkProbe.open(v.transport);
    expect(p.identity.versionString).toBe('V2M25S7');
    expect(p.identity.v21Swap).toBe(true);
    expect(p.identity.jtag).toBe(0);
    expect(p.identity.swim).toBe(7);
    await p.close();
  });

  it('V3: GET_VERSION_EX supplies V3J10M3B5S1', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    const p = await StlinkProbe.open(v.transport);
    expect(p.identity.versionString).toBe('V3J10M3B5S1');
    expect(p.identity.fromVersionEx).toBe(true);
    expect(p.identity.apiVersion).toBe(3);
    expect(p.identity.bridge).toBe(5);
    await p.close();
  });

  it('V3MINIE (SWIM version 0) is refused with a reason, and released', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3minie', part: 'stm8s103f3' });
    const err = await StlinkProbe.open(v.transport).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('probe-no-swim');
    expect(err.message).toMatch(/SWIM version 0/);
    expect(err.remedy).toMatch(/V3SET/);
    // Released: a second open works up to the same refusal, not "busy".
    const again = await StlinkProbe.open(v.transport).catch((e) => e);
    expect(again.code).toBe('probe-no-swim');
  });

  it('target voltage: 3.3 V measured; a clone answering zeros is "not measured", never a failure', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' });
    const p = await StlinkProbe.open(v.transport);
    expect((await p.targetVoltage()).volts).toBeCloseTo(3.3, 2);
    await p.close();
    const clone = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'clone-voltage' }] });
    const q = await StlinkProbe.open(clone.transport);
    const tv = await q.targetVoltage();
    expect(tv.volts).toBeNull();
    expect(tv.note).toMatch(/not measured/);
    await q.close();
  });

  it('every command block the engine sends is a full 16 bytes (V3 requires it)', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    const p = await StlinkProbe.open(v.transport);
    await p.leaveMode();
    await p.swimEnter();
    await p.swimReadBufSize();
    await p.swimAssertReset();
    await p.swimEnterSeq();
    await p.swimWriteMem(0x7f80, Uint8Array.of(0xa1));
    await p.swimDeassertReset();
    await p.swimReadMem(0x7f80, 1);
    await p.swimWriteMem(0x0000, new Uint8Array(100).fill(7));
    expect(v.target.peek(0, 100).every((b) => b === 7)).toBe(true);
    const outs = v.trace().filter((e) => e.dir === 'out');
    // Every OUT is either a 16-byte command or the data phase of the WRITEMEM right before it.
    for (let i = 0; i < outs.length; i++) {
      const e = outs[i];
      if (e.length === 16) continue;
      const prev = outs[i - 1];
      expect(prev.length).toBe(16);
      expect(prev.data?.[0]).toBe(0xf4);
      expect(prev.data?.[1]).toBe(0x0a);
    }
    await p.close();
  });

  it('the first command failing makes the engine reset the USB device and retry once', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'timeout-after', arg: 0 }] });
    const p = await StlinkProbe.open(v.transport);
    expect(p.stats.usbResets).toBe(1);
    expect(p.identity.versionString).toBe('V2J37S7');
    expect(v.trace().some((e) => e.dir === 'reset')).toBe(true);
    await p.close();
  });

  it('a V3 in its USB loader and an ST-LINK/V1 are refused by PID before any command', async () => {
    for (const [pid, code] of [
      [0x374d, 'probe-in-dfu'],
      [0x3744, 'probe-unsupported'],
    ] as const) {
      const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
      // The same virtual device, presented under another PID.
      const t = { ...v.transport, info: { ...v.transport.info, productId: pid } };
      const err = await StlinkProbe.open(t).catch((e) => e);
      expect(err.code).toBe(code);
      expect(v.trace().filter((e) => e.dir === 'out')).toHaveLength(0);
    }
  });

  it('a probe held by another program gives probe-busy with a remedy', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3', faults: [{ name: 'busy' }] });
    const err = await StlinkProbe.open(v.transport).catch((e) => e);
    expect(err.code).toBe('probe-busy');
    expect(err.remedy).toMatch(/Close/);
  });
});

describe('version decoding rules', () => {
  it('V2-1 with STM32 firmware (JxMy) has no SWIM', () => {
    // x = 37 (JTAG), y = 26 (MSD) on PID 0x374B → "V2J37M26", swim 0.
    const w = (2 << 12) | (37 << 6) | 26;
    const v = decodeVersion(Uint8Array.of(w >> 8, w & 0xff, 0x83, 0x04, 0x4b, 0x37));
    expect(v.versionString).toBe('V2J37M26');
    expect(v.swim).toBe(0);
  });

  it('OpenOCD string rules: J printed when no MSD, S when no MSD', () => {
    expect(formatVersion(2, 17, 0, 0, 4)).toBe('V2J17S4');
    expect(formatVersion(3, 10, 3, 5, 1)).toBe('V3J10M3B5S1');
    expect(formatVersion(4, 2, 1, 0, 0)).toBe('V3PJ2M1');
  });

  it('serials: ASCII hex kept, binary shown as hex of its bytes; --probe matches either', () => {
    expect(serialToHex('066dff485550755187121814')).toBe('066DFF485550755187121814');
    const raw = String.fromCharCode(0x55, 0xff, 0x06, 0x49);
    expect(serialToHex(raw)).toBe('55FF0649');
    expect(serialMatches('55ff0649', raw)).toBe(true);
    expect(serialMatches('55FF0650', raw)).toBe(false);
  });
});
