/**
 * The references' recovery paths, where the virtual probe alone cannot play the failure: a
 * thin wrapper around the real virtual probe injects it (a handle that is dead after a USB
 * reset, as nusb's is; a stalled pipe; a refused READBUFSIZE). Everything else — the probe
 * firmware, the chip — is the virtual probe itself.
 */
import { describe, expect, it } from 'vitest';
import { createVirtualProbe, type VirtualVariant } from '../../../src/main/sim/index';
import { StlinkProbe, measuresVoltage } from '../../../src/main/stlink/probe';
import { connectTarget } from '../../../src/main/jobs/index';
import { TracingTransport } from '../../../src/main/diagnostics/trace';
import { TransportError, type UsbTransport } from '../../../src/main/usb/transport';

/** A transport whose handle behaves like nusb's: after reset() nothing works until close + open. */
class NusbLike implements UsbTransport {
  readonly calls: string[] = [];
  private dead = false;
  failFirstIn = true;
  stallInAfterCommand: number | null = null;
  private stallNext = false;

  constructor(private readonly inner: UsbTransport) {}
  get info() {
    return this.inner.info;
  }
  get clock() {
    return this.inner.clock;
  }
  async open(): Promise<void> {
    this.calls.push('open');
    this.dead = false;
    await this.inner.open();
  }
  async claimInterface(n: number): Promise<void> {
    this.calls.push('claim');
    if (this.dead) throw new TransportError('io', 'handle unusable after reset');
    await this.inner.claimInterface(n);
  }
  async transferOut(ep: number, data: Uint8Array, t?: number): Promise<number> {
    if (this.dead) throw new TransportError('io', 'handle unusable after reset');
    if (this.stallInAfterCommand !== null && data.length === 16 && data[0] === 0xf4 && data[1] === this.stallInAfterCommand) this.stallNext = true;
    return this.inner.transferOut(ep, data, t);
  }
  async transferIn(ep: number, len: number, t?: number): Promise<Uint8Array> {
    if (this.dead) throw new TransportError('io', 'handle unusable after reset');
    if (this.failFirstIn) {
      this.failFirstIn = false;
      await this.inner.transferIn(ep, len, t); // the reply is lost on the way
      throw new TransportError('timeout', 'LIBUSB_ERROR_TIMEOUT');
    }
    if (this.stallNext) {
      this.stallNext = false;
      await this.inner.transferIn(ep, len, t);
      throw new TransportError('pipe', 'LIBUSB_ERROR_PIPE');
    }
    return this.inner.transferIn(ep, len, t);
  }
  async reset(): Promise<void> {
    this.calls.push('reset');
    this.dead = true;
  }
  async clearHalt(ep: number): Promise<void> {
    this.calls.push(`clear-halt 0x${ep.toString(16)}`);
  }
  async close(): Promise<void> {
    this.calls.push('close');
    await this.inner.close();
  }
}

describe('USB recovery the OpenOCD way', () => {
  it('a failed first command: reset, close, wait, reopen on a fresh handle (OO stlink_usb_usb_open)', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv2', part: 'stm8s103f3' });
    const t = new NusbLike(v.transport);
    const p = await StlinkProbe.open(t, { reopenDelayMs: 1000 });
    expect(p.identity.versionString).toBe('V2J37S7');
    expect(p.stats.usbResets).toBe(1);
    expect(t.calls.slice(0, 6)).toEqual(['open', 'claim', 'reset', 'close', 'open', 'claim']);
    await p.close();
  });

  it('a stalled IN pipe is cleared (libusb_clear_halt) and READBUFSIZE falls back to 0x1800 without aborting connect', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    const t = new NusbLike(v.transport);
    t.failFirstIn = false;
    t.stallInAfterCommand = 0x0d; // READBUFSIZE
    const c = await connectTarget({ transport: t, part: 'stm8s103f3' });
    expect(c.connectReport.readBufSize).toBe(0x1800);
    expect(c.probe.readBufSize).toBe(0x1800);
    expect(t.calls).toContain('clear-halt 0x81');
    const r = await c.read({ region: 'flash' });
    expect(r.data.length).toBe(8192);
    await c.close();
  });
});

