/**
 * Layer 1: the transport. A small WebUSB-shaped interface with three implementations
 * (real probes through the `usb` package, the in-process virtual probe, and a client for a
 * virtual probe served on a socket). Nothing above this layer knows which one it has.
 *
 * Endpoints are full USB endpoint addresses (0x02 / 0x01 OUT, 0x81 IN), as in the specs.
 */
import type { Clock } from '../clock';

export type TransportKind = 'usb' | 'virtual' | 'socket';

export interface UsbDeviceInfo {
  vendorId: number;
  productId: number;
  /** The iSerialNumber string as the device reports it (may contain binary on clones). */
  serialNumber: string;
  productName: string;
  /** Bus and port chain, e.g. "1-4.2", to tell apart clones that share a serial. */
  portPath: string;
  kind: TransportKind;
}

/** libusb-style error codes, also used on the simulator socket (docs/spec/simulator.md §7). */
export type TransportErrorCode =
  | 'io' // -1
  | 'access' // -3 permission denied (Linux udev)
  | 'no-device' // -4 unplugged
  | 'busy' // -6 held by another program
  | 'timeout' // -7
  | 'pipe' // -9 stall / wrong endpoint
  | 'no-driver' // Windows: no WinUSB / ST-LINK driver bound
  | 'not-supported' // no USB subsystem on this machine
  | 'closed'; // used after close()

export const LIBUSB_STATUS: Record<number, TransportErrorCode> = {
  [-1]: 'io',
  [-3]: 'access',
  [-4]: 'no-device',
  [-6]: 'busy',
  [-7]: 'timeout',
  [-9]: 'pipe',
  [-12]: 'not-supported',
};

export const LIBUSB_CODE: Record<Exclude<TransportErrorCode, 'no-driver' | 'closed'>, number> = {
  io: -1,
  access: -3,
  'no-device': -4,
  busy: -6,
  timeout: -7,
  pipe: -9,
  'not-supported': -12,
};

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface UsbTransport {
  readonly info: UsbDeviceInfo;
  /**
   * The clock this transport's time runs on. The in-process virtual probe sets it to its
   * virtual clock: the engine must then do every sleep and timeout through it, so time is
   * exact and tests never really wait. Absent on real probes and on the socket client
   * (the engine uses a RealClock there).
   */
  readonly clock?: Clock;
  open(): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  /** Bulk OUT. Resolves with the number of bytes the device accepted. */
  transferOut(endpoint: number, data: Uint8Array, timeoutMs?: number): Promise<number>;
  /** Bulk IN of at most `length` bytes. */
  transferIn(endpoint: number, length: number, timeoutMs?: number): Promise<Uint8Array>;
  /** USB port reset (libusb_reset_device). */
  reset(): Promise<void>;
  /** Clear a stalled endpoint (libusb_clear_halt), where the transport can. */
  clearHalt?(endpoint: number): Promise<void>;
  close(): Promise<void>;
}

/** Default bound on every transfer; nothing may hang (OpenOCD uses 6 s, probe-rs 1 s). */
export const DEFAULT_TRANSFER_TIMEOUT_MS = 3000;
