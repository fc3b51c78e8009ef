/**
 * What Linux sysfs (/sys/bus/usb/devices) says about a device the `usb` package has open.
 *
 * interfaceDriver: which kernel driver holds an interface (BUS-PORTS:CONFIG.IFACE/driver). "usbfs" means another program has
 * claimed it through /dev/bus/usb: that is "busy", never a driver to detach. libusb draws
 * the same line (its Linux backend reports no kernel driver when the driver is usbfs), and
 * stm8flash detaches only what libusb_kernel_driver_active reports (usb_init).
 */
import fs from 'node:fs';
import path from 'node:path';

export const USBFS_DRIVER = 'usbfs';
export const SYS_USB_DEVICES = '/sys/bus/usb/devices';

interface BusPorts {
  bus?: string;
  ports?: number[];
}

/** "1-4.2", the device's sysfs name, or null without a bus number and port chain. */
function sysfsName(device: BusPorts): string | null {
  if (!device.ports || device.ports.length === 0 || !device.bus) return null;
  const bus = Number.parseInt(device.bus, 10);
  return Number.isFinite(bus) ? `${bus}-${device.ports.join('.')}` : null;
}

/** The driver's name, or null when none is bound or this is not Linux (no sysfs entry). */
export function interfaceDriver(device: BusPorts, interfaceNumber: number, configuration = 1, sysRoot = SYS_USB_DEVICES): string | null {
  const name = sysfsName(device);
  if (!name) return null;
  try {
    return path.basename(fs.readlinkSync(path.join(sysRoot, `${name}:${configuration}.${interfaceNumber}`, 'driver')));
  } catch {
    return null;
  }
}

/**
 * Did the device leave the bus? A transfer cut by an unplug often fails first with a
 * transaction error (EPROTO: the usb package's "Fault") and only the next one with
 * "Disconnected"; the kernel removes the device from sysfs moments later. Waits at most
 * `waitMs` for that. False where it cannot tell (no sysfs, no port chain).
 */
export async function deviceLeftBus(device: BusPorts, waitMs = 500, sysRoot = SYS_USB_DEVICES): Promise<boolean> {
  const name = sysfsName(device);
  if (!name || !fs.existsSync(sysRoot)) return false;
  const end = Date.now() + waitMs;
  for (;;) {
    if (!fs.existsSync(path.join(sysRoot, name))) return true;
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}
