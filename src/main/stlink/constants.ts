/**
 * Every ST-LINK protocol fact the engine uses, in one place, each with its public source.
 * Source tags are those of docs/spec/stlink-swim.md (OO = OpenOCD
 * stlink_usb.c, SF = stm8flash stlinkv2.c, PRS = probe-rs stlink, SO = stlink-org).
 */

/** ST's USB vendor id (OO `STLINK_VID`). */
export const STLINK_VID = 0x0483;

/** Probe families the engine tells apart. */
export type ProbeVariant =
  | 'stlinkv1'
  | 'stlinkv2'
  | 'stlinkv21'
  | 'stlinkv3'
  | 'stlinkv3pwr'
  | 'stlinkv3-loader'
  | 'unknown';

export interface PidInfo {
  pid: number;
  variant: ProbeVariant;
  /** Name for people, as ST/OpenOCD call it. */
  name: string;
  /** Bulk OUT endpoint for commands (OO `STLINK_TX_EP` / `STLINK_V2_1_TX_EP`). */
  outEndpoint: number;
  /** Bulk IN endpoint for replies (OO `STLINK_RX_EP`). */
  inEndpoint: number;
  /** Full-speed (64-byte packets) or high-speed (512) — V3 is high-speed (OO comment above STLINK_MAX_RW8). */
  highSpeedUsb: boolean;
  /** A USB bootloader (DFU) PID: no debug firmware runs, nothing to talk SWIM to. */
  loader: boolean;
}

/**
 * PIDs with endpoints: docs/spec/stlink-swim.md §1.1 (OO `#define STLINK_*_PID`, `stlink_usb_usb_open`;
 * OO-cfg interface/stlink.cfg list; PRS `USB_PID_EP_MAP` for 0x374A and 0x3742).
 */
export const STLINK_PIDS: readonly PidInfo[] = [
  { pid: 0x3744, variant: 'stlinkv1', name: 'ST-LINK/V1', outEndpoint: 0x02, inEndpoint: 0x81, highSpeedUsb: false, loader: false },
  { pid: 0x3748, variant: 'stlinkv2', name: 'ST-LINK/V2', outEndpoint: 0x02, inEndpoint: 0x81, highSpeedUsb: false, loader: false },
  { pid: 0x374b, variant: 'stlinkv21', name: 'ST-LINK/V2-1', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: false, loader: false },
  { pid: 0x3752, variant: 'stlinkv21', name: 'ST-LINK/V2-1 (no MSD)', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: false, loader: false },
  { pid: 0x374a, variant: 'stlinkv21', name: 'ST-LINK/V2-1 (audio)', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: false, loader: false },
  { pid: 0x3742, variant: 'stlinkv21', name: 'ST-LINK/V2-1 (no MSD, probe-rs)', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: false, loader: false },
  { pid: 0x374d, variant: 'stlinkv3-loader', name: 'STLINK-V3 USB loader', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: true, loader: true },
  { pid: 0x374e, variant: 'stlinkv3', name: 'STLINK-V3E', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: true, loader: false },
  { pid: 0x374f, variant: 'stlinkv3', name: 'STLINK-V3S', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: true, loader: false },
  { pid: 0x3753, variant: 'stlinkv3', name: 'STLINK-V3 2VCP', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: true, loader: false },
  { pid: 0x3754, variant: 'stlinkv3', name: 'STLINK-V3E (no MSD)', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: true, loader: false },
  { pid: 0x3755, variant: 'stlinkv3-loader', name: 'STLINK-V3PWR USB loader', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: true, loader: true },
  { pid: 0x3757, variant: 'stlinkv3pwr', name: 'STLINK-V3PWR', outEndpoint: 0x01, inEndpoint: 0x81, highSpeedUsb: true, loader: false },
];

/** Look up a PID; unknown PIDs are treated as V2 endpoints, as OO `stlink_usb_usb_open` does. */
export function pidInfo(pid: number): PidInfo {
  return (
    STLINK_PIDS.find((p) => p.pid === pid) ?? {
      pid,
      variant: 'unknown',
      name: `ST-LINK (unknown PID 0x${pid.toString(16).padStart(4, '0')})`,
      outEndpoint: 0x02,
      inEndpoint: 0x81,
      highSpeedUsb: false,
      loader: false,
    }
  );
}

/** Every command is one 16-byte OUT block, zero padded (OO `STLINK_CMD_SIZE_V2`; SF-git:a7c6b80: V3 needs all 16). */
export const CMD_SIZE = 16;

/** Interface claimed by every tool (OO, SF, PRS, SO). */
export const STLINK_INTERFACE = 0;

