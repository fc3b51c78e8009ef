/**
 * The USB/IP wire format, server side (Linux kernel Documentation/usb/usbip_protocol.rst):
 * the operation phase (OP_REQ_DEVLIST, OP_REQ_IMPORT) and, once a device is imported, the
 * URB phase (USBIP_CMD_SUBMIT / USBIP_RET_SUBMIT, USBIP_CMD_UNLINK / USBIP_RET_UNLINK).
 * Every field is big-endian. See docs/usbip.md.
 */

/** Protocol version of the operation phase, as the kernel's usbip tools send and check it. */
export const USBIP_VERSION = 0x0111;
export const OP_REQ_DEVLIST = 0x8005;
export const OP_REP_DEVLIST = 0x0005;
export const OP_REQ_IMPORT = 0x8003;
export const OP_REP_IMPORT = 0x0003;
/** Operation reply status: ST_OK, ST_NA (no such device), ST_DEV_BUSY (already imported). */
export const ST_OK = 0;
export const ST_NA = 1;
export const ST_DEV_BUSY = 2;

export const CMD_SUBMIT = 1;
export const CMD_UNLINK = 2;
export const RET_SUBMIT = 3;
export const RET_UNLINK = 4;
export const DIR_OUT = 0;
export const DIR_IN = 1;
/** Both URB headers are 48 bytes: a 20-byte basic header and 28 bytes of command fields. */
export const URB_HEADER_BYTES = 48;
export const OP_COMMON_BYTES = 8;
export const BUSID_BYTES = 32;

/** URB status values (negated Linux errno), as the kernel's own USB/IP server reports them. */
export const URB_OK = 0;
export const EPIPE = -32; // stall
export const EOVERFLOW = -75; // the device sent more than the URB asked for
export const ECONNRESET = -104; // the URB was unlinked before it completed

/** USB speeds of the device record (enum usb_device_speed). */
export const SPEED_FULL = 2;
export const SPEED_HIGH = 3;

/** One exported device as OP_REP_DEVLIST and OP_REP_IMPORT describe it. */
export interface DeviceRecord {
  path: string;
  busid: string;
  busnum: number;
  devnum: number;
  speed: number;
  idVendor: number;
  idProduct: number;
  bcdDevice: number;
  deviceClass: number;
  deviceSubClass: number;
  deviceProtocol: number;
  configurationValue: number;
  numConfigurations: number;
  interfaces: { cls: number; subClass: number; protocol: number }[];
}

/** The 8-byte header of every operation: version, code, status. */
export function opCommon(code: number, status: number): Buffer {
  const b = Buffer.alloc(OP_COMMON_BYTES);
  b.writeUInt16BE(USBIP_VERSION, 0);
  b.writeUInt16BE(code, 2);
  b.writeUInt32BE(status, 4);
  return b;
}

function fixedString(s: string, size: number): Buffer {
  const b = Buffer.alloc(size);
  b.write(s.slice(0, size - 1), 'latin1');
  return b;
}

/** The 312-byte device record (struct usbip_usb_device), without the interface list. */
export function encodeDevice(d: DeviceRecord): Buffer {
  const tail = Buffer.alloc(24);
  tail.writeUInt32BE(d.busnum, 0);
  tail.writeUInt32BE(d.devnum, 4);
  tail.writeUInt32BE(d.speed, 8);
  tail.writeUInt16BE(d.idVendor, 12);
  tail.writeUInt16BE(d.idProduct, 14);
  tail.writeUInt16BE(d.bcdDevice, 16);
  tail.writeUInt8(d.deviceClass, 18);
  tail.writeUInt8(d.deviceSubClass, 19);
  tail.writeUInt8(d.deviceProtocol, 20);
  tail.writeUInt8(d.configurationValue, 21);
  tail.writeUInt8(d.numConfigurations, 22);
  tail.writeUInt8(d.interfaces.length, 23);
  return Buffer.concat([fixedString(d.path, 256), fixedString(d.busid, BUSID_BYTES), tail]);
}

/** The device record followed by one 4-byte record per interface (OP_REP_DEVLIST only). */
export function encodeDeviceWithInterfaces(d: DeviceRecord): Buffer {
  const ifs = d.interfaces.map((i) => Buffer.from([i.cls, i.subClass, i.protocol, 0]));
  return Buffer.concat([encodeDevice(d), ...ifs]);
}

export function readBusid(b: Buffer): string {
  const raw = b.subarray(0, BUSID_BYTES);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? raw.length : nul).toString('latin1');
}

/** USBIP_CMD_SUBMIT or USBIP_CMD_UNLINK, decoded from its 48-byte header. */
export type UrbCommand =
  | {
      kind: 'submit';
      seqnum: number;
      direction: number;
      ep: number;
      transferFlags: number;
      length: number;
      numberOfPackets: number;
      setup: Buffer;
    }
  | { kind: 'unlink'; seqnum: number; unlinkSeqnum: number }
  | { kind: 'unknown'; command: number };

export function decodeUrbHeader(h: Buffer): UrbCommand {
  const command = h.readUInt32BE(0);
  const seqnum = h.readUInt32BE(4);
  if (command === CMD_SUBMIT) {
    return {
      kind: 'submit',
      seqnum,
      direction: h.readUInt32BE(12),
      ep: h.readUInt32BE(16),
      transferFlags: h.readUInt32BE(20),
      length: h.readInt32BE(24),
      numberOfPackets: h.readInt32BE(32),
      setup: Buffer.from(h.subarray(40, 48)),
    };
  }
  if (command === CMD_UNLINK) return { kind: 'unlink', seqnum, unlinkSeqnum: h.readUInt32BE(20) };
  return { kind: 'unknown', command };
}

/**
 * The 48-byte header of a reply in the URB phase: command and seqnum (the basic header's
 * devid, direction and ep stay 0 in replies), then signed 32-bit fields from offset 20 on:
 * the status, and for RET_SUBMIT the actual length.
 */
function retHeader(command: number, seqnum: number, ...fromStatus: number[]): Buffer {
  const h = Buffer.alloc(URB_HEADER_BYTES);
  h.writeUInt32BE(command, 0);
  h.writeUInt32BE(seqnum, 4);
  fromStatus.forEach((v, i) => h.writeInt32BE(v, 20 + 4 * i));
  return h;
}

/** USBIP_RET_SUBMIT: status, actual length, then the data of an IN transfer. */
export function retSubmit(seqnum: number, status: number, actualLength: number, data?: Uint8Array): Buffer {
  const h = retHeader(RET_SUBMIT, seqnum, status, actualLength);
  return data && data.length > 0 ? Buffer.concat([h, Buffer.from(data)]) : h;
}

/** USBIP_RET_UNLINK: -ECONNRESET when the URB was still pending, 0 when it had completed. */
export function retUnlink(seqnum: number, status: number): Buffer {
  return retHeader(RET_UNLINK, seqnum, status);
}
