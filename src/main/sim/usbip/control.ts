/**
 * Endpoint 0 of the exported ST-LINK: the standard requests a host sends to enumerate and
 * configure it (USB 2.0 spec §9.4). Anything else stalls (-EPIPE), as a real device's EP0
 * does for a request it does not support. SET_ADDRESS never arrives: the kernel's vhci-hcd
 * answers it itself.
 */
import type { VariantInfo } from '../variants';
import {
  CONFIGURATION_VALUE,
  DESC_CONFIGURATION,
  DESC_DEVICE,
  DESC_DEVICE_QUALIFIER,
  DESC_STRING,
  configurationDescriptor,
  deviceDescriptor,
  deviceQualifier,
  stringDescriptor,
} from './descriptors';
import { EPIPE, URB_OK } from './protocol';

const GET_STATUS = 0x00;
const CLEAR_FEATURE = 0x01;
const SET_FEATURE = 0x03;
const GET_DESCRIPTOR = 0x06;
const GET_CONFIGURATION = 0x08;
const SET_CONFIGURATION = 0x09;
const GET_INTERFACE = 0x0a;
const SET_INTERFACE = 0x0b;

export interface ControlReply {
  status: number;
  data?: Buffer;
}

export interface ControlDevice {
  variant: VariantInfo;
  vendorId: number;
  product: string;
  serial: string;
  /** Current configuration value (0: unconfigured). */
  configuration: number;
}

const STALL: ControlReply = { status: EPIPE };

function describe(dev: ControlDevice, type: number, index: number): Buffer | null {
  if (type === DESC_DEVICE) return deviceDescriptor(dev.variant, dev.vendorId);
  if (type === DESC_CONFIGURATION) return index === 0 ? configurationDescriptor(dev.variant) : null;
  if (type === DESC_STRING) return stringDescriptor(index, { product: dev.product, serial: dev.serial });
  if (type === DESC_DEVICE_QUALIFIER) return dev.variant.usbSpeed === 'high' ? deviceQualifier() : null;
  return null;
}

/** Answer one control transfer; `setup` is the 8-byte SETUP packet. */
export function handleControl(dev: ControlDevice, setup: Buffer): ControlReply {
  const requestType = setup.readUInt8(0);
  const request = setup.readUInt8(1);
  const value = setup.readUInt16LE(2);
  const index = setup.readUInt16LE(4);
  const length = setup.readUInt16LE(6);
  const standard = (requestType & 0x60) === 0;
  if (!standard) return STALL;
  const toHost = (requestType & 0x80) !== 0;
  const reply = (data: Buffer): ControlReply => ({ status: URB_OK, data: data.subarray(0, length) });
  const endpoints = [0, dev.variant.inEndpoint, dev.variant.outEndpoint, dev.variant.traceEndpoint];

  if (toHost && request === GET_DESCRIPTOR) {
    const d = describe(dev, value >> 8, value & 0xff);
    return d ? reply(d) : STALL;
  }
  if (toHost && request === GET_STATUS) return reply(Buffer.from([0, 0])); // bus powered, no remote wakeup, no halt
  if (toHost && request === GET_CONFIGURATION) return reply(Buffer.from([dev.configuration]));
  if (toHost && request === GET_INTERFACE) return index === 0 ? reply(Buffer.from([0])) : STALL;
  if (!toHost && request === SET_CONFIGURATION) {
    if (value !== 0 && value !== CONFIGURATION_VALUE) return STALL;
    dev.configuration = value;
    return { status: URB_OK };
  }
  if (!toHost && request === SET_INTERFACE) return index === 0 && value === 0 ? { status: URB_OK } : STALL;
  // CLEAR_FEATURE(ENDPOINT_HALT), as libusb_clear_halt sends it: our endpoints never halt.
  if (!toHost && (request === CLEAR_FEATURE || request === SET_FEATURE) && (requestType & 0x1f) === 2) {
    return endpoints.includes(index & 0xff) ? { status: URB_OK } : STALL;
  }
  return STALL;
}
