/** One probe as listings show it, whichever transport reaches it. */
import { pidInfo } from '../stlink/constants';
import { serialToHex } from '../stlink/serial';
import type { UsbDeviceInfo } from '../usb/transport';
import type { ProbeSummary } from './types';

/**
 * The summary of a probe from its device descriptor: variant and name from the PID, the
 * serial in hex. `shownAs` marks a simulated probe's name ("STLINK-V3S (virtual)") so that
 * nobody mistakes it for a board on the desk. An ST-LINK/V1 has no SWIM at all; every
 * other probe's SWIM support is unknown until its firmware version is read.
 */
export function summarizeProbe(info: UsbDeviceInfo, id: string, shownAs?: 'virtual' | 'socket'): ProbeSummary {
  const pid = pidInfo(info.productId);
  return {
    id,
    transport: info.kind,
    variant: pid.variant,
    variantName: shownAs ? `${pid.name} (${shownAs})` : pid.name,
    vendorId: info.vendorId,
    productId: info.productId,
    serial: serialToHex(info.serialNumber),
    serialRaw: info.serialNumber,
    portPath: info.portPath,
    productName: info.productName,
    inDfu: pid.loader,
    supportsSwim: pid.variant === 'stlinkv1' ? false : null,
  };
}

/** The fields every document (CLI JSON, diagnostics report) names a probe by. */
export interface ProbeIdentityDoc {
  /** e.g. "stlinkv3", "stlinkv3-loader", "stlinkv2". */
  variant: string;
  /** e.g. "STLINK-V3S". */
  name: string;
  vendorId: number;
  productId: number;
  serial: string;
  portPath: string;
}

export function probeIdentityDoc(s: ProbeSummary): ProbeIdentityDoc {
  return { variant: s.variant, name: s.variantName, vendorId: s.vendorId, productId: s.productId, serial: s.serial, portPath: s.portPath };
}
