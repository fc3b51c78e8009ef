/** What layer 2 reports about a probe: identity, counters, options, target voltage. */
import type { Clock } from '../clock';
import type { ProbeVariant } from './constants';
import type { StlinkVersion } from './version';

/** Who the probe is: what diagnostics, the CLI `info` and the app show. */
export interface ProbeIdentity extends StlinkVersion {
  /** Family from the USB descriptor PID (not from the version reply). */
  variant: ProbeVariant;
  /** e.g. "STLINK-V3S" */
  variantName: string;
  /** USB descriptor VID/PID. */
  usbVid: number;
  usbPid: number;
  /** Serial as hex of its bytes (ASCII-hex serials are shown as they are). */
  serial: string;
  portPath: string;
  productName: string;
  /** OO's log line: "STLINK V3J10M3B5S1 (API v3) VID:PID 0483:374F". */
  versionLine: string;
  /** True when the firmware reports SWIM support (SWIM version ≠ 0). */
  supportsSwim: boolean;
}

/** Counters for benchmarks and diagnostics. */
export interface ProbeStats {
  transfers: number;
  bytesOut: number;
  bytesIn: number;
  swimCommands: number;
  statusPolls: number;
  /** READSTATUS answers that said BUSY. */
  busyPolls: number;
  /** USB resets done to recover the first command. */
  usbResets: number;
}

export interface StlinkOpenOptions {
  /** Clock for every sleep/timeout; default: the transport's clock, else a RealClock. */
  clock?: Clock;
  /** Per-transfer timeout, ms (default DEFAULT_TRANSFER_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Ring-buffer size of the trace (default 256 transfers). */
  traceSize?: number;
  /** Delay after a USB reset before retrying the first command (default 1 s, as OO). */
  reopenDelayMs?: number;
}

/** Result of GET_TARGET_VOLTAGE: null volts = the probe cannot measure it ("not measured"). */
export interface TargetVoltage {
  volts: number | null;
  /** Why null, or a warning (below 1.5 V, OO `stlink_usb_check_voltage`). */
  note?: string;
}
