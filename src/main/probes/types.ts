/** Vocabulary for finding and choosing probes across the three transports. */
import type { AppErrorData } from '#shared/errors';
import type { ProbeVariant } from '../stlink/constants';
import type { TransportKind } from '../usb/transport';

/** One probe as listed, before it is opened. */
export interface ProbeSummary {
  /** Stable id for this listing: "usb:1-4.2", "virtual:stlinkv3:stm8s103f3", "socket:/tmp/p.sock". */
  id: string;
  transport: TransportKind;
  /** Family from the PID: 'stlinkv2', 'stlinkv21', 'stlinkv3', ... */
  variant: ProbeVariant;
  /** e.g. "ST-LINK/V2", "STLINK-V3S". */
  variantName: string;
  vendorId: number;
  productId: number;
  /** Serial as hex of its bytes (ASCII-hex serials as they are, upper case). */
  serial: string;
  /** The serial string exactly as the device reports it. */
  serialRaw: string;
  /** USB bus-port path ("1-4.2"), "socket:PATH" or "virtual". */
  portPath: string;
  productName: string;
  /** A V3 in its USB loader: no SWIM until it is replugged / updated. */
  inDfu: boolean;
  /** Unknown (null) until the probe is opened and its firmware version read. */
  supportsSwim: boolean | null;
}

/** How a face chooses a probe (CLI global options, app settings). */
export interface ProbeChoice {
  /** Serial (hex form or raw, case-insensitive) or USB port path of a real probe. */
  probe?: string;
  /** In-process virtual probe: "PROBE:PART[:FAULT,...]", e.g. "stlinkv3:stm8s103f3". */
  virtual?: string;
  /** Path of a virtual probe served with `swim-studio sim serve`. */
  simSocket?: string;
}

/** A listing plus the notes that explain an empty or partial one (never thrown). */
export interface ProbeScan {
  probes: ProbeSummary[];
  /** e.g. { code: 'usb-unavailable', ... } when this machine has no USB subsystem. */
  notes: AppErrorData[];
}
