/**
 * Reading the `usb` package's error messages (node-usb 3.x, which is node-usb-rs on nusb)
 * into transport error codes. The forms, as the shipped package produces them:
 *
 * - transfers: "<method> error: <kind>", the kind being nusb's TransferError variant name:
 *   Cancelled, Stall, Disconnected, Fault, InvalidArgument, Unknown. The package cancels a
 *   transfer only when its timeout runs out, so Cancelled means a timeout (seen through a
 *   real kernel: "transferIn error: Cancelled" after an IN that the device NAKed).
 * - everything else: "<method> error: <message> (<OS code>)", nusb's Error display, with the
 *   code written "errno N" on Linux, "error N" on Windows (a WIN32_ERROR) and
 *   "error 0xXXXXXXXX" on macOS (an IOReturn); e.g. "open error: permission denied (errno 13)".
 * - libusb-style words (LIBUSB_ERROR_ACCESS ...) from older node-usb releases, still read.
 *
 * docs/usbip.md lists the strings recorded through a real kernel; the unit tests feed
 * exactly those (test/fixtures/usb-error-strings.ts).
 */
import { TransportError, type TransportErrorCode } from './transport';

const TRANSFER_KINDS: Record<string, TransportErrorCode> = {
  Cancelled: 'timeout',
  Stall: 'pipe',
  Disconnected: 'no-device',
  Fault: 'io',
  InvalidArgument: 'io',
  Unknown: 'io',
};

/** Linux errno values (asm-generic/errno-base.h, errno.h). */
const ERRNO: Record<number, TransportErrorCode> = {
  1: 'access', // EPERM
  2: 'no-device', // ENOENT: the device node went away
  13: 'access', // EACCES: no udev rule for this user
  16: 'busy', // EBUSY: another process claimed the interface
  19: 'no-device', // ENODEV
  32: 'pipe', // EPIPE
  108: 'no-device', // ESHUTDOWN
  110: 'timeout', // ETIMEDOUT
};

/** Windows WIN32_ERROR values (winerror.h). */
const WIN32_ERROR: Record<number, TransportErrorCode> = {
  2: 'no-device', // ERROR_FILE_NOT_FOUND
  // WinUSB opens a device exclusively: access denied means another program has it open.
  5: 'busy', // ERROR_ACCESS_DENIED
  31: 'io', // ERROR_GEN_FAILURE
  121: 'timeout', // ERROR_SEM_TIMEOUT
  433: 'no-device', // ERROR_NO_SUCH_DEVICE
  1167: 'no-device', // ERROR_DEVICE_NOT_CONNECTED
};

/** macOS IOReturn values (IOKit/IOReturn.h). */
const IORETURN: Record<number, TransportErrorCode> = {
  0xe00002c0: 'no-device', // kIOReturnNoDevice
  0xe00002c1: 'access', // kIOReturnNotPrivileged
  0xe00002c5: 'busy', // kIOReturnExclusiveAccess
  0xe00002d6: 'timeout', // kIOReturnTimeout
  0xe00002e2: 'access', // kIOReturnNotPermitted
  0xe00002ed: 'no-device', // kIOReturnNotResponding
};

function byOsCode(m: string): TransportErrorCode | null {
  const code = /\((errno|error) (0x[0-9a-f]+|\d+)\)\s*$/i.exec(m);
  if (!code) return null;
  const n = Number(code[2]);
  if (code[1] === 'errno') return ERRNO[n] ?? null;
  return (code[2].startsWith('0x') ? IORETURN[n] : WIN32_ERROR[n]) ?? null;
}

/** The words, where no code decides: nusb's messages first, then libusb's. */
function byWords(m: string): TransportErrorCode {
  if (/\/sys\/bus\/usb|not supported|NOT_SUPPORTED|not found \(errno/i.test(m)) return 'not-supported';
  if (/not WinUSB|driver/i.test(m)) return 'no-driver';
  if (/time(d)?\s*out/i.test(m)) return 'timeout';
  if (/access|permission|denied|EACCES|not privileged/i.test(m)) return 'access';
  if (/busy|in use|EBUSY|exclusive/i.test(m)) return 'busy';
  if (/no (such )?device|disconnected|NO_DEVICE|ENODEV|not connected|device not found/i.test(m)) return 'no-device';
  if (/pipe|stall/i.test(m)) return 'pipe';
  return 'io';
}

/** Classify an error thrown by the `usb` package into a transport error code. */
export function classifyUsbError(e: unknown): TransportError {
  if (e instanceof TransportError) return e;
  const m = e instanceof Error ? e.message : String(e);
  const transfer = /\berror: (Cancelled|Stall|Disconnected|Fault|InvalidArgument|Unknown)\b/.exec(m);
  // No USB subsystem at all (enumeration cannot even read sysfs) beats any errno it carries.
  const noSubsystem = /\/sys\/bus\/usb/.test(m);
  const code = transfer ? TRANSFER_KINDS[transfer[1]] : noSubsystem ? 'not-supported' : (byOsCode(m) ?? byWords(m));
  return new TransportError(code, m);
}
