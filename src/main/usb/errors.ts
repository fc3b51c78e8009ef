/**
 * Turning layer-1 TransportErrors into AppErrors that people can act on. One table, so the
 * CLI, the app and diagnostics show the same words for the same USB failure.
 */
import { AppError } from '#shared/errors';
import { TransportError, type TransportErrorCode } from './transport';

/** Stable AppError codes for USB failures (documented in the engine's public API). */
export type UsbErrorCode =
  | 'usb-unavailable'
  | 'probe-permission'
  | 'probe-no-driver'
  | 'probe-busy'
  | 'probe-unplugged'
  | 'usb-timeout'
  | 'usb-io'
  | 'probe-closed';

const TABLE: Record<TransportErrorCode, { code: UsbErrorCode; message: string; remedy: string }> = {
  'not-supported': {
    code: 'usb-unavailable',
    message: 'This machine has no USB subsystem the program can use.',
    remedy: 'Run on a machine (or container) with USB access, or try a virtual probe (--virtual stlinkv3:stm8s103f3; in the app, a virtual probe from the probe list).',
  },
  access: {
    code: 'probe-permission',
    message: 'Permission denied opening the ST-LINK.',
    remedy:
      'On Linux copy SWIM Studio\'s udev rules (assets/udev) into /etc/udev/rules.d/, run "sudo udevadm control --reload-rules && sudo udevadm trigger", then replug the probe.',
  },
  'no-driver': {
    code: 'probe-no-driver',
    message: 'No usable USB driver is bound to the ST-LINK.',
    remedy: 'On Windows install the ST-LINK driver (STSW-LINK009) or bind WinUSB to the probe with Zadig, then replug it.',
  },
  busy: {
    code: 'probe-busy',
    message: 'The ST-LINK is held by another program.',
    remedy: 'Close STVP, STM32CubeProgrammer, OpenOCD, stm8flash or another SWIM Studio window, then try again.',
  },
  'no-device': {
    code: 'probe-unplugged',
    message: 'The ST-LINK was unplugged (or lost power) during the operation.',
    remedy: 'Plug the probe back in and run the operation again; check the cable if it happens repeatedly.',
  },
  timeout: {
    code: 'usb-timeout',
    message: 'The ST-LINK did not answer in time.',
    remedy: 'Unplug and replug the probe. If it keeps happening, update its firmware with ST-LinkUpgrade.',
  },
  io: {
    code: 'usb-io',
    message: 'A USB transfer to the ST-LINK failed.',
    remedy: 'Replug the probe, preferably directly into the computer rather than through a hub.',
  },
  pipe: {
    code: 'usb-io',
    message: 'The ST-LINK refused a USB transfer (endpoint stalled).',
    remedy: 'Replug the probe; if it persists, update its firmware with ST-LinkUpgrade.',
  },
  closed: {
    code: 'probe-closed',
    message: 'The connection to the ST-LINK was already closed.',
    remedy: 'Connect again.',
  },
};

/** Map any error thrown by a transport to an AppError; AppErrors pass through unchanged. */
export function toUsbAppError(e: unknown, context?: string): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof TransportError) {
    const t = TABLE[e.code];
    const msg = context ? `${t.message} (${context})` : t.message;
    return new AppError(t.code, msg, t.remedy, { transportCode: e.code, transportMessage: e.message });
  }
  const m = e instanceof Error ? e.message : String(e);
  return new AppError('usb-io', context ? `USB failure (${context}): ${m}` : `USB failure: ${m}`, TABLE.io.remedy);
}

/** True for failures that mean the probe is gone: no point in trying to reset the target. */
export function isProbeGone(e: unknown): boolean {
  if (e instanceof TransportError) return e.code === 'no-device' || e.code === 'closed';
  if (e instanceof AppError) return e.code === 'probe-unplugged' || e.code === 'probe-closed';
  return false;
}
