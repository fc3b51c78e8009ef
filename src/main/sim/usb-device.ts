/**
 * The virtual probe's USB face: the layer-1 transport (ARCHITECTURE.md) implemented from
 * the device side. Endpoint and direction checks, bulk timing (docs/spec/simulator.md §4), plug
 * state and the USB-level faults (busy, unplug-after, timeout-after).
 */
import type { Clock } from '../clock';
import { DEFAULT_TRANSFER_TIMEOUT_MS, TransportError, type UsbDeviceInfo, type UsbTransport } from '../usb/transport';
import type { StlinkFirmware } from './firmware';
import { Pacer } from './sim-clock';
import { T_USB_RESET_MS } from './timing';
import type { TimingProfile } from './timing-profile';
import type { Trace } from './trace';

/** USB-level fault switches, set by the probe object. */
export interface UsbFaults {
  busy: boolean;
  /** Transfers that still succeed before the probe is unplugged; null = off. */
  unplugAfter: number | null;
  /** Transfers that still succeed before the probe stops answering; null = off. */
  timeoutAfter: number | null;
}

export class VirtualUsbDevice {
  plugged = true;
  opened = false;
  claimed = false;
  /** timeout-after fired: every transfer times out until a USB reset or replug (CHOICES.md). */
  hung = false;
  readonly faults: UsbFaults = { busy: false, unplugAfter: null, timeoutAfter: null };
  private readonly pacer: Pacer;

  constructor(
    readonly info: UsbDeviceInfo,
    readonly clock: Clock,
    readonly firmware: StlinkFirmware,
    private readonly trace: Trace,
    private readonly timing: TimingProfile,
    private readonly onUnplug: () => void,
  ) {
    this.pacer = new Pacer(clock);
  }

  private fail(dir: 'out' | 'in' | 'reset' | 'open', ep: number, code: TransportError['code'], message: string): never {
    this.trace.add(this.clock.now(), dir, ep, null, code);
    throw new TransportError(code, message);
  }

  /** Faults and state that stop any transfer before it reaches the firmware. */
  private async gate(dir: 'out' | 'in', ep: number, timeoutMs: number): Promise<void> {
    if (!this.plugged) this.fail(dir, ep, 'no-device', 'virtual probe unplugged');
    if (!this.opened) this.fail(dir, ep, 'closed', 'virtual probe not open');
    if (!this.claimed) this.fail(dir, ep, 'io', 'interface 0 not claimed');
    if (this.faults.unplugAfter !== null) {
      if (this.faults.unplugAfter <= 0) {
        this.faults.unplugAfter = null;
        this.unplug();
        this.fail(dir, ep, 'no-device', 'virtual probe unplugged (fault unplug-after)');
      }
      this.faults.unplugAfter--;
    }
    if (this.faults.timeoutAfter !== null) {
      if (this.faults.timeoutAfter <= 0) {
        this.faults.timeoutAfter = null;
        this.hung = true;
      } else this.faults.timeoutAfter--;
    }
    if (this.hung || this.firmware.stuck) {
      await this.pacer.spend(timeoutMs);
      this.fail(dir, ep, 'timeout', `transfer timed out after ${timeoutMs} ms`);
    }
  }

  unplug(): void {
    this.plugged = false;
    this.opened = false;
    this.claimed = false;
    this.onUnplug();
  }

  async open(): Promise<void> {
    if (!this.plugged) this.fail('open', 0, 'no-device', 'virtual probe unplugged');
    if (this.faults.busy) this.fail('open', 0, 'busy', 'virtual probe is held by another program (fault busy)');
    this.opened = true;
    this.trace.add(this.clock.now(), 'open', 0, null);
  }

  async claimInterface(n: number): Promise<void> {
    if (!this.plugged) this.fail('open', 0, 'no-device', 'virtual probe unplugged');
    if (!this.opened) this.fail('open', 0, 'closed', 'virtual probe not open');
    if (n !== 0) this.fail('open', 0, 'io', `the ST-LINK's SWIM/debug interface is 0, not ${n}`);
    this.claimed = true;
  }

  async close(): Promise<void> {
    if (this.opened) {
      this.trace.add(this.clock.now(), 'close', 0, null);
      this.firmware.hostGone();
    }
    this.opened = false;
    this.claimed = false;
  }

  async reset(): Promise<void> {
    if (!this.plugged) this.fail('reset', 0, 'no-device', 'virtual probe unplugged');
    if (!this.opened) this.fail('reset', 0, 'closed', 'virtual probe not open');
    await this.pacer.spend(T_USB_RESET_MS);
    this.hung = false;
    this.firmware.restart();
    this.trace.add(this.clock.now(), 'reset', 0, null);
  }

  async transferOut(ep: number, data: Uint8Array, timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<number> {
    await this.gate('out', ep, timeoutMs);
    if (ep !== this.firmware.variant.outEndpoint) {
      this.fail('out', ep, 'pipe', `no bulk OUT endpoint 0x${ep.toString(16).padStart(2, '0')} on this probe`);
    }
    const t = await this.pacer.spend(this.timing.usbTransferMs(data.length, this.firmware.variant.usbSpeed));
    this.firmware.handleOut(data, t);
    this.trace.add(t, 'out', ep, data, undefined, this.firmware.note);
    this.firmware.note = undefined;
    return data.length;
  }

  async transferIn(ep: number, length: number, timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<Uint8Array> {
    await this.gate('in', ep, timeoutMs);
    if (ep !== this.firmware.variant.inEndpoint) {
      this.fail('in', ep, 'pipe', `no bulk IN endpoint 0x${ep.toString(16).padStart(2, '0')} on this probe`);
    }
    const r = this.firmware.takeReply(length);
    if (r.kind === 'none') {
      await this.pacer.spend(timeoutMs);
      this.fail('in', ep, 'timeout', `no data from the probe within ${timeoutMs} ms`);
    }
    if (r.kind === 'overflow') {
      await this.pacer.spend(this.timing.usbTransferMs(r.length, this.firmware.variant.usbSpeed));
      this.fail('in', ep, 'io', `overflow: the probe sent ${r.length} bytes, ${length} were asked for`);
    }
    const t = await this.pacer.spend(r.latencyMs + this.timing.usbTransferMs(r.data.length, this.firmware.variant.usbSpeed));
    this.trace.add(t, 'in', ep, r.data);
    return r.data;
  }
}

/** The transport object handed to the engine: a thin face over the device. */
export function transportFor(dev: VirtualUsbDevice): UsbTransport {
  return {
    info: dev.info,
    clock: dev.clock,
    open: () => dev.open(),
    claimInterface: (n) => dev.claimInterface(n),
    transferOut: (ep, data, timeoutMs) => dev.transferOut(ep, data, timeoutMs),
    transferIn: (ep, length, timeoutMs) => dev.transferIn(ep, length, timeoutMs),
    reset: () => dev.reset(),
    close: () => dev.close(),
  };
}
