/**
 * The standard USB descriptors a real ST-LINK reports, per variant (USB 2.0 spec ch. 9;
 * VID/PID, endpoints and packet sizes as in OpenOCD's stlink_usb.c: STLINK_TX_EP 0x02 on V2,
 * STLINK_V2_1_TX_EP 0x01 on V2-1 and V3, data IN 0x81, trace IN 0x83 / 0x82; see
 * docs/usbip.md). One configuration, one vendor-specific interface (class 0xFF) with three
 * bulk endpoints. The V2-1's mass-storage and virtual COM port interfaces are not exported:
 * no SWIM tool uses them.
 */
import type { VariantInfo } from '../variants';

export const MANUFACTURER = 'STMicroelectronics';
/** String descriptor indexes. */
export const STR_LANGIDS = 0;
export const STR_MANUFACTURER = 1;
export const STR_PRODUCT = 2;
export const STR_SERIAL = 3;
export const CONFIGURATION_VALUE = 1;
const LANG_EN_US = 0x0409;
const BCD_USB = 0x0200; // USB 2.0 without a BOS descriptor, so hosts do not ask for one
export const BCD_DEVICE = 0x0100;
const VENDOR_SPECIFIC = 0xff;

export const DESC_DEVICE = 1;
export const DESC_CONFIGURATION = 2;
export const DESC_STRING = 3;
export const DESC_DEVICE_QUALIFIER = 6;

function le16(v: number): number[] {
  return [v & 0xff, (v >> 8) & 0xff];
}

export function deviceDescriptor(v: VariantInfo, vendorId: number): Buffer {
  return Buffer.from([
    18, DESC_DEVICE, ...le16(BCD_USB),
    0, 0, 0, // class defined per interface
    64, // EP0 max packet
    ...le16(vendorId), ...le16(v.productId), ...le16(BCD_DEVICE),
    STR_MANUFACTURER, STR_PRODUCT, STR_SERIAL,
    1, // one configuration
  ]);
}

/** Only for high-speed devices: how the device would look at the other speed. */
export function deviceQualifier(): Buffer {
  return Buffer.from([10, DESC_DEVICE_QUALIFIER, ...le16(BCD_USB), 0, 0, 0, 64, 1, 0]);
}

function endpoint(address: number, maxPacket: number): number[] {
  return [7, 5, address, 0x02 /* bulk */, ...le16(maxPacket), 0];
}

/** Configuration + interface + endpoint descriptors, as GET_DESCRIPTOR(CONFIGURATION) returns them. */
export function configurationDescriptor(v: VariantInfo): Buffer {
  const eps = [...endpoint(v.inEndpoint, v.maxPacket), ...endpoint(v.outEndpoint, v.maxPacket), ...endpoint(v.traceEndpoint, v.maxPacket)];
  const iface = [9, 4, 0, 0, 3, VENDOR_SPECIFIC, VENDOR_SPECIFIC, VENDOR_SPECIFIC, 0];
  const total = 9 + iface.length + eps.length;
  const config = [9, DESC_CONFIGURATION, ...le16(total), 1, CONFIGURATION_VALUE, 0, 0x80 /* bus powered */, 50 /* 100 mA */];
  return Buffer.from([...config, ...iface, ...eps]);
}

/** String descriptor `index` (0: the language list), or null when there is none. */
export function stringDescriptor(index: number, strings: { product: string; serial: string }): Buffer | null {
  if (index === STR_LANGIDS) return Buffer.from([4, DESC_STRING, ...le16(LANG_EN_US)]);
  const text = index === STR_MANUFACTURER ? MANUFACTURER : index === STR_PRODUCT ? strings.product : index === STR_SERIAL ? strings.serial : null;
  if (text === null) return null;
  // UTF-16LE of each character code: a clone's binary serial keeps its raw byte values.
  const units = [...text].slice(0, 126).flatMap((c) => le16(c.charCodeAt(0)));
  return Buffer.from([2 + units.length, DESC_STRING, ...units]);
}
