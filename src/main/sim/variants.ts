/**
 * What each virtual ST-LINK answers on USB: PID, endpoints, version replies, READ_CAP.
 * Facts from docs/spec/stlink-swim.md §1.1, §2.1–2.4, §3 and docs/spec/simulator.md §2.
 */
import type { VirtualVariant } from './faults';
import type { UsbSpeed } from './timing';

export type StlinkMode = 'dfu' | 'mass' | 'debug' | 'swim' | 'bootloader';

/** GET_CURRENT_MODE byte 0 (OpenOCD STLINK_DEV_*, stm8flash STLINK_MODE_*; docs/spec/stlink-swim.md §2.4). */
export const MODE_CODE: Record<StlinkMode, number> = { dfu: 0x00, mass: 0x01, debug: 0x02, swim: 0x03, bootloader: 0x04 };

export interface VariantInfo {
  productId: number;
  productName: string;
  /** Command OUT endpoint: 0x02 on V2, 0x01 on V2-1 and V3 (OpenOCD STLINK_TX_EP / STLINK_V2_1_TX_EP). */
  outEndpoint: number;
  /** Data IN endpoint: 0x81 on every variant. */
  inEndpoint: number;
  /** Trace IN endpoint (exists on the device, but the virtual probe never sends trace data). */
  traceEndpoint: number;
  usbSpeed: UsbSpeed;
  /** Bulk max packet size: 64 full speed, 512 high speed (docs/spec/stlink-swim.md §1.2). */
  maxPacket: number;
  /** 6-byte GET_VERSION reply (docs/spec/stlink-swim.md §2.1). */
  version: number[];
  /** 12-byte GET_VERSION_EX reply, V3 only (docs/spec/stlink-swim.md §2.3). */
  versionEx: number[] | null;
  /** Does the firmware implement SWIM at all (SWIM version field ≠ 0)? */
  swim: boolean;
  /** 8-byte SWIM READ_CAP reply (docs/spec/stlink-swim.md §3 table, §4.1). */
  readCap: number[];
  /** V3 needs the full 16-byte command block (stm8flash commit a7c6b80, issue #148; docs/spec/stlink-swim.md §1.3). */
  requiresFullCommand: boolean;
  /** Mode at power-up (CHOICES.md). */
  powerUpMode: StlinkMode;
  /** GET_CURRENT_MODE byte 1: 00 on V2, 03 on V3 (observed, meaning unknown; docs/spec/stlink-swim.md §2.4). */
  modeByte1: number;
  /** Prefix used to build a default 24-hex-digit serial. */
  serialPrefix: string;
}

const VID = 0x0483;

function le16(v: number): number[] {
  return [v & 0xff, (v >> 8) & 0xff];
}

/** GET_VERSION bytes 0..1: big-endian V(4 bits) | x(6 bits) | y(6 bits); then VID, PID little-endian. */
function versionReply(v: number, x: number, y: number, pid: number): number[] {
  const word = (v << 12) | (x << 6) | y;
  return [(word >> 8) & 0xff, word & 0xff, ...le16(VID), ...le16(pid)];
}

/**
 * GET_VERSION_EX bytes: ST-LINK, SWIM, JTAG, MSD and bridge versions, three reserved zero
 * bytes, then VID, PID little-endian (OpenOCD stlink_usb_version, STLINK_V3 branch).
 */
function versionExReply(v: number, swim: number, jtag: number, msd: number, bridge: number, pid: number): number[] {
  return [v, swim, jtag, msd, bridge, 0x00, 0x00, 0x00, ...le16(VID), ...le16(pid)];
}

/** What every STLINK-V3 has alike on USB and at power-up, whatever its SWIM support. */
const STLINK_V3_USB = {
  productName: 'STLINK-V3',
  outEndpoint: 0x01,
  inEndpoint: 0x81,
  traceEndpoint: 0x82,
  usbSpeed: 'high',
  maxPacket: 512,
  requiresFullCommand: true,
  powerUpMode: 'mass',
  modeByte1: 0x03,
} as const satisfies Partial<VariantInfo>;

export const VARIANTS: Readonly<Record<VirtualVariant, VariantInfo>> = {
  // ST-LINK/V2, firmware V2J37S7: x = JTAG 37, y = SWIM 7.
  stlinkv2: {
    productId: 0x3748,
    productName: 'STM32 STLink',
    outEndpoint: 0x02,
    inEndpoint: 0x81,
    traceEndpoint: 0x83,
    usbSpeed: 'full',
    maxPacket: 64,
    version: versionReply(2, 37, 7, 0x3748),
    versionEx: null,
    swim: true,
    readCap: [0x00, 0x01, 0x02, 0x07, 0x00, 0x00, 0x00, 0x00],
    requiresFullCommand: false,
    powerUpMode: 'dfu',
    modeByte1: 0x00,
    serialPrefix: '483748',
  },
  // ST-LINK/V2-1 with the STM8-Nucleo firmware: x = MSD 25, y = SWIM 7, which OpenOCD's
  // V2-1 rule ((x >= 25 and 7 <= y <= 12) → "MxSy") decodes as M25S7 (docs/spec/stlink-swim.md §2.2).
  stlinkv21: {
    productId: 0x374b,
    productName: 'STM32 STLink',
    outEndpoint: 0x01,
    inEndpoint: 0x81,
    traceEndpoint: 0x82,
    usbSpeed: 'full',
    maxPacket: 64,
    version: versionReply(2, 25, 7, 0x374b),
    versionEx: null,
    swim: true,
    readCap: [0x00, 0x01, 0x02, 0x07, 0x00, 0x00, 0x00, 0x00],
    requiresFullCommand: false,
    powerUpMode: 'mass',
    modeByte1: 0x00,
    serialPrefix: '48374B',
  },
  // STLINK-V3SET, V3J10M3B5S1: GET_VERSION gives x = y = 0 so that OpenOCD asks
  // GET_VERSION_EX, whose byte 1 is the SWIM version (docs/spec/stlink-swim.md §2.3).
  stlinkv3: {
    productId: 0x374f,
    ...STLINK_V3_USB,
    version: versionReply(3, 0, 0, 0x374f),
    versionEx: versionExReply(3, 1, 10, 3, 5, 0x374f),
    swim: true,
    readCap: [0x00, 0x01, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00],
    serialPrefix: '48374F',
  },
  // STLINK-V3MINIE (PID 0x3754, "V3E without MSD"): SWIM version 0, so no SWIM at all;
  // an engine must say so rather than try (OpenOCD stlink_open refuses SWIM when swim == 0).
  stlinkv3minie: {
    productId: 0x3754,
    ...STLINK_V3_USB,
    version: versionReply(3, 0, 0, 0x3754),
    versionEx: versionExReply(3, 0, 10, 0, 0, 0x3754),
    swim: false,
    readCap: [0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
    serialPrefix: '483754',
  },
};

export const STLINK_VID = VID;
