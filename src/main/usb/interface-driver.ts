/**
 * Which kernel driver holds an interface of a USB device, read from Linux sysfs
 * (/sys/bus/usb/devices/BUS-PORTS:CONFIG.IFACE/driver). "usbfs" means another program has
 * claimed it through /dev/bus/usb: that is "busy", never a driver to detach. libusb draws
 * the same line (its Linux backend reports no kernel driver when the driver is usbfs), and
 * stm8flash detaches only what libusb_kernel_driver_active reports (usb_init).
 */
import fs from 'node:fs';
import path from 'node:path';

export const USBFS_DRIVER = 'usbfs';

/** The driver's name, or null when none is bound or this is not Linux (no sysfs entry). */
export function interfaceDriver(
  device: { bus?: string; ports?: number[] },
  interfaceNumber: number,
  configuration = 1,
  sysRoot = '/sys/bus/usb/devices',
): string | null {
  if (!device.ports || device.ports.length === 0 || !device.bus) return null;
  const bus = Number.parseInt(device.bus, 10);
  if (!Number.isFinite(bus)) return null;
  const name = `${bus}-${device.ports.join('.')}:${configuration}.${interfaceNumber}`;
  try {
    return path.basename(fs.readlinkSync(path.join(sysRoot, name, 'driver')));
  } catch {
    return null;
  }
}