describe('GET_TARGET_VOLTAGE only where OpenOCD sends it (stlink_usb_version flags)', () => {
  it('V2 from J13 and every V3, never V2 below J13 nor a V2-1 without a JTAG version', () => {
    expect(measuresVoltage({ stlink: 2, jtag: 13 })).toBe(true);
    expect(measuresVoltage({ stlink: 2, jtag: 12 })).toBe(false);
    expect(measuresVoltage({ stlink: 2, jtag: 0 })).toBe(false);
    expect(measuresVoltage({ stlink: 3, jtag: 0 })).toBe(true);
    expect(measuresVoltage({ stlink: 1, jtag: 13 })).toBe(false);
  });

  for (const [probe, sent] of [
    ['stlinkv2', true],
    ['stlinkv21', false],
    ['stlinkv3', true],
  ] as [VirtualVariant, boolean][]) {
    it(`${probe}: ${sent ? 'asks' : 'does not ask'}, and connect works either way`, async () => {
      const v = createVirtualProbe({ probe, part: 'stm8s103f3' });
      const t = new TracingTransport(v.transport, 10_000);
      const c = await connectTarget({ transport: t, part: 'stm8s103f3' });
      expect(t.all().some((l) => l.decoded === 'GET_TARGET_VOLTAGE')).toBe(sent);
      if (!sent) expect(c.voltage.volts).toBeNull();
      await c.close();
    });
  }
});

/** Answers every READSTATUS with BUSY while `stuck` is set: a probe that never finishes. */
class StuckBusy implements UsbTransport {
  stuck = false;
  private statusNext = false;
  constructor(private readonly inner: UsbTransport) {}
  get info() {
    return this.inner.info;
  }
  get clock() {
    return this.inner.clock;
  }
  open = () => this.inner.open();
  claimInterface = (n: number) => this.inner.claimInterface(n);
  reset = () => this.inner.reset();
  close = () => this.inner.close();
  async transferOut(ep: number, data: Uint8Array, t?: number): Promise<number> {
    this.statusNext = data.length === 16 && data[0] === 0xf4 && data[1] === 0x09;
    return this.inner.transferOut(ep, data, t);
  }
  async transferIn(ep: number, len: number, t?: number): Promise<Uint8Array> {
    const r = await this.inner.transferIn(ep, len, t);
    if (this.statusNext && this.stuck) return Uint8Array.of(0x01, 0, 0, 0);
    return r;
  }
}

describe('a probe that stays BUSY', () => {
  it('gives swim-busy-timeout within a bound, and the next SWIM command polls READSTATUS before it is sent', async () => {
    const v = createVirtualProbe({ probe: 'stlinkv3', part: 'stm8s103f3' });
    const stuck = new StuckBusy(v.transport);
    const t = new TracingTransport(stuck, 100_000);
    const c = await connectTarget({ transport: t, part: 'stm8s103f3' });
    stuck.stuck = true;
    const t0 = c.clock.now();
    const err = await c.probe.swimWriteMem(0x0000, Uint8Array.of(1, 2, 3)).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('swim-busy-timeout');
    expect(c.clock.now() - t0).toBeLessThan(1000);
    stuck.stuck = false;
    const mark = t.all().length;
    await c.probe.swimWriteMem(0x0010, Uint8Array.of(4));
    const next = t.all().slice(mark).filter((l) => l.op === 'out' && l.decoded?.startsWith('SWIM'));
    expect(next[0].decoded).toBe('SWIM READSTATUS');
    expect(next[1].decoded).toBe('SWIM WRITEMEM 1 @0x0010');
    expect(v.violations()).toEqual([]);
    await c.close();
  });
});
