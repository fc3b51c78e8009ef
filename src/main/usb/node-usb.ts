/**
 * Layer 1 for real probes: the `usb` package's WebUSB API (node-usb 3.x). Enumeration of
 * ST-LINKs, a UsbTransport per device with a timeout on every transfer, and hot-plug events.
 * The native binding is loaded lazily: a machine without a USB subsystem (containers, CI)
 * gets TransportError 'not-supported', which the probe list reads as "no probes".
 */
import { TransportError, type UsbDeviceInfo, type UsbTransport, DEFAULT_TRANSFER_TIMEOUT_MS } from './transport';
import { classifyUsbError } from './library-errors';
import { deviceLeftBus, interfaceDriver, USBFS_DRIVER } from './linux-sysfs';

export { classifyUsbError } from './library-errors';

/** The parts of node-usb's device we use (WebUSB USBDevice plus node-usb's bus/ports). */
export interface NodeUsbDevice {
  vendorId: number;
  productId: number;
  readonly productName?: string | null;
  readonly serialNumber?: string | null;
  readonly opened: boolean;
  bus?: string;
  ports?: number[];
  open(): Promise<void>;
  close(): Promise<void>;
  reset(): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  clearHalt?(direction: 'in' | 'out', endpointNumber: number): Promise<void>;
  transferOut(ep: number, data: Uint8Array, timeout?: number): Promise<{ bytesWritten: number; status: string }>;
  transferIn(ep: number, length: number, timeout?: number): Promise<{ data?: DataView; status: string }>;
  detachKernelDriver?(n: number): Promise<void>;
}

interface WebUsbLike {
  getDevices(): Promise<NodeUsbDevice[]>;
  addEventListener(type: 'connect' | 'disconnect', l: (ev: Event) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', l: (ev: Event) => void): void;
}

let webusb: WebUsbLike | null = null;
let loadError: TransportError | null = null;

/** Load node-usb once. Throws TransportError 'not-supported' when there is no USB here. */
export async function loadWebUsb(): Promise<WebUsbLike> {
  if (webusb) return webusb;
  if (loadError) throw loadError;
  try {
    const mod = (await import('usb')) as unknown as { WebUSB: new (o: { allowAllDevices: boolean }) => WebUsbLike };
    webusb = new mod.WebUSB({ allowAllDevices: true });
    return webusb;
  } catch (e) {
    loadError = new TransportError('not-supported', `USB library unavailable: ${(e as Error).message}`);
    throw loadError;
  }
}

/**
 * Errors while opening a device that is listed: on Windows, libusb's NOT_SUPPORTED there means
 * no WinUSB-compatible driver is bound to it (libusb/libusb issue #769: libusb_open gives -12
 * where no supported driver is installed), not a missing USB subsystem.
 */
function openError(e: unknown): TransportError {
  const t = classifyUsbError(e);
  if (t.code === 'not-supported' && process.platform === 'win32') return new TransportError('no-driver', t.message);
  return t;
}

/** "1-4.2": bus number and port chain, to tell apart clones that share a serial. */
export function portPathOf(d: Pick<NodeUsbDevice, 'bus' | 'ports'>): string {
  const bus = (d.bus ?? '').split('-')[0] || '?';
  if (d.ports && d.ports.length > 0) return `${bus}-${d.ports.join('.')}`;
  return d.bus ?? '?';
}

export function deviceInfo(d: NodeUsbDevice): UsbDeviceInfo {
  return {
    vendorId: d.vendorId,
    productId: d.productId,
    serialNumber: d.serialNumber ?? '',
    productName: d.productName ?? '',
    portPath: portPathOf(d),
    kind: 'usb',
  };
}

/** All USB devices with this vendor id. Throws TransportError ('not-supported' without USB). */
export async function listUsbDevices(vendorId: number): Promise<NodeUsbDevice[]> {
  const w = await loadWebUsb();
  try {
    return (await w.getDevices()).filter((d) => d.vendorId === vendorId);
  } catch (e) {
    throw classifyUsbError(e);
  }
}

/**
 * Hot-plug: call `cb` on every attach/detach. Returns an unsubscribe function. Without a USB
 * subsystem nothing is ever reported (and nothing throws).
 */
export async function watchUsb(cb: () => void): Promise<() => void> {
  let w: WebUsbLike;
  try {
    w = await loadWebUsb();
    // node-usb re-throws a failed hot-plug registration from a timer (an uncaught exception),
    // so only subscribe where enumeration works at all.
    await w.getDevices();
  } catch {
    return () => undefined;
  }
  const l = () => cb();
  try {
    w.addEventListener('connect', l);
    w.addEventListener('disconnect', l);
  } catch {
    return () => undefined;
  }
  return () => {
    w.removeEventListener('connect', l);
    w.removeEventListener('disconnect', l);
  };
}

export class NodeUsbTransport implements UsbTransport {
  readonly info: UsbDeviceInfo;
  private claimed: number | null = null;