/** Generic commands, docs/spec/stlink-swim.md §2 (OO `STLINK_*_COMMAND`). */
export const CMD = {
  GET_VERSION: 0xf1,
  DEBUG: 0xf2,
  DFU: 0xf3,
  SWIM: 0xf4,
  GET_CURRENT_MODE: 0xf5,
  GET_TARGET_VOLTAGE: 0xf7,
  GET_VERSION_EX: 0xfb,
} as const;

/** Second byte of the exit commands (OO `STLINK_DFU_EXIT`, `STLINK_DEBUG_EXIT`). */
export const DFU_EXIT = 0x07;
export const DEBUG_EXIT = 0x21;

/** SWIM sub-commands after 0xF4, docs/spec/stlink-swim.md §3 (OO `STLINK_SWIM_*`, SF, AF). */
export const SWIM = {
  ENTER: 0x00,
  EXIT: 0x01,
  READ_CAP: 0x02,
  SPEED: 0x03,
  ENTER_SEQ: 0x04,
  GEN_RST: 0x05,
  RESET: 0x06,
  ASSERT_RESET: 0x07,
  DEASSERT_RESET: 0x08,
  READSTATUS: 0x09,
  WRITEMEM: 0x0a,
  READMEM: 0x0b,
  READBUF: 0x0c,
  READBUFSIZE: 0x0d,
} as const;

/** Reply lengths (OO `stlink_usb_version`, `stlink_usb_current_mode`, `stlink_usb_check_voltage`, `stlink_swim_status`). */
export const REPLY = {
  GET_VERSION: 6,
  /** OO fills 16 but reads 12; PRS and SO read 12. */
  GET_VERSION_EX: 12,
  GET_CURRENT_MODE: 2,
  GET_TARGET_VOLTAGE: 8,
  READSTATUS: 4,
  READ_CAP: 8,
  READBUFSIZE: 2,
} as const;

export type StlinkMode = 'dfu' | 'mass' | 'debug' | 'swim' | 'bootloader' | 'unknown';

/** GET_CURRENT_MODE byte 0 (OO `STLINK_DEV_*_MODE`, SF `STLINK_MODE_*`). */
const MODE_BY_BYTE: Readonly<Record<number, StlinkMode>> = {
  0x00: 'dfu',
  0x01: 'mass',
  0x02: 'debug',
  0x03: 'swim',
  0x04: 'bootloader',
};

export function modeName(byte: number): StlinkMode {
  return MODE_BY_BYTE[byte] ?? 'unknown';
}

/**
 * READSTATUS byte 0 (docs/spec/stlink-swim.md §3.1). Only byte 0 is decided on (RECOMMENDATION there).
 * 0x04/0x05/0x10 names are stm8flash's and observations, not documented by ST.
 */
export const SWIM_STATUS = {
  OK: 0x00,
  BUSY: 0x01,
  /** SF "NO_RESPONSE: Target did not respond. SWIM not active?" */
  NO_RESPONSE: 0x04,
  /** SF "BAD_STATE"; seen writing NCR2 on a running CPU and option bytes without waiting for EOP. */
  BAD_STATE: 0x05,
  /** Seen with SWIM and GND swapped, and on some clones / protected parts (ISS-SF#152). */
  WIRE_FAULT: 0x10,
} as const;

/**
 * Largest READMEM/WRITEMEM the engine issues. OO `STLINK_SWIM_DATA_SIZE` = 6144, and
 * READBUFSIZE answered 0x1800 on V2 and V3 (ISS-SF#148/178).
 */
export const SWIM_MAX_DATA = 6144;

/** Bytes of WRITEMEM data carried inside the 16-byte command block (OO `stlink_swim_writebytes`). */
export const WRITEMEM_INLINE = 8;

/** After a USB reset OO waits 1 s before reopening (`stlink_usb_usb_open`). */
export const REOPEN_DELAY_MS = 1000;

/** Below this OO warns "target voltage may be too low for reliable debugging" (`stlink_usb_check_voltage`). */
export const LOW_VOLTAGE_WARN = 1.5;

/**
 * Below this we call the target unpowered. INFERENCE: not from a source; a powered STM8
 * runs from 1.8 V (STM8L) or 2.95 V (STM8S) upward, and a floating VDD pin reads near 0.
 */
export const NO_POWER_VOLTAGE = 0.5;

/**
 * V2-1 decoding rule (OO `stlink_usb_version`, OO-git:5babb6346 suggested by ST): when the
 * PID inside GET_VERSION is one of these, x/y are either MSD/SWIM (STM8 Nucleo) or JTAG/MSD.
 */
export const V21_SWAP_PIDS: readonly number[] = [0x374b, 0x3752];

/** SWIM bit times on an 8 MHz SWIM clock (OO swim.h SWIM_FREQ_LOW/HIGH: 8 MHz/22 and /10). */
export const SWIM_BIT_US = { low: 2.75, high: 1.25 } as const;