  constructor(private readonly device: NodeUsbDevice) {
    this.info = deviceInfo(device);
  }

  async open(): Promise<void> {
    try {
      if (!this.device.opened) await this.device.open();
    } catch (e) {
      throw openError(e);
    }
  }

  async claimInterface(n: number): Promise<void> {
    try {
      await this.device.claimInterface(n);
    } catch (e) {
      // Detach a kernel driver only when one holds the interface, as stm8flash's usb_init
      // does after libusb_kernel_driver_active. Never detach usbfs: that is another program
      // (OpenOCD, a second SWIM Studio) using the probe, and taking it away would leave two
      // programs driving one ST-LINK.
      const driver = interfaceDriver(this.device, n);
      const t = openError(e);
      if (t.code !== 'busy' || driver === null || driver === USBFS_DRIVER || !this.device.detachKernelDriver) throw t;
      try {
        await this.device.detachKernelDriver(n);
        await this.device.claimInterface(n);
      } catch (again) {
        throw openError(again);
      }
    }
    this.claimed = n;
  }

  /** A transfer's error; a fault (io) from a device that then leaves the bus is an unplug. */
  private async transferError(e: unknown): Promise<TransportError> {
    const t = classifyUsbError(e);
    if (t.code === 'io' && (await deviceLeftBus(this.device))) return new TransportError('no-device', `${t.message} (then the device left the bus)`);
    return t;
  }

  async transferOut(endpoint: number, data: Uint8Array, timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<number> {
    try {
      const r = await this.device.transferOut(endpoint & 0x0f, data, timeoutMs);
      if (r.status !== 'ok') throw new TransportError('pipe', `OUT endpoint 0x${endpoint.toString(16)} stalled`);
      return r.bytesWritten;
    } catch (e) {
      throw await this.transferError(e);
    }
  }

  async transferIn(endpoint: number, length: number, timeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS): Promise<Uint8Array> {
    try {
      const r = await this.device.transferIn(endpoint & 0x0f, length, timeoutMs);
      if (r.status !== 'ok' || !r.data) throw new TransportError('pipe', `IN endpoint 0x${endpoint.toString(16)} stalled`);
      return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    } catch (e) {
      throw await this.transferError(e);
    }
  }

  async reset(): Promise<void> {
    try {
      await this.device.reset();
      if (this.claimed !== null) await this.device.claimInterface(this.claimed).catch(() => undefined);
    } catch (e) {
      throw classifyUsbError(e);
    }
  }

  async clearHalt(endpoint: number): Promise<void> {
    try {
      await this.device.clearHalt?.(endpoint & 0x80 ? 'in' : 'out', endpoint & 0x0f);
    } catch (e) {
      throw classifyUsbError(e);
    }
  }

  async close(): Promise<void> {
    try {
      if (this.claimed !== null) await this.device.releaseInterface(this.claimed).catch(() => undefined);
      this.claimed = null;
      if (this.device.opened) await this.device.close();
    } catch (e) {
      throw classifyUsbError(e);
    }
  }
}
